import type { IncomingHttpHeaders } from "node:http";
import type { Input, StoredFileFacts } from "../domain/conversation/input.js";
import type { Channel, OutboundMessage } from "../domain/delivery/outbound-message.js";

export { CHANNELS, type Channel, type OutboundMessage } from "../domain/delivery/outbound-message.js";

/**
 * What an adapter can do, said once. Callers decide by these flags, never by whether a method exists: every method of
 * ChannelAdapter is there, and one whose capability is off throws MissingCapabilityError (a caller that checked the
 * flag never reaches it).
 */
export interface ChannelCapabilities {
  /** Choices can be buttons under the message (Telegram); without, they go out as numbered lines (Zalo). */
  readonly buttons: boolean;
  /** The most UTF-16 units one text message may hold; longer texts are sent as several (split-text.ts). */
  readonly textLimitChars: number;
  /**
   * A tap on a button arrives as a query the platform wants answered (`answerCallback`): parsed events carry its
   * `callbackQueryId`, and the answer can show a brief notice on the button.
   */
  readonly tapAnswers: boolean;
  /** The tap's answer can ride in the webhook's 200 response (`callbackWebhookReply`), one request less per tap. */
  readonly tapAnswerInWebhookReply: boolean;
  /** Updates can be fetched without a public URL (`startPolling`, `<CHANNEL>_MODE=polling`). */
  readonly polling: boolean;
  /**
   * Attachments are fetched into the service's storage before the event is handled (`resolveAttachment`): Zalo's
   * image URLs expire; Telegram's files are kept when a data directory is set. Without, the platform's reference is
   * stored as it is.
   */
  readonly fetchesAttachments: boolean;
}

/** Thrown by an adapter's method for a capability it lacks; reaching it means a caller skipped the capability check. */
export class MissingCapabilityError extends Error {
  override name = "MissingCapabilityError";
  constructor(
    readonly channel: string,
    readonly capability: keyof ChannelCapabilities,
  ) {
    super(`${channel}: no ${capability} capability`);
  }
}

/** A method of a capability the adapter lacks (see MissingCapabilityError). */
export function lacking(channel: string, capability: keyof ChannelCapabilities): () => never {
  return () => {
    throw new MissingCapabilityError(channel, capability);
  };
}

/**
 * The methods of the optional capabilities, all lacking: for an adapter (or a test double) that only sends. Its
 * capabilities must say so (tapAnswers, tapAnswerInWebhookReply, polling and fetchesAttachments all false).
 */
export function sendOnly(channel: string): Pick<ChannelAdapter, "resolveAttachment" | "answerCallback" | "callbackWebhookReply" | "startPolling"> {
  return {
    resolveAttachment: lacking(channel, "fetchesAttachments"),
    answerCallback: lacking(channel, "tapAnswers"),
    callbackWebhookReply: lacking(channel, "tapAnswerInWebhookReply"),
    startPolling: lacking(channel, "polling"),
  };
}

/** The capabilities of an adapter that only sends: no taps to answer, no polling, references stored as they are. */
export const SEND_ONLY_CAPABILITIES = { tapAnswers: false, tapAnswerInWebhookReply: false, polling: false, fetchesAttachments: false } as const;

/**
 * One inbound message, normalised by an adapter. `eventKey` is unique per platform delivery (Telegram update_id;
 * Zalo event name + message id), so a redelivery is recognised.
 */
export interface ParsedEvent {
  readonly kind: "event";
  readonly eventKey: string;
  readonly externalUserId: string;
  readonly chatId: string;
  readonly displayName?: string;
  /** Private chats answer the assessment; groups only get a hint to write privately. */
  readonly chatType: "private" | "group";
  readonly input: Input;
  /**
   * When the person sent it, by the platform's clock (Telegram `date`, Zalo `date`); absent for a button tap. Limits
   * on how fast a person writes count this, not arrival: a backlog redelivered after an outage arrives all at once.
   */
  readonly sentAt?: Date;
  /** Zalo: the key this event had before keys named sender and chat, so a redelivery from before is still known. */
  readonly legacyEventKey?: string;
  /** Telegram: the callback query to answer once handled (every callback query must be answered). */
  readonly callbackQueryId?: string;
  /** Telegram: the message whose keyboard was tapped (its buttons stay: a tap on an old one is the engine's to answer). */
  readonly tappedMessageId?: string;
}

/**
 * The person blocked the bot (or unblocked it) in their private chat: no message to answer, but reminders and the
 * supervisor's overview must know whether they can be reached.
 */
export interface ReachabilityChange {
  readonly kind: "reachability";
  readonly externalUserId: string;
  readonly reachable: boolean;
}

/** What an adapter makes of a webhook body: events to handle, or updates to acknowledge and ignore. */
export type ParsedUpdate = ParsedEvent | ReachabilityChange | { readonly kind: "ignored"; readonly reason: string };

/** Why a send failed, classified as courier does: the outbox retries network/throttled and gives up otherwise. */
export type SendFailure = "network" | "throttled" | "rejected" | "blocked";

export interface SendOptions {
  /** Parts an earlier attempt delivered already (SendError.partsDone), not to be sent again. */
  readonly skipParts?: number;
  /**
   * Awaited before each part after the first this attempt sends: a later part of a long message is one more request
   * into the chat, counted by the platform's limits like any other, so the sender gives it a slot of its own.
   */
  readonly beforeNextPart?: () => Promise<void>;
}

/**
 * Publishes a file of this server under a public, expiring URL (the service's public file store): Zalo's photos and
 * documents, and Telegram's documents over the Bot API's upload limit, go out as links.
 */
export interface FilePublisher {
  publishFile(file: string, options?: { readonly downloadName?: string }): Promise<{ readonly url: string }>;
}

export class SendError extends Error {
  override name = "SendError";
  constructor(
    readonly reason: SendFailure,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.reason === "network" || this.reason === "throttled";
  }

  /** Parts of the message delivered before this failure, counting those skipped as sent earlier (see sendParts). */
  partsDone = 0;
}

/**
 * Sends a message that takes several platform calls (a long text split at the platform's limit, a photo and the rest
 * of its caption) one call after the other, skipping the first `skipParts` — delivered by an earlier attempt — so a
 * retry never repeats a part; each later part waits for `beforeNextPart`. A failure is thrown as a SendError that says
 * how many parts are delivered in all.
 */
export async function sendParts(parts: readonly (() => Promise<unknown>)[], options: SendOptions, toSendError: (error: unknown) => SendError): Promise<void> {
  const skip = options.skipParts ?? 0;
  for (let i = skip; i < parts.length; i += 1) {
    if (i > skip) await options.beforeNextPart?.();
    try {
      await (parts[i] as () => Promise<unknown>)();
    } catch (error) {
      const failure = toSendError(error);
      failure.partsDone = i;
      throw failure;
    }
  }
}

/** An attachment the service now holds: the ref to store, the name to show, and the file's checksum, size and type. */
export interface ResolvedAttachment {
  readonly ref: string;
  readonly fileName?: string;
  readonly file?: StoredFileFacts;
}

/** The answer to a button tap: the platform's callback query id and, optionally, a brief notice to show on it. */
export interface TapAnswer {
  readonly id: string;
  readonly text?: string;
}

/**
 * One messaging platform. Knows nothing about questionnaires or wording: it verifies and parses webhooks and sends
 * already-rendered messages.
 */
export interface ChannelAdapter {
  readonly channel: Exclude<Channel, "console">;
  readonly capabilities: ChannelCapabilities;
  /** Constant-time check of the platform's secret header. */
  verify(headers: IncomingHttpHeaders): boolean;
  /** Total and pure: unknown or malformed payloads give [] or "ignored", never an exception. */
  parse(body: unknown): ParsedUpdate[];
  /**
   * Fetches what an attachment needs before the platform forgets it (Zalo image URLs expire), returning the
   * reference to store. Called outside any database transaction. Capability `fetchesAttachments`.
   */
  resolveAttachment(ref: string, fileName?: string): Promise<ResolvedAttachment>;
  /** Sends one message; throws SendError. Never retries by itself beyond the platform client's own policy. */
  send(chatId: string, message: OutboundMessage, options?: SendOptions): Promise<void>;
  /**
   * Acknowledges a tap's query (stops the button's spinner), showing `text` briefly when given. Capability
   * `tapAnswers`.
   */
  answerCallback(tap: TapAnswer): Promise<void>;
  /**
   * The same acknowledgement as the body of the webhook's 200 response, which the platform carries out itself — one
   * request less per tap. The platform does not say whether it worked; for a spinner, or a notice whose content the
   * next message repeats, that is enough. Capability `tapAnswerInWebhookReply`.
   */
  callbackWebhookReply(tap: TapAnswer): Record<string, unknown>;
  /**
   * Local development without a public URL (`<CHANNEL>_MODE=polling`): fetches updates in a loop and hands each batch
   * to `onUpdates`, which resolves once they are committed. `stop()` ends the loop. Capability `polling`.
   */
  startPolling(onUpdates: (updates: ParsedUpdate[]) => Promise<void>): { stop(): Promise<void> };
}
