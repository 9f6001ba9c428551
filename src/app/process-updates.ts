import { EvidenceRefusedError, refusedInput } from "./evidence/evidence-file-store.js";
import type { Logger } from "pino";
import type { ChannelAdapter, ParsedEvent, ParsedUpdate, TapAnswer } from "../channels/channel.js";
import type { Input } from "../domain/conversation/input.js";
import type { OutboxEntry } from "../persistence/outbox-store.js";
import { isUnstorableData } from "../persistence/store-errors.js";
import { handleInbound, type InboundDeps } from "./handle-inbound.js";
import { acknowledgeUnstorable } from "./unstorable-update.js";
import { oneAtATimePer } from "./one-at-a-time.js";

const STARTED_AT = new Date();

/**
 * One person's messages are handled one after another in this process. Each commits only over the conversation state
 * the previous one left (compare-and-set), so handled side by side all but one start again; a supervisor's report or
 * a score card takes long enough that a few messages at once used up the retries and were answered 503.
 */
const perPerson = oneAtATimePer();

/**
 * Handles a batch of parsed platform updates, each committed in its own transaction. Shared by webhooks and
 * polling. Throws on a database failure so the caller does not acknowledge what was not stored.
 * Returns the callback queries to answer once the batch is acknowledged (with the notice to show on the tapped button,
 * if any), and the replies queued for sending.
 */
export async function processUpdates(
  adapter: ChannelAdapter,
  updates: readonly ParsedUpdate[],
  deps: { readonly inbound: InboundDeps; readonly logger: Logger },
): Promise<{ callbacks: TapAnswer[]; outbox: OutboxEntry[] }> {
  const callbacks: TapAnswer[] = [];
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
    // Keys in the older form can only belong to messages sent before this process started (see ParsedEvent).
    if (update.legacyEventKey !== undefined && (update.sentAt === undefined || update.sentAt < STARTED_AT)) {
      if (await alreadyProcessed(deps.inbound, adapter.channel, update.legacyEventKey)) continue;
    }
    const resolveAttachment = attachmentResolver(adapter, update, deps.logger);
    const result = await perPerson(`${adapter.channel}:${update.externalUserId}`, () => handleInbound(deps.inbound, {
      channel: adapter.channel,
      eventKey: update.eventKey,
      externalUserId: update.externalUserId,
      chatId: update.chatId,
      chatType: update.chatType,
      input: update.input,
      ...(resolveAttachment === undefined ? {} : { resolveAttachment }),
      ...(update.displayName === undefined ? {} : { displayName: update.displayName }),
      ...(update.sentAt === undefined ? {} : { sentAt: update.sentAt }),
      ...(update.callbackQueryId !== undefined && adapter.capabilities.tapAnswers ? { tapNotices: true } : {}),
    })).catch((error: unknown) => {
      if (!isUnstorableData(error)) throw error;
      deps.logger.error({ channel: adapter.channel, error: error instanceof Error ? error.name : typeof error }, "update cannot be stored; acknowledged and answered");
      return acknowledgeUnstorable(deps.inbound, { channel: adapter.channel, eventKey: update.eventKey, chatId: update.chatId });
    });
    if (result.kind === "handled") outbox.push(...result.outbox);
    const notice = result.kind === "handled" ? result.tapNotice : undefined;
    if (update.callbackQueryId) callbacks.push({ id: update.callbackQueryId, ...(notice === undefined ? {} : { text: notice }) });
  }
  return { callbacks, outbox };
}

function alreadyProcessed(inbound: InboundDeps, channel: ChannelAdapter["channel"], eventKey: string): Promise<boolean> {
  return inbound.port.seen(channel, eventKey);
}

/**
 * Fetches an attachment before the platform forgets it, once however often handleInbound retries; if that fails the
 * message is one whose file could not be fetched (its caption kept). None when the channel's references stay valid (Telegram file ids).
 */
function attachmentResolver(adapter: ChannelAdapter, event: ParsedEvent, logger: Logger): (() => Promise<Input>) | undefined {
  const input = event.input;
  if (input.kind !== "attachment" || !adapter.capabilities.fetchesAttachments) return undefined;
  const resolve = adapter.resolveAttachment.bind(adapter);
  let fetched: Promise<Input> | undefined;
  const fetch = async (): Promise<Input> => {
    try {
      const resolved = await resolve(input.attachment.ref, input.attachment.fileName);
      const fileName = resolved.fileName ?? input.attachment.fileName;
      const file = resolved.file === undefined ? {} : { file: resolved.file };
      return { kind: "attachment", attachment: { ...input.attachment, ref: resolved.ref, ...(fileName === undefined ? {} : { fileName }), ...file } };
    } catch (error) {
      if (error instanceof EvidenceRefusedError) return refusedInput(input.attachment, error.reason);
      logger.warn({ err: error instanceof Error ? error.message : String(error), channel: adapter.channel }, "attachment could not be fetched");
      // The person is told the file did not arrive, and what they wrote with it is not lost (keep-offer.ts).
      const caption = input.attachment.caption === undefined ? {} : { caption: input.attachment.caption };
      return { kind: "unsupported", failed: { kind: "unavailable", what: input.attachment.kind, ...caption } };
    }
  };
  return () => (fetched ??= fetch());
}
