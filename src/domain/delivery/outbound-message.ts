/**
 * What the service sends, below every layer that handles it: the app queues it, persistence stores it as JSON, the
 * channel adapters render it. Types (and one platform limit), so the arrows keep pointing down (persistence and
 * channels both import it).
 */

/** The Bot API's limit for a file a bot uploads (sendDocument): a larger document goes out as an expiring link. */
export const TELEGRAM_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

/** The messaging platforms people reach the assistant through; "console" is the terminal chat. */
export const CHANNELS = ["telegram", "zalo", "console"] as const;
export type Channel = (typeof CHANNELS)[number];

/** A reply rendered into one language: plain text (no Markdown) and labelled choices. */
export interface RenderedReply {
  readonly text: string;
  readonly choices: readonly { readonly value: string; readonly label: string; readonly selected: boolean }[];
  readonly questionId: string | undefined;
  /** false: not listed as numbered lines (Reply.listChoices); buttons still show them. */
  readonly listed?: false;
}

/** A message to deliver, already in the recipient's language. Stored as JSON in the outbox. */
export type OutboundMessage =
  | { readonly kind: "reply"; readonly reply: RenderedReply }
  /**
   * A picture the service generated (the score card): `file` is an absolute path to a PNG on this server. Telegram
   * uploads it; Zalo's sendPhoto only takes a URL, so its adapter publishes the file first.
   * `caption` fits the smallest caption limit (1,024 characters, Telegram); a longer text follows as its own reply.
   */
  | { readonly kind: "photo"; readonly file: string; readonly caption: string }
  /**
   * A generated file (the supervisor's XLSX report): `file` is an absolute path on this server, `fileName` what the
   * recipient sees. Telegram sends it as a document; Zalo has no documents, so its adapter sends a link instead.
   */
  | { readonly kind: "document"; readonly file: string; readonly fileName: string; readonly caption: string };
