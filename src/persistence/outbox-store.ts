import type { Channel } from "../channels/channel.js";
import type { RenderedReply } from "../i18n/translator.js";
import type { Db, Tx } from "./database.js";

/** A message waiting to be delivered, already rendered in the recipient's language. */
export interface OutboxEntry {
  readonly id: string;
  readonly channel: Channel;
  readonly chatId: string;
  readonly reply: RenderedReply;
}

export async function enqueueReplies(tx: Tx, channel: Channel, chatId: string, identityId: string, replies: readonly RenderedReply[]): Promise<OutboxEntry[]> {
  const entries: OutboxEntry[] = [];
  for (const reply of replies) {
    const row = await tx.outboxMessage.create({ data: { channel, chatId, identityId, payload: JSON.stringify(reply) } });
    entries.push({ id: row.id, channel, chatId, reply });
  }
  return entries;
}

export async function markSent(db: Db, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.outboxMessage.updateMany({ where: { id: { in: [...ids] } }, data: { status: "sent", sentAt: now } });
}
