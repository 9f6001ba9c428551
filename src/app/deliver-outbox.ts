import type { Logger } from "pino";
import { SendError, type Channel, type ChannelAdapter } from "../channels/channel.js";
import { retryDelayMs } from "../domain/delivery/retry-delay.js";
import { SendPolicy, TELEGRAM_LIMITS, ZALO_LIMITS, type DeliveryLimits, type Lane } from "../domain/delivery/send-policy.js";
import type { Db } from "../persistence/database.js";
import type { Metrics } from "./metrics.js";
import { claimDue, markDeferred, markDropped, markFailed, markRetry, markSent, OUTBOX_LEASE_MS, OUTBOX_MAX_ATTEMPTS, type OutboxEntry } from "../persistence/outbox-store.js";

/** What to do with a claimed row just before sending it (see DelivererDeps.beforeSend). */
export type SendDecision =
  | { readonly kind: "send" }
  /** Never send it: the row is marked "dropped" with the reason. */
  | { readonly kind: "drop"; readonly reason: string }
  /** Not now: the row goes back to "pending" until then, without counting an attempt. */
  | { readonly kind: "defer"; readonly until: Date };

/** How one claimed row ended in this pass: "retry" is a failed attempt that will be tried again. */
export type SendOutcome = "sent" | "failed" | "retry" | "dropped" | "deferred";

export interface DelivererDeps {
  readonly db: Db;
  readonly kind: "sqlite" | "postgres";
  readonly adapters: readonly ChannelAdapter[];
  readonly logger: Logger;
  readonly clock: () => Date;
  /** The platforms' limits (default TELEGRAM_LIMITS and ZALO_LIMITS). */
  readonly limits?: Partial<Record<ChannelAdapter["channel"], DeliveryLimits>>;
  /**
   * Milliseconds on a monotonic clock for the send policy (default performance.now): pacing follows real time even
   * where `clock` is simulated. Tests pass one that their `sleep` moves on.
   */
  readonly monotonicMs?: () => number;
  /** How often to look for retries and rows other instances left behind. */
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly metrics?: Metrics;
  /**
   * Looks at a row before it is sent: computed messages (reminders) use it to drop what became pointless and to keep
   * quiet hours. Must answer { kind: "send" } at once for rows it does not own, so interactive replies are unaffected.
   */
  readonly beforeSend?: (entry: OutboxEntry) => Promise<SendDecision>;
  /** Told how each claimed row ended (the reminder command counts its own rows with it). */
  readonly onOutcome?: (entry: OutboxEntry, outcome: SendOutcome) => void;
}

export interface OutboxDeliverer {
  /** Something was queued: deliver soon, without waiting for the next poll. */
  kick(): void;
  /**
   * Sends rows this process queued already leased to itself (the replies to a webhook it just answered): no claim
   * round-trip. If the process dies first, the lease runs out and any instance sends them.
   */
  deliverClaimed(entries: readonly OutboxEntry[]): void;
  /** Delivers everything due now (used by tests and the reminder command); resolves with the number sent. */
  deliverDue(): Promise<number>;
  start(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
}

const DEFAULT_LIMITS: Record<ChannelAdapter["channel"], DeliveryLimits> = { telegram: TELEGRAM_LIMITS, zalo: ZALO_LIMITS };
const BATCH = 100;
/**
 * 429 pauses one message may wait out in memory, in all: half its lease, so no other sender (nor this one's poll)
 * claims it meanwhile. Beyond that the row goes back to the table until the platform's retry_after.
 */
const MAX_INLINE_PAUSE_MS = OUTBOX_LEASE_MS / 2;
/** Pause after a 429 that names no retry_after. */
const THROTTLE_PAUSE_MS = 2_000;
/** How many waiting proactive messages are looked at for one that may go now (a paused chat must not block the rest). */
const PROACTIVE_WINDOW = 64;

/** One row on its way: which lane, and what earlier tries of this process left. */
interface Item {
  readonly entry: OutboxEntry;
  readonly lane: Lane;
  readonly chat: string;
  sentParts: number;
  /** 429 pauses waited out for it so far. */
  pausedMs: number;
  readonly done: (sent: boolean) => void;
}

/**
 * Sends queued messages after their transaction committed. Rows are claimed with a lease, so a crash leaves them to
 * be sent again later (at least once) and two instances never send the same row. Each chat has one queue, so its
 * messages go in order; chats are served side by side. When each may go is the send policy's call
 * (domain/delivery/send-policy.ts): replies at once within the platform's burst, reminders at their own pace without
 * ever holding a reply back, and a 429 pauses the chat (or the bot) for retry_after, then the message is tried again.
 */
export function createOutboxDeliverer(deps: DelivererDeps): OutboxDeliverer {
  const adapters = new Map<Channel, ChannelAdapter>(deps.adapters.map((a) => [a.channel, a]));
  const policies = new Map<Channel, SendPolicy>(deps.adapters.map((a) => [a.channel, new SendPolicy(deps.limits?.[a.channel] ?? DEFAULT_LIMITS[a.channel])]));
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const monotonicMs = deps.monotonicMs ?? (() => performance.now());
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  // Chats that finish sending in the same turn of the event loop are marked in one write (one commit, one round trip).
  let toMark: string[] = [];
  let marking: Promise<void> | null = null;
  function markSentSoon(id: string): Promise<void> {
    toMark.push(id);
    marking ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const batch = toMark;
      toMark = [];
      marking = null;
      return markSent(deps.db, batch, deps.clock());
    });
    return marking;
  }

  /** One try. "throttled" leaves the item at the head of its chat's queue, to go again once the pause is over. */
  async function attempt(item: Item, adapter: ChannelAdapter, policy: SendPolicy): Promise<"sent" | "throttled" | "settled"> {
    const { entry } = item;
    try {
      await adapter.send(entry.chatId, entry.message, { skipParts: item.sentParts });
      deps.metrics?.outboundSends.inc({ channel: entry.channel, result: "sent" });
      deps.onOutcome?.(entry, "sent");
      return "sent";
    } catch (error) {
      const failure = error instanceof SendError ? error : new SendError("network", error instanceof Error ? error.message : String(error));
      deps.metrics?.outboundSends.inc({ channel: entry.channel, result: failure.reason });
      item.sentParts = Math.max(failure.partsDone, item.sentParts);
      if (failure.reason === "throttled") {
        const pauseMs = failure.retryAfterMs ?? THROTTLE_PAUSE_MS;
        policy.throttled(item.chat, pauseMs, monotonicMs());
        if (item.pausedMs + pauseMs <= MAX_INLINE_PAUSE_MS) {
          item.pausedMs += pauseMs;
          return "throttled";
        }
      }
      const attempts = entry.attempts + 1;
      if (failure.reason === "blocked" && entry.identityId) {
        await deps.db.chatIdentity.update({ where: { id: entry.identityId }, data: { reachable: false } });
      }
      if (failure.retryable && attempts < OUTBOX_MAX_ATTEMPTS) {
        const next = new Date(deps.clock().getTime() + retryDelayMs(attempts, failure.retryAfterMs));
        await markRetry(deps.db, entry.id, attempts, next, `${failure.reason}: ${failure.message}`, item.sentParts);
        deps.onOutcome?.(entry, "retry");
      } else {
        await markFailed(deps.db, entry.id, attempts, `${failure.reason}: ${failure.message}`);
        deps.onOutcome?.(entry, "failed");
      }
      deps.logger.warn({ outboxId: entry.id, channel: entry.channel, reason: failure.reason, attempts }, "send failed");
      return "settled";
    }
  }

  const chatQueues = new Map<string, Item[]>();

  /** Sends a chat's queue in order, one message at a time, each when the policy lets it go. */
  async function drainChat(chat: string, queue: Item[]): Promise<void> {
    for (let item = queue[0]; item !== undefined; item = queue[0]) {
      const adapter = adapters.get(item.entry.channel);
      const policy = policies.get(item.entry.channel);
      if (adapter === undefined || policy === undefined) {
        queue.shift();
        item.done(false);
        continue;
      }
      const now = monotonicMs();
      // A proactive message was let through by the dispatcher already; it only waits out a pause since then.
      const wait = item.lane === "interactive" ? policy.reserveReply(chat, now) : Math.max(0, policy.pausedUntil(chat) - now);
      if (wait > 0) await sleep(wait);
      if (item.lane === "interactive") {
        const botWait = policy.takeBotSlot(monotonicMs());
        if (botWait > 0) await sleep(botWait);
      }
      const outcome = await attempt(item, adapter, policy).catch((error: unknown) => {
        deps.logger.error({ err: error, outboxId: item.entry.id }, "outbox delivery failed");
        return "settled" as const;
      });
      if (outcome === "throttled") continue;
      queue.shift();
      if (outcome === "sent") {
        const done = item.done;
        markSentSoon(item.entry.id).then(
          () => done(true),
          (error: unknown) => {
            // Sent but not marked: the lease runs out and it is sent again (at least once, never lost).
            deps.logger.error({ err: error, outboxId: item.entry.id }, "marking a sent message failed");
            done(true);
          },
        );
      } else item.done(false);
    }
    chatQueues.delete(chat);
  }

  function toChat(item: Item): void {
    const queue = chatQueues.get(item.chat);
    if (queue) {
      queue.push(item);
      return;
    }
    const fresh = [item];
    chatQueues.set(item.chat, fresh);
    void drainChat(item.chat, fresh);
  }

  // Proactive messages wait here until the policy lets them go, then join their chat's queue.
  let proactive: Item[] = [];
  let dispatching = false;
  async function dispatchProactive(): Promise<void> {
    if (dispatching) return;
    dispatching = true;
    try {
      while (proactive.length > 0) {
        const now = monotonicMs();
        let soonest = Number.POSITIVE_INFINITY;
        const window = proactive.slice(0, PROACTIVE_WINDOW);
        const released = new Set<Item>();
        for (const item of window) {
          const policy = policies.get(item.entry.channel);
          const wait = policy ? policy.tryProactive(item.chat, now) : 0;
          if (wait === 0) released.add(item);
          else soonest = Math.min(soonest, wait);
        }
        if (released.size > 0) {
          proactive = proactive.filter((item) => !released.has(item));
          for (const item of released) toChat(item);
        } else {
          await sleep(Math.max(1, soonest));
          // A sleep that returned at once (tests) must not starve the event loop.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      dispatching = false;
    }
  }

  /**
   * Hands claimed rows to their lanes after the pre-send check, and resolves with how many were sent once all are
   * settled. Sent rows are marked soon after (several chats in one write); a crash in between sends them again once
   * the lease runs out (at least once, never lost).
   */
  async function sendClaimed(batch: readonly OutboxEntry[], lane: (entry: OutboxEntry) => Lane): Promise<number> {
    const decisions = await Promise.all(batch.map(async (entry) => (deps.beforeSend ? await deps.beforeSend(entry) : ({ kind: "send" } as const))));
    const results = await Promise.all(
      batch.map(async (entry, i): Promise<boolean> => {
        const decision = decisions[i] ?? ({ kind: "send" } as const);
        if (decision.kind === "drop") {
          await markDropped(deps.db, entry.id, decision.reason);
          deps.onOutcome?.(entry, "dropped");
          return false;
        }
        if (decision.kind === "defer") {
          await markDeferred(deps.db, entry.id, decision.until);
          deps.onOutcome?.(entry, "deferred");
          return false;
        }
        return new Promise<boolean>((done) => {
          const item: Item = { entry, lane: lane(entry), chat: `${entry.channel}:${entry.chatId}`, sentParts: entry.sentParts ?? 0, pausedMs: 0, done };
          if (item.lane === "interactive") toChat(item);
          else {
            proactive.push(item);
            void dispatchProactive();
          }
        });
      }),
    );
    return results.filter(Boolean).length;
  }

  /** Rows found in the table: computed ones (with a dedupe key: reminders, nudges) are proactive, the rest replies. */
  const laneOfStored = (entry: OutboxEntry): Lane => (entry.dedupeKey ? "proactive" : "interactive");

  async function runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await claimDue(deps.db, deps.kind, [...adapters.keys()], deps.clock(), BATCH);
      if (batch.length === 0) return sent;
      // One batch at a time: rows wait in memory for much less than their lease.
      sent += await sendClaimed(batch, laneOfStored);
      if (batch.length < BATCH) return sent;
    }
  }

  const inFlight = new Set<Promise<number>>();

  async function deliverDue(): Promise<number> {
    // Replies handed over right after their webhook count as part of "everything due now".
    const direct = (await Promise.all([...inFlight])).reduce((a, b) => a + b, 0);
    return direct + (await deliverQueued());
  }

  function deliverQueued(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await runOnce();
      } while (again);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    kick() {
      deliverQueued().catch((error: unknown) => deps.logger.error({ err: error }, "outbox delivery failed"));
    },
    deliverClaimed(entries) {
      const delivery = sendClaimed(entries, () => "interactive").catch((error: unknown) => {
        deps.logger.error({ err: error }, "outbox delivery failed");
        return 0;
      });
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    },
    deliverDue,
    start() {
      if (timer) return;
      timer = setInterval(() => this.kick(), deps.pollMs ?? 2000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (running) await running.catch(() => undefined);
      await Promise.all([...inFlight]);
    },
  };
}
