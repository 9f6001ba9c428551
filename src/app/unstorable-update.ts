import type { Channel } from "../channels/channel.js";
import { t } from "../domain/conversation/text.js";
import { storableText } from "../domain/text/clean-text.js";
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
  const stored = { channel: event.channel, eventKey: storableText(event.eventKey), chatId: storableText(event.chatId) };
  const { outcome, outbox } = await deps.port.commitEventOnly(stored, [{ kind: "reply", reply }], deps.leaseReplies === true, now);
  return outcome === "committed" ? { kind: "handled", outbox, locale: deps.defaultLocale } : { kind: "duplicate" };
}
