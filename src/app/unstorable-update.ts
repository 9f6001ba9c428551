import type { Channel } from "../channels/channel.js";
import { t } from "../domain/conversation/text.js";
import { storableText } from "../domain/text/clean-text.js";
import { recordEventStep } from "../persistence/conversation-store.js";
import { driverSqlOf } from "../persistence/db-client.js";
import { outboxSteps } from "../persistence/outbox-store.js";
import type { InboundDeps, InboundResult } from "./handle-inbound.js";

/**
 * An update the database refused for its content (see isUnstorableData) would be refused again on every
 * redelivery, and a platform redelivers an unacknowledged update for ever. So it is recorded under its key, the
 * person is told in the default language that the message could not be saved, and the webhook acknowledges it; a
 * redelivery then finds the key and changes nothing. The text itself is not kept.
 */
export async function acknowledgeUnstorable(
  deps: InboundDeps,
  event: { readonly channel: Channel; readonly eventKey: string; readonly chatId: string },
): Promise<InboundResult> {
  const now = deps.clock();
  const reply = deps.translator.reply(deps.defaultLocale, { paragraphs: [t("input.unstorable")] });
  const target = { channel: event.channel, chatId: storableText(event.chatId), identityId: null };
  const queued = outboxSteps(target, [{ kind: "reply", reply }], now, { leased: deps.leaseReplies === true });
  const outcome = await driverSqlOf(deps.db).transact([recordEventStep(event.channel, storableText(event.eventKey), now), ...queued.steps]);
  return outcome === "committed" ? { kind: "handled", outbox: queued.entries, locale: deps.defaultLocale } : { kind: "duplicate" };
}
