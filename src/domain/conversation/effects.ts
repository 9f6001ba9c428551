import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { Locale } from "../questionnaire/definition-schema.js";
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
}

export interface EvidenceInput {
  readonly kind: "photo" | "document" | "link";
  /** Platform file id or URL: whatever fetches it again. */
  readonly ref: string;
  readonly fileName?: string;
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
  | { readonly kind: "set-locale"; readonly locale: Locale };
