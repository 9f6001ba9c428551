import type { Logger } from "pino";
import type { ChannelAdapter, ParsedEvent, ParsedUpdate } from "../channels/channel.js";
import type { Input } from "../domain/conversation/input.js";
import type { OutboxEntry } from "../persistence/outbox-store.js";
import { handleInbound, type InboundDeps } from "./handle-inbound.js";

/**
 * Handles a batch of parsed platform updates, each committed in its own transaction. Shared by webhooks and
 * polling. Throws on a database failure so the caller does not acknowledge what was not stored.
 * Returns the callback queries to answer once the batch is acknowledged, and the replies queued for sending.
 */
export async function processUpdates(
  adapter: ChannelAdapter,
  updates: readonly ParsedUpdate[],
  deps: { readonly inbound: InboundDeps; readonly logger: Logger },
): Promise<{ callbacks: string[]; outbox: OutboxEntry[] }> {
  const callbacks: string[] = [];
  const outbox: OutboxEntry[] = [];
  for (const update of updates) {
    if (update.kind === "reachability") {
      await deps.inbound.db.chatIdentity.updateMany({
        where: { channel: adapter.channel, externalUserId: update.externalUserId },
        data: { reachable: update.reachable },
      });
      continue;
    }
    if (update.kind !== "event") continue;
    // A redelivered attachment is not fetched again (handleInbound would discard it as a duplicate anyway).
    if (update.input.kind === "attachment" && (await alreadyProcessed(deps.inbound, adapter.channel, update.eventKey))) continue;
    const input = await resolveInput(adapter, update, deps.logger);
    const result = await handleInbound(deps.inbound, {
      channel: adapter.channel,
      eventKey: update.eventKey,
      externalUserId: update.externalUserId,
      chatId: update.chatId,
      chatType: update.chatType,
      input,
      ...(update.displayName === undefined ? {} : { displayName: update.displayName }),
    });
    if (result.kind === "handled") outbox.push(...result.outbox);
    if (update.callbackQueryId) callbacks.push(update.callbackQueryId);
  }
  return { callbacks, outbox };
}

async function alreadyProcessed(inbound: InboundDeps, channel: ChannelAdapter["channel"], eventKey: string): Promise<boolean> {
  const row = await inbound.db.processedUpdate.findUnique({ where: { channel_externalKey: { channel, externalKey: eventKey } } });
  return row !== null;
}

/** Fetches an attachment before the platform forgets it; if that fails the message is treated as unreadable. */
async function resolveInput(adapter: ChannelAdapter, event: ParsedEvent, logger: Logger): Promise<Input> {
  const input = event.input;
  if (input.kind !== "attachment" || !adapter.resolveAttachment) return input;
  try {
    const resolved = await adapter.resolveAttachment(input.attachment.ref);
    const fileName = resolved.fileName ?? input.attachment.fileName;
    return { kind: "attachment", attachment: { ...input.attachment, ref: resolved.ref, ...(fileName === undefined ? {} : { fileName }) } };
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error), channel: adapter.channel }, "attachment could not be fetched");
    return { kind: "unsupported" };
  }
}
