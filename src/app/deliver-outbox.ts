import type { Logger } from "pino";
import { SendError, type Channel, type ChannelAdapter } from "../channels/channel.js";
import { RateLimiter, retryDelayMs, type RateLimits } from "../domain/delivery/rate-limiter.js";
import type { Db } from "../persistence/database.js";
import type { Metrics } from "./metrics.js";
import { claimDue, markDeferred, markDropped, markFailed, markRetry, markSent, OUTBOX_MAX_ATTEMPTS, type OutboxEntry } from "../persistence/outbox-store.js";

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
  readonly limits?: RateLimits;
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

export const DEFAULT_LIMITS: RateLimits = { perSecond: 25, perChatGapMs: 1000 };
const BATCH = 100;

/**
 * Sends queued messages after their transaction committed. Rows are claimed with a lease, so a crash leaves them to
 * be sent again later (at least once) and two instances never send the same row. Messages to one chat go in order;
 * chats are served side by side within the rate limits.
 */
export function createOutboxDeliverer(deps: DelivererDeps): OutboxDeliverer {
  const adapters = new Map<Channel, ChannelAdapter>(deps.adapters.map((a) => [a.channel, a]));
  const limiter = new RateLimiter(deps.limits ?? DEFAULT_LIMITS);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  // Chats that finish sending in the same turn of the event loop are marked in one write (one commit, one round trip).
  let toMark: string[] = [];
  let marking: Promise<void> | null = null;
  function markSentSoon(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    toMark.push(...ids);
    marking ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const batch = toMark;
      toMark = [];
      marking = null;
      return markSent(deps.db, batch, deps.clock());
    });
    return marking;
  }

  async function sendOne(entry: OutboxEntry): Promise<boolean> {
    const adapter = adapters.get(entry.channel);
    if (!adapter) return false;
    const decision = deps.beforeSend ? await deps.beforeSend(entry) : ({ kind: "send" } as const);
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
    const wait = limiter.reserve(`${entry.channel}:${entry.chatId}`, deps.clock().getTime());
    if (wait > 0) await sleep(wait);
    const attempts = entry.attempts + 1;
    try {
      await adapter.send(entry.chatId, entry.message, { skipParts: entry.sentParts ?? 0 });
      deps.metrics?.outboundSends.inc({ channel: entry.channel, result: "sent" });
      deps.onOutcome?.(entry, "sent");
      return true;
    } catch (error) {
      const failure = error instanceof SendError ? error : new SendError("network", error instanceof Error ? error.message : String(error));
      deps.metrics?.outboundSends.inc({ channel: entry.channel, result: failure.reason });
      if (failure.reason === "blocked" && entry.identityId) {
        await deps.db.chatIdentity.update({ where: { id: entry.identityId }, data: { reachable: false } });
      }
      if (failure.retryable && attempts < OUTBOX_MAX_ATTEMPTS) {
        const next = new Date(deps.clock().getTime() + retryDelayMs(attempts, failure.retryAfterMs));
        await markRetry(deps.db, entry.id, attempts, next, `${failure.reason}: ${failure.message}`, Math.max(failure.partsDone, entry.sentParts ?? 0));
        deps.onOutcome?.(entry, "retry");
      } else {
        await markFailed(deps.db, entry.id, attempts, `${failure.reason}: ${failure.message}`);
        deps.onOutcome?.(entry, "failed");
      }
      deps.logger.warn({ outboxId: entry.id, channel: entry.channel, reason: failure.reason, attempts }, "send failed");
      return false;
    }
  }

  /**
   * Sends claimed rows: chats side by side, each chat's messages in order. The sent rows of a chat are marked after its
   * run (with other chats' finishing at the same moment); a crash in between sends them again once the lease runs out
   * (at least once, never lost).
   */
  async function sendClaimed(batch: readonly OutboxEntry[]): Promise<number> {
    const byChat = new Map<string, OutboxEntry[]>();
    for (const entry of batch) {
      const key = `${entry.channel}:${entry.chatId}`;
      byChat.set(key, [...(byChat.get(key) ?? []), entry]);
    }
    const results = await Promise.all(
      [...byChat.values()].map(async (entries) => {
        const sent: string[] = [];
        for (const entry of entries) if (await sendOne(entry)) sent.push(entry.id);
        await markSentSoon(sent);
        return sent.length;
      }),
    );
    return results.reduce((a, b) => a + b, 0);
  }

  async function runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await claimDue(deps.db, deps.kind, [...adapters.keys()], deps.clock(), BATCH);
      if (batch.length === 0) return sent;
      sent += await sendClaimed(batch);
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
      const delivery = sendClaimed(entries).catch((error: unknown) => {
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
