import { limitVars } from "../evidence/evidence-policy.js";
import type { SessionView } from "./context.js";
import { findEntry } from "./navigation.js";
import { submitCheck } from "./summary-replies.js";
import { lines, literal, localized, t, type Text } from "./text.js";
import type { Turn } from "./turn.js";

/** Criteria listed in one checklist message; the rest are counted (a chat message is no place for 40 paragraphs). */
const CHECKLIST_MAX = 15;
/** Help shown per criterion in the checklist, in characters. */
const HELP_MAX_CHARS = 220;

/**
 * "minh chứng": the answered criteria that claim points and need evidence but have none (the same list the submit
 * confirmation counts), each with what it needs — the definition's help — and how to send it on this channel.
 */
export function evidenceChecklist(turn: Turn, session: SessionView): void {
  const missing = submitCheck(session).missingEvidence;
  if (missing.length === 0) return turn.say(t("evidence2.checklist.none"), turn.whereNow(session));
  const items: Text[] = missing.slice(0, CHECKLIST_MAX).map((id) => {
    const entry = findEntry(session.definition, id);
    const help = entry?.criterion.help === undefined ? "" : shorten(localized(entry.criterion.help, turn.locale), HELP_MAX_CHARS);
    const name = entry === undefined ? "" : shorten(localized(entry.criterion.question, turn.locale), 120);
    return lines([t("evidence2.checklist.item", { id, question: literal(name) }), ...(help === "" ? [] : [t("evidence2.checklist.needs", { help: literal(help) })])]);
  });
  const more = missing.length > CHECKLIST_MAX ? [t("evidence2.checklist.more", { count: missing.length - CHECKLIST_MAX })] : [];
  const how = turn.ctx.channel === "zalo" ? "evidence2.checklist.how.zalo" : turn.ctx.channel === "telegram" ? "evidence2.checklist.how.telegram" : "evidence2.checklist.how.other";
  turn.say(t("evidence2.checklist.title", { count: missing.length }), ...items, ...more, t(how, limitVars()), turn.whereNow(session));
}

/** "gửi tệp": a link to the upload page, made by the app (upload-links.ts) while answers may still change. */
export function uploadLink(turn: Turn, session: SessionView): void {
  if (!turn.canWrite(session)) return;
  turn.effects.push({ kind: "upload-link" });
}

/** "hồ sơ": the agency's dossier, for its lead (members see the answers in the chat; the package is the lead's to hand in). */
export function dossier(turn: Turn): void {
  if (turn.person.role !== "lead") return turn.say(t("evidence2.dossier.leadOnly"));
  turn.effects.push({ kind: "dossier", agencyId: null });
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
