import type { SendPolicy } from "../../domain/delivery/send-policy.js";

/** How many waiting proactive messages are looked at for one that may go now: a paused chat must not block the rest. */
const PROACTIVE_WINDOW = 64;

/** What the dispatcher needs of a waiting message. */
export interface Dispatchable {
  readonly chat: string;
  readonly policy: SendPolicy | undefined;
}

/**
 * Reminders, nudges and digests wait here until the send policy lets each go (its own pace, bot-wide and per chat,
 * never booked ahead so a reply that comes meanwhile goes first), then `release` hands them to their chat's queue.
 * Messages whose chat is paused (a 429) are passed over, so one throttled chat holds nobody back.
 */
export function createProactiveDispatcher<T extends Dispatchable>(deps: {
  readonly release: (item: T) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly monotonicMs: () => number;
  /** True once the deliverer stops: waiting items are left for it to hand back. */
  readonly stopping: () => boolean;
}) {
  let waiting: T[] = [];
  let running = false;

  async function run(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (waiting.length > 0 && !deps.stopping()) {
        const now = deps.monotonicMs();
        let soonest = Number.POSITIVE_INFINITY;
        const released = new Set<T>();
        for (const item of waiting.slice(0, PROACTIVE_WINDOW)) {
          const wait = item.policy ? item.policy.tryProactive(item.chat, now) : 0;
          if (wait === 0) released.add(item);
          else soonest = Math.min(soonest, wait);
        }
        if (released.size > 0) {
          waiting = waiting.filter((item) => !released.has(item));
          for (const item of released) deps.release(item);
        } else {
          await deps.sleep(Math.max(1, soonest));
          // A sleep that returned at once (tests) must not starve the event loop.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    add(item: T): void {
      waiting.push(item);
      void run();
    },
    /** Takes `item` out (handed back); false when it was released already. */
    remove(item: T): boolean {
      const before = waiting.length;
      waiting = waiting.filter((w) => w !== item);
      return waiting.length < before;
    },
  };
}
