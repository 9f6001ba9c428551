import type { EvidenceRefusal } from "../evidence/evidence-policy.js";
import { cutText } from "../text/cut-text.js";
import { foldText } from "./text.js";

/**
 * A normalised inbound event: what every channel hands the engine.
 * - `text`: anything typed (commands with or without a slash, answers, codes, notes);
 * - `pick`: a button tapped (Telegram), naming the question it belongs to so a stale button is recognised;
 * - `attachment`: a photo or document (evidence);
 * - `unsupported`: stickers and anything else the bot cannot read.
 * `forwarded` marks text or a file forwarded from another chat (Telegram `forward_origin`): not the person's own reply,
 * so never read as an answer or a command (forwarded.ts offers to keep it as a note or evidence).
 */
export type Input =
  | { readonly kind: "text"; readonly text: string; readonly forwarded?: true }
  | { readonly kind: "pick"; readonly questionId: string; readonly value: string }
  | { readonly kind: "attachment"; readonly attachment: Attachment; readonly forwarded?: true }
  | { readonly kind: "unsupported"; readonly failed?: FailedAttachment };

/**
 * Why a message could not be read when it is not simply a kind the bot does not read: a photo or file the platform
 * announced but that could not be fetched (what was written with it is kept), or a voice message (Zalo documents the
 * event; nothing in it is text).
 */
export type FailedAttachment =
  | { readonly kind: "unavailable"; readonly what: Attachment["kind"]; readonly caption?: string }
  | { readonly kind: "voice" }
  /** Fetched but not kept: its type is not accepted, or it is over a limit (domain/evidence/evidence-policy.ts). */
  | { readonly kind: "refused"; readonly reason: EvidenceRefusal; readonly what: Attachment["kind"]; readonly caption?: string };

/** What the service knows of a file it keeps: its SHA-256 (hex), size and content type. */
export interface StoredFileFacts {
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly contentType: string;
}

/** A photo or document someone sent, with what they wrote under it (its caption), if anything. */
export interface Attachment {
  readonly kind: "photo" | "document";
  readonly ref: string;
  readonly fileName?: string;
  readonly caption?: string;
  /** Present once the service holds the file itself (`file:` refs). */
  readonly file?: StoredFileFacts;
}

/** Longest caption kept (Telegram allows 1,024 characters; a Zalo caption is cut to the same). */
export const CAPTION_MAX_CHARS = 1024;

/** A caption as kept with the evidence: trimmed, cut to CAPTION_MAX_CHARS, and absent when blank. */
export function captionField(raw: string | undefined): { caption?: string } {
  const trimmed = raw?.trim();
  const caption = trimmed === undefined ? undefined : cutText(trimmed, CAPTION_MAX_CHARS).trim();
  return caption === undefined || caption === "" ? {} : { caption };
}

export const COMMANDS = [
  "start", "help", "menu", "continue", "score", "progress", "skip", "back", "goto", "review",
  "note", "submit", "reopen", "evidence", "upload", "dossier", "lang", "done", "cancel", "yes", "no",
  "plan", "more", "overview", "nudge", "export",
  "reminders", "reminders_off", "reminders_on",
  "invite", "team", "assign", "unassign", "remove", "addagency", "invites", "revoke",
] as const;
export type CommandName = (typeof COMMANDS)[number];

/**
 * Words people type instead of slash commands, folded (no diacritics, lower case). Zalo users do not type slashes,
 * and many type Vietnamese without accents, so "diem", "điểm" and "/score" all mean the same.
 * These are input vocabulary, not output text, so they live here rather than in the locale files.
 */
const WORDS: Readonly<Record<string, CommandName>> = {
  "bat dau": "start", start: "start",
  "tro giup": "help", "huong dan": "help", help: "help",
  menu: "menu", "danh muc": "menu",
  "tiep tuc": "continue", "tiep": "continue", continue: "continue", resume: "continue", next: "continue",
  diem: "score", "xem diem": "score", "ket qua": "score", score: "score",
  "tien do": "progress", progress: "progress",
  "bo qua": "skip", skip: "skip",
  "quay lai": "back", "cau truoc": "back", back: "back",
  "den": "goto", "chuyen den": "goto", "di den": "goto", goto: "goto",
  "xem lai": "review", review: "review",
  "ghi chu": "note", ghichu: "note", gc: "note", note: "note",
  "xem them": "more", them: "more", more: "more",
  cau: "goto", "tru cot": "goto", question: "goto", pillar: "goto",
  nop: "submit", "nop bai": "submit", "nop ket qua": "submit", submit: "submit",
  "mo lai": "reopen", reopen: "reopen",
  // Evidence (evidence-commands.ts): the checklist and the upload page's link.
  "minh chung": "evidence", "danh sach minh chung": "evidence", "thieu minh chung": "evidence", evidence: "evidence",
  "gui tep": "upload", "gui file": "upload", "tai tep": "upload", "tai len": "upload", upload: "upload",
  // The dossier (hồ sơ): "hồ sơ" alone; a supervisor's "hồ sơ 3" is read by dossierQuery (answers often start so).
  "ho so": "dossier", "xuat ho so": "dossier", "tai ho so": "dossier", "ho so minh chung": "dossier", dossier: "dossier",
  "ngon ngu": "lang", lang: "lang", language: "lang",
  xong: "done", done: "done", "hoan tat": "done", finish: "done",
  huy: "cancel", cancel: "cancel",
  co: "yes", "dong y": "yes", yes: "yes", y: "yes", ok: "yes",
  khong: "no", no: "no", n: "no",
  "ke hoach": "plan", "cai thien": "plan", "ke hoach cai thien": "plan", plan: "plan",
  "tong quan": "overview", "tong hop": "overview", overview: "overview",
  nhac: "nudge", "don doc": "nudge", nudge: "nudge",
  "xuat bao cao": "export", "bao cao": "export", "xuat excel": "export", export: "export",
  "tat nhac": "reminders_off", "tat nhac han": "reminders_off", "tat nhac nho": "reminders_off", "nhac off": "reminders_off", "reminders off": "reminders_off",
  "bat nhac": "reminders_on", "bat nhac han": "reminders_on", "bat nhac nho": "reminders_on", "nhac on": "reminders_on", "reminders on": "reminders_on",
  reminders: "reminders",
  // Team commands (team-commands.ts).
  moi: "invite", "moi thanh vien": "invite", invite: "invite",
  "thanh vien": "team", "danh sach thanh vien": "team", team: "team",
  "phan cong": "assign", assign: "assign",
  "bo phan cong": "unassign", "huy phan cong": "unassign", unassign: "unassign",
  go: "remove", "go thanh vien": "remove", remove: "remove",
  "ma moi": "invites", "danh sach ma moi": "invites", invites: "invites",
  "thu hoi": "revoke", "thu hoi ma": "revoke", "thu hoi ma moi": "revoke", revoke: "revoke",
  "them co quan": "addagency", "them don vi": "addagency", addagency: "addagency", "add agency": "addagency",
};

/** Commands that take an argument after the word (`/goto 2`, `ghi chú …`, `/lang en`). */
const WITH_ARGUMENT = new Set<CommandName>(["start", "goto", "review", "note", "lang", "overview", "reminders", "invite", "assign", "unassign", "remove", "revoke"]);
/** The first word after an unaccented "moi" that still makes it "mời" (invite): "moi thanh vien", "moi lead". */
const INVITE_ROLE_WORDS = new Set(["thanh", "lanh", "lead", "member", "truong", "nguoi", "dong", "can"]);
/** Words that are part of their argument: "câu 5" goes to question 5, "trụ cột 2" to pillar 2 (also after "đến"). */
const KEEP_WORD = new Set(["cau", "tru cot", "question", "pillar"]);

/** A language named in words, alone or after "ngôn ngữ": "tiếng Việt", "English". */
const LANGUAGES: Readonly<Record<string, "vi" | "en">> = {
  vi: "vi", "tieng viet": "vi", vietnamese: "vi", viet: "vi", "tieng viet nam": "vi",
  en: "en", english: "en", "tieng anh": "en", anh: "en",
};

/** "vi", "en" or a language's name, as the code; null for anything else. */
export function languageCode(arg: string): "vi" | "en" | null {
  return LANGUAGES[foldText(arg)] ?? null;
}

/**
 * A supervisor's "hồ sơ 3" / "hồ sơ Báo Mẫu": the agency named after the word, or null. Not a general command with
 * an argument: for leads and members "hồ sơ điện tử …" is far more likely an answer than a request for the dossier.
 */
export function dossierQuery(text: string): string | null {
  const match = /^\s*(?:\/dossier(?:@\w+)?|h[oồ]\s+s[oơ]|dossier)\s*:?\s+(\S[\s\S]*)$/iu.exec(text.normalize("NFC"));
  return match?.[1]?.trim() ?? null;
}

export interface ParsedCommand {
  readonly name: CommandName;
  /** The rest of the message, as typed (not folded). */
  readonly arg: string;
  /** Written with a slash: an explicit command, never mistaken for an answer. */
  readonly slash: boolean;
}

export type CommandParse = ParsedCommand | { readonly name: "unknown"; readonly word: string } | null;

/**
 * Reads a command from typed text. A slash command is always a command (unknown ones included, so they get a hint);
 * a bare word is a command only when the whole message is a command word, or a command word that takes an argument
 * followed by one — so an answer such as "không" still reaches the yes/no question through the caller's rules.
 */
export function parseCommand(text: string): CommandParse {
  const trimmed = text.trim();
  if (trimmed === "?") return { name: "help", arg: "", slash: false };
  if (trimmed.startsWith("/")) {
    const match = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(trimmed);
    if (!match) return { name: "unknown", word: trimmed.split(/\s/)[0] ?? trimmed };
    const word = (match[1] ?? "").toLowerCase();
    const name = WORDS[word] ?? (COMMANDS as readonly string[]).find((c) => c === word);
    if (name === undefined) return { name: "unknown", word: `/${word}` };
    return { name: name as CommandName, arg: (match[2] ?? "").trim(), slash: true };
  }
  const folded = foldText(trimmed);
  const whole = WORDS[folded];
  if (whole !== undefined && !KEEP_WORD.has(folded)) return { name: whole, arg: "", slash: false };
  // A language's name alone switches to it; the short codes alone ("vi", "anh") are too likely to mean something else.
  const language = ["vi", "en", "anh", "viet"].includes(folded) ? undefined : LANGUAGES[folded];
  if (language !== undefined) return { name: "lang", arg: language, slash: false };
  // "ghi chú: …": a colon after the command word is punctuation, not part of the argument.
  const spaced = trimmed.replace(/^(\S+(?:\s+\S+){0,2}?)\s*:\s*/u, (match, head: string) => (WORDS[foldText(head)] === undefined ? match : `${head} `));
  const words = foldText(spaced).split(" ");
  // Longest command word first, so "xem lai" wins over a shorter prefix.
  for (let n = Math.min(3, words.length - 1); n >= 1; n -= 1) {
    const head = words.slice(0, n).join(" ");
    const name = WORDS[head];
    // "mới"/"mỗi" fold to "moi" like "mời": "mới thí điểm", "mỗi tháng" are answers, not invitations.
    if (head === "moi" && !/^mời\s/iu.test(spaced.normalize("NFC")) && !INVITE_ROLE_WORDS.has(words[1] ?? "")) continue;
    if (name !== undefined && WITH_ARGUMENT.has(name)) {
      return { name, arg: KEEP_WORD.has(head) ? spaced : spaced.split(/\s+/).slice(n).join(" "), slash: false };
    }
  }
  return null;
}
