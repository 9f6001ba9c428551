import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { Locale } from "../questionnaire/definition-schema.js";
import type { StoredFileFacts } from "./input.js";
import type { Text } from "./text.js";

/**
 * One choice offered with a reply. Telegram shows it as a button whose callback names `questionId` and `value`;
 * Zalo and the terminal show it as a numbered line and the engine maps the typed number back.
 */
export interface ReplyChoice {
  readonly value: string;
  readonly label: Text;
  /** Shown ticked (options already picked in a several-choice question). */
  readonly selected?: boolean;
}

/** A neutral reply: paragraphs of text and, optionally, choices for one question. */
export interface Reply {
  readonly paragraphs: readonly Text[];
  readonly choices?: readonly ReplyChoice[];
  /** What the choices answer: a criterion id, or an engine prompt such as "menu" or "confirm". */
  readonly questionId?: string;
  /**
   * false: where choices become numbered lines (Zalo, the terminal), leave them out — a yes/no question after the
   * session's first, whose answer people type as "có"/"không" (or 1/2, as the first one showed). Buttons stay.
   */
  readonly listChoices?: false;
  /**
   * A picture to send with the text (the app renders it; where pictures cannot be sent the text stands alone). The
   * text is its caption when it fits; otherwise `summary` is, and the whole text follows as its own message.
   */
  readonly image?: { readonly kind: "score-card"; readonly summary: readonly Text[] };
  /**
   * When the message was a button tap and the platform can show a brief notice on the tapped button (Telegram's
   * answer to a callback query), this is shown there instead of sending the reply as a message: ticking an option
   * then costs no message and leaves nothing in the chat history. Elsewhere the reply is sent as usual.
   */
  readonly tapNotice?: Text;
}

export interface EvidenceInput {
  readonly kind: "photo" | "document" | "link";
  /** Platform file id or URL: whatever fetches it again. */
  readonly ref: string;
  readonly fileName?: string;
  /** What the sender wrote with it. */
  readonly caption?: string;
  /** Checksum, size and type of a file the service keeps. */
  readonly file?: StoredFileFacts;
}

/** What the engine asks the world to do. The app applies them in one transaction, then sends the replies. */
export type Effect =
  | { readonly kind: "reply"; readonly reply: Reply }
  | { readonly kind: "save-answer"; readonly criterionId: string; readonly value: AnswerValue }
  | { readonly kind: "save-note"; readonly criterionId: string; readonly note: string }
  | { readonly kind: "add-evidence"; readonly criterionId: string; readonly evidence: EvidenceInput }
  | { readonly kind: "redeem-invite"; readonly inviteId: string }
  | { readonly kind: "submit" }
  | { readonly kind: "reopen" }
  | { readonly kind: "set-locale"; readonly locale: Locale }
  /** This chat account's deadline reminders off or on (`/reminders off|on`, “tắt nhắc”/“bật nhắc”). */
  | { readonly kind: "set-reminders"; readonly enabled: boolean }
  /** Supervisor: queue `message` now to the members of each agency (at most once a day per agency; see nudges.ts). */
  | { readonly kind: "nudge"; readonly agencies: readonly { readonly agencyId: string; readonly message: Text }[] }
  /** Supervisor: send their province's workbook for the current period as a document with this caption. */
  | { readonly kind: "export"; readonly caption: Text }
  /**
   * The dossier (hồ sơ) of an agency for the current period, sent as a ZIP (a link where documents cannot be sent).
   * `agencyId` null: the sender's own agency (a lead); else an agency a supervisor chose, which the app checks is in
   * their province whatever the id.
   */
  | { readonly kind: "dossier"; readonly agencyId: string | null }
  /** A link to the upload page for this person and agency (the app makes and stores the token, then replies with it). */
  | { readonly kind: "upload-link" }
  | TeamEffect;

/**
 * What team commands change (team-commands.ts). The app applies each within the sender's own scope — the lead's
 * agency, the supervisor's province — whatever the effect names, so a wrong id can never reach another agency.
 */
export type TeamEffect =
  /** Store an invite for `code` (hashed, single use, expiring); `agencyId` null means the lead's own agency. */
  | { readonly kind: "issue-invite"; readonly code: string; readonly role: "member" | "lead"; readonly agencyId: string | null; readonly expiresAt: Date }
  /** Supervisor: a new agency in their province, with a lead invite for `code`. */
  | { readonly kind: "add-agency"; readonly name: string; readonly group: string; readonly type: string; readonly code: string; readonly expiresAt: Date }
  /** Lead: the parts a person of their agency answers first (empty: none). */
  | { readonly kind: "assign"; readonly personId: string; readonly parts: readonly string[] }
  /** Lead: unlink a person from their agency (and end the unused invites they made); their answers stay theirs. */
  | { readonly kind: "remove-member"; readonly personId: string }
  /** Lead: end an unused invite of their agency at once. */
  | { readonly kind: "revoke-invite"; readonly inviteId: string }
  /** A team action refused for lack of rights: logged by the app (the reply says so to the person). */
  | { readonly kind: "refusal"; readonly action: string; readonly reason: "not-lead" | "not-supervisor" | "last-lead" };
