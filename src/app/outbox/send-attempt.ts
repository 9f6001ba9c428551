import { SendError, type ChannelAdapter } from "../../channels/channel.js";
import type { OutboxEntry } from "../../persistence/outbox-store.js";
import type { Metrics } from "../metrics.js";

/** How one try to hand a message to its platform ended. */
export type AttemptResult =
  | { readonly kind: "sent" }
  /** `partsDone`: parts of a long message delivered in all, never sent again. */
  | { readonly kind: "failed"; readonly failure: SendError; readonly partsDone: number };

/**
 * One try of one message: the platform call and its classification (an error that is not a SendError counts as a
 * network failure, so it is retried). Never throws, never writes to the database; what follows is the deliverer's call.
 */
export async function attemptSend(adapter: ChannelAdapter, entry: OutboxEntry, options: { sentParts: number; beforeNextPart: () => Promise<void> }, metrics?: Metrics): Promise<AttemptResult> {
  const { sentParts, beforeNextPart } = options;
  try {
    await adapter.send(entry.chatId, entry.message, { skipParts: sentParts, beforeNextPart });
    metrics?.outboundSends.inc({ channel: entry.channel, result: "sent" });
    return { kind: "sent" };
  } catch (error) {
    const failure = error instanceof SendError ? error : new SendError("network", error instanceof Error ? error.message : String(error));
    metrics?.outboundSends.inc({ channel: entry.channel, result: failure.reason });
    return { kind: "failed", failure, partsDone: Math.max(failure.partsDone, sentParts) };
  }
}
