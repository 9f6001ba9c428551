import { byQueueOrder } from "../../persistence/outbox-claim.js";
import type { OutboxEntry } from "../../persistence/outbox-store.js";

/** A message held in memory: waiting its turn, being sent, being marked sent, or handed back to the table. */
export interface QueuedItem {
  readonly entry: OutboxEntry;
  state: "waiting" | "sending" | "settling" | "returned";
}

/** After the head of a queue was dealt with: go on with the next, try the head again, or give the rest back. */
export type HeadStep = "next" | "again" | "hand-back-rest";

interface Queue<T> {
  readonly items: T[];
  /** The head is being sent (or waits for its slot): nothing may go before it. Until then, an earlier row may. */
  headBusy: boolean;
  /**
   * Items that may not go before their gate resolves: it resolves false when the chat turned out to have an earlier
   * message outside this memory (in the table, queued by another instance): then the item and the rest go back.
   */
  readonly gates: Map<T, Promise<boolean>>;
}

/**
 * One queue per chat and lane, each sent one message at a time, in the order the messages were queued; chats are
 * served side by side. A message that goes back to the table takes the rest of its queue with it, so nothing
 * overtakes it (the table's claim keeps the same order).
 */
export function createChatQueues<T extends QueuedItem>(deps: {
  /** Sends the head when its time has come and says what next. */
  readonly process: (item: T) => Promise<HeadStep>;
  readonly handBack: (items: T[]) => void;
  readonly stopping: () => boolean;
}) {
  const queues = new Map<string, Queue<T>>();

  async function drain(key: string, queue: Queue<T>): Promise<void> {
    while (queue.items.length > 0 && !deps.stopping()) {
      const head = queue.items[0] as T;
      if (head.state === "returned") {
        queue.items.shift();
        continue;
      }
      const gate = queue.gates.get(head);
      if (gate !== undefined) {
        queue.gates.delete(head);
        // While the gate is open to question an earlier row claimed meanwhile may still be put before the head.
        if (!(await gate.catch(() => false))) deps.handBack(queue.items.splice(0));
        continue;
      }
      queue.headBusy = true;
      const step = await deps.process(head);
      queue.headBusy = false;
      if (step === "again") continue;
      queue.items.shift();
      if (step === "hand-back-rest") deps.handBack(queue.items.splice(0));
    }
    if (queue.items.length > 0) deps.handBack(queue.items.splice(0));
    queues.delete(key);
  }

  return {
    has: (key: string): boolean => queues.has(key),
    /**
     * Adds messages to a chat's queue in queue order (behind the head, which may be on its way). With a `gate`, the
     * first of them (and so the rest, behind it) is not sent until the gate says the chat has nothing earlier waiting
     * elsewhere: a reply queued while another instance's earlier reply sits in the table must not overtake it.
     */
    add(key: string, items: readonly T[], gate?: Promise<boolean>): void {
      const existing = queues.get(key);
      const first = [...items].sort((a, b) => byQueueOrder(a.entry, b.entry))[0];
      if (existing !== undefined) {
        if (gate !== undefined && first !== undefined) existing.gates.set(first, gate);
        for (const item of items) {
          // An earlier row claimed while this queue waited for its gate goes first.
          const floor = existing.headBusy ? 1 : 0;
          let at = existing.items.length;
          while (at > floor && byQueueOrder(item.entry, (existing.items[at - 1] as T).entry) < 0) at -= 1;
          existing.items.splice(at, 0, item);
        }
        return;
      }
      const queue: Queue<T> = { items: [...items].sort((a, b) => byQueueOrder(a.entry, b.entry)), gates: new Map(), headBusy: false };
      if (gate !== undefined && first !== undefined) queue.gates.set(first, gate);
      queues.set(key, queue);
      void drain(key, queue);
    },
  };
}
