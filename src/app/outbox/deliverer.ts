import type { Channel, ChannelAdapter } from "../../channels/channel.js";
import { decideAfterFailure } from "../../domain/delivery/retry-decision.js";
import { SendPolicy, TELEGRAM_LIMITS, ZALO_LIMITS, type DeliveryLimits, type Lane } from "../../domain/delivery/send-policy.js";
import { claimDue, earlierUnsent, handBack, handBackAllLeased, renewLeases } from "../../persistence/outbox-claim.js";
import { markDeferred, markDropped, markFailed, markRetry, markSent, OUTBOX_LEASE_RENEW_MS, type OutboxEntry } from "../../persistence/outbox-store.js";
import { createClaimLoop } from "./claim-loop.js";
import { createChatQueues, type HeadStep, type QueuedItem } from "./chat-queues.js";
import { createProactiveDispatcher } from "./proactive-dispatcher.js";
import { markSentBatcher } from "./mark-sent-batcher.js";
import { writePersistently } from "./persistent-write.js";
import { attemptSend } from "./send-attempt.js";
import type { DelivererDeps, OutboxDeliverer, SendDecision, SendOutcome } from "./types.js";

export type { DelivererDeps, OutboxDeliverer, SendDecision, SendOutcome, SenderRole } from "./types.js";

const DEFAULT_LIMITS: Record<Channel, DeliveryLimits> = { telegram: TELEGRAM_LIMITS, zalo: ZALO_LIMITS, console: TELEGRAM_LIMITS };
const DEFAULT_MAX_HELD: Record<Lane, number> = { interactive: 1_000, proactive: 500 };
const CLAIM_BATCH = 200;
/** How long stop() waits for sends already on their way before handing them back too (they may then go twice). */
const STOP_SEND_GRACE_MS = 3_000;

/** A row in this sender's memory. */
interface Held extends QueuedItem {
  readonly lane: Lane;
  readonly chat: string;
  readonly policy: SendPolicy | undefined;
  readonly adapter: ChannelAdapter | undefined;
  /** Claimed from the table (not handed over by the webhook): its chat may have rows waiting behind it there. */
  readonly fromTable: boolean;
  sentParts: number;
  /** 429 pauses waited out in memory so far. */
  pausedMs: number;
}

/**
 * Sends queued messages after their transaction committed, at least once and in each chat's order (see
 * persistence/outbox-claim.ts for the rule, domain/delivery/send-policy.ts for when each may go and
 * domain/delivery/retry-decision.ts for what follows a failure). Rows in memory keep a short lease that is renewed
 * while they wait, so no other sender (nor this one's poll) claims them, and a sender that died frees them in seconds.
 */
export function createOutboxDeliverer(deps: DelivererDeps): OutboxDeliverer {
  const adapters = new Map<Channel, ChannelAdapter>(deps.adapters.map((a) => [a.channel, a]));
  const policies = new Map<Channel, SendPolicy>(deps.adapters.map((a) => [a.channel, new SendPolicy(deps.limits?.[a.channel] ?? DEFAULT_LIMITS[a.channel])]));
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const monotonicMs = deps.monotonicMs ?? (() => performance.now());
  const maxHeld = { ...DEFAULT_MAX_HELD, ...deps.maxHeld };
  const held = new Map<string, Held>();
  const heldIn: Record<Lane, number> = { interactive: 0, proactive: 0 };
  const writes = new Set<Promise<unknown>>();
  let idleWaiters: (() => void)[] = [];
  let sent = 0;
  let stopping = false;
  let started = false;
  let pollTimer: NodeJS.Timeout | null = null;
  let renewTimer: NodeJS.Timeout | null = null;
  const wakeTimers = new Set<NodeJS.Timeout>();

  /** A database write that must finish before stop() resolves; failures are logged (the lease then frees the row). */
  function track(write: Promise<unknown>, what: string): void {
    const tracked = write.catch((error: unknown) => deps.logger.error({ err: error }, what)).finally(() => writes.delete(tracked));
    writes.add(tracked);
  }

  function hold(entry: OutboxEntry, lane: Lane, fromTable: boolean): Held {
    const item: Held = {
      entry,
      lane,
      chat: `${entry.channel}:${entry.chatId}`,
      policy: policies.get(entry.channel),
      adapter: adapters.get(entry.channel),
      fromTable,
      sentParts: entry.sentParts ?? 0,
      pausedMs: 0,
      state: "waiting",
    };
    held.set(entry.id, item);
    heldIn[lane] += 1;
    if (renewTimer === null) {
      renewTimer = setInterval(() => track(renewLeases(deps.store.sql, [...held.keys()], deps.clock()), "renewing outbox leases failed"), deps.leaseRenewMs ?? OUTBOX_LEASE_RENEW_MS);
      renewTimer.unref();
    }
    return item;
  }

  function release(item: Held, outcome: SendOutcome | null): void {
    if (!held.delete(item.entry.id)) return;
    heldIn[item.lane] -= 1;
    if (outcome === "sent") sent += 1;
    if (outcome !== null) deps.onOutcome?.(item.entry, outcome);
    // Rows of its chat queued behind it in the table may go now; a freed place may take a waiting row.
    if (outcome !== null && started && !stopping && (item.fromTable || heldIn[item.lane] === maxHeld[item.lane] - 1)) kick();
    if (held.size === 0) {
      if (renewTimer) clearInterval(renewTimer);
      renewTimer = null;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  function giveBack(items: readonly Held[]): void {
    const back = items.filter((item) => item.state !== "returned" && held.has(item.entry.id));
    if (back.length === 0) return;
    for (const item of back) {
      item.state = "returned";
      dispatcher.remove(item);
      release(item, null);
    }
    // What went back may be due at once (behind a row that is due itself): the next claim takes it in order.
    const handed = handBack(deps.store.sql, back.map((item) => item.entry.id), deps.clock());
    track(stopping ? handed : handed.then(() => kick()), "handing outbox rows back failed");
  }

  const markSentSoon = markSentBatcher((ids) => markSent(deps.store.sql, ids, deps.clock()));

  function wakeAt(at: Date): void {
    if (!started || stopping) return;
    const timer = setTimeout(() => {
      wakeTimers.delete(timer);
      kick();
    }, Math.max(0, at.getTime() - deps.clock().getTime()) + 5);
    timer.unref();
    wakeTimers.add(timer);
  }

  /**
   * Marks a sent row, again while the database refuses: until it is marked the row stays held, its lease renewed, so no
   * claim takes it and it is not sent a second time. Unmarked after every try, its lease runs out and it is sent again
   * (at least once, never lost).
   */
  async function settleSent(item: Held): Promise<void> {
    await writePersistently(() => markSentSoon(item.entry.id), { still: () => !stopping, logger: deps.logger, failed: "marking a sent message failed; it may be sent again", context: { outboxId: item.entry.id } });
    release(item, "sent");
  }

  /**
   * Waits until one request into the item's chat may leave. A proactive message's first part was let through by the
   * dispatcher already and only waits out a pause since then; every other request books its chat's slot and the bot's.
   */
  async function turn(item: Held, policy: SendPolicy, booked: boolean): Promise<void> {
    const wait = booked ? Math.max(0, policy.pausedUntil(item.chat) - monotonicMs()) : policy.reserveReply(item.chat, monotonicMs());
    if (wait > 0) await sleep(wait);
    if (!booked) {
      const botWait = policy.takeBotSlot(monotonicMs());
      if (botWait > 0) await sleep(botWait);
    }
    // Slots come due together after a stall: what leaves is counted again as it leaves.
    for (let leave = policy.leaveNow(monotonicMs()); leave > 0 && !stopping; leave = policy.leaveNow(monotonicMs())) await sleep(leave);
  }

  /** Waits for the head's turn, sends it once, and settles what follows. */
  async function process(item: Held): Promise<HeadStep> {
    const { adapter, policy, entry } = item;
    if (adapter === undefined || policy === undefined) {
      release(item, null);
      return "next";
    }
    await turn(item, policy, item.lane === "proactive");
    if (stopping || item.state === "returned") return "next";
    item.state = "sending";
    const result = await attemptSend(adapter, entry, { sentParts: item.sentParts, beforeNextPart: () => turn(item, policy, false) }, deps.metrics);
    if ((item.state as Held["state"]) === "returned") return "hand-back-rest";
    if (result.kind === "sent") {
      item.state = "settling";
      track(settleSent(item), "marking a sent message failed");
      return "next";
    }
    item.state = "waiting";
    const { failure } = result;
    item.sentParts = result.partsDone;
    if (failure.reason === "throttled") policy.throttled(item.chat, failure.retryAfterMs ?? 0, monotonicMs());
    const decision = decideAfterFailure(failure, entry.attempts, item.pausedMs, deps.clock());
    if (decision.kind === "pause") {
      item.pausedMs += decision.ms;
      return "again";
    }
    deps.logger.warn({ outboxId: entry.id, channel: entry.channel, reason: failure.reason, attempts: decision.attempts }, "send failed");
    try {
      if (decision.kind === "retry") {
        await markRetry(deps.store.sql, entry.id, decision.attempts, decision.at, `${failure.reason}: ${failure.message}`, item.sentParts);
        wakeAt(decision.at);
        release(item, "retry");
        // Its chat's later messages wait behind it in the table.
        return "hand-back-rest";
      }
      if (failure.reason === "blocked" && entry.identityId) {
        await deps.store.db.chatIdentity.update({ where: { id: entry.identityId }, data: { reachable: false } });
      }
      await markFailed(deps.store.sql, entry.id, decision.attempts, `${failure.reason}: ${failure.message}`);
      release(item, "failed");
      return "next";
    } catch (error) {
      deps.logger.error({ err: error, outboxId: entry.id }, "recording a failed send failed");
      // Its lease runs out and it is tried again, still ahead of its chat's later messages.
      release(item, null);
      return "hand-back-rest";
    }
  }

  const queues = createChatQueues<Held>({ process, handBack: giveBack, stopping: () => stopping });
  const dispatcher = createProactiveDispatcher<Held>({
    release: (item) => queues.add(`proactive|${item.chat}`, [item]),
    sleep,
    monotonicMs,
    stopping: () => stopping,
  });

  /** Claimed rows: computed ones are checked first (dropped, deferred), then each joins its lane. */
  async function admitClaimed(entries: readonly OutboxEntry[], lane: Lane): Promise<void> {
    // A row this sender holds already (its lease ran out while the process was too busy to renew it) stays where it is.
    const items = entries.filter((entry) => !held.has(entry.id)).map((entry) => hold(entry, lane, true));
    if (lane === "interactive") {
      for (const [chat, group] of groupByChat(items)) queues.add(`interactive|${chat}`, group);
      return;
    }
    await Promise.all(
      items.map(async (item) => {
        const decision = deps.beforeSend ? await deps.beforeSend(item.entry).catch((): SendDecision => ({ kind: "send" })) : ({ kind: "send" } as const);
        if (decision.kind === "send") return dispatcher.add(item);
        if (decision.kind === "drop") await markDropped(deps.store.sql, item.entry.id, decision.reason);
        else await markDeferred(deps.store.sql, item.entry.id, decision.until);
        release(item, decision.kind === "drop" ? "dropped" : "deferred");
      }),
    );
  }

  /** Claims due rows, replies first, while there is room in memory; resolves with how many were claimed. */
  async function claimOnce(): Promise<number> {
    if (deps.role !== undefined && !deps.role.isSender()) return 0;
    let claimed = 0;
    for (const lane of ["interactive", "proactive"] as const) {
      const room = Math.min(CLAIM_BATCH, maxHeld[lane] - heldIn[lane]);
      if (stopping || room <= 0) continue;
      const rows = await claimDue(deps.store, [...adapters.keys()], deps.clock(), room, lane);
      claimed += rows.length;
      if (rows.length > 0) await admitClaimed(rows, lane);
    }
    return claimed;
  }

  const claims = createClaimLoop(claimOnce, CLAIM_BATCH, (error: unknown) => deps.logger.error({ err: error }, "outbox delivery failed"));
  const kick = (): void => claims.kick();

  function whenIdle(): Promise<void> {
    if (held.size === 0) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  return {
    kick,
    deliverClaimed(entries) {
      if (entries.length === 0) return;
      if (stopping || (deps.role !== undefined && !deps.role.isSender())) {
        const role = stopping ? undefined : deps.role;
        track(
          handBack(deps.store.sql, entries.map((e) => e.id), deps.clock()).then(() => role?.wakeSender()),
          "handing outbox rows back failed",
        );
        return;
      }
      for (const [chat, group] of groupByChat(entries.map((entry) => hold(entry, "interactive", false)))) {
        const key = `interactive|${chat}`;
        if (!queues.has(key) && heldIn.interactive > maxHeld.interactive) giveBack(group);
        else {
          // Anything of this chat still unsent from earlier (a retry, a 429, another instance's reply in the table)
          // goes first — also when this chat's queue is busy here: what sits in the table is not in that queue.
          const first = group[0] as Held;
          const gate = earlierUnsent(deps.store.sql, first.entry).then((ids) => ids.every((id) => held.has(id)));
          queues.add(key, group, gate);
        }
      }
    },
    async deliverDue() {
      const before = sent;
      for (;;) {
        if (claims.running) await claims.running;
        const claimed = stopping ? 0 : await claimOnce();
        await whenIdle();
        if (claimed === 0) break;
      }
      return sent - before;
    },
    lead() {
      // Tried again while the database refuses: the rows of a sender that lost the lock without dying stay leased (it
      // renews what it holds) until they are handed back. Only while this instance is still the sender: afterwards the
      // leased rows are the next sender's.
      const still = () => !stopping && (deps.role === undefined || deps.role.isSender());
      track(
        writePersistently(() => handBackAllLeased(deps.store.sql, deps.clock()), { still, logger: deps.logger, failed: "taking over the outbox failed", context: {} }).then(() => kick()),
        "taking over the outbox failed",
      );
    },
    follow() {
      giveBack([...held.values()].filter((item) => item.state === "waiting"));
    },
    start() {
      if (started) return;
      started = true;
      pollTimer = setInterval(kick, deps.pollMs ?? 1000);
      pollTimer.unref();
      kick();
    },
    async stop() {
      stopping = true;
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
      for (const timer of wakeTimers) clearTimeout(timer);
      wakeTimers.clear();
      giveBack([...held.values()].filter((item) => item.state === "waiting"));
      const deadline = Date.now() + STOP_SEND_GRACE_MS;
      while ([...held.values()].some((item) => item.state === "sending") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const stillOut = [...held.values()].filter((item) => item.state === "sending" || item.state === "waiting");
      if (stillOut.length > 0) deps.logger.warn({ rows: stillOut.length }, "sends still on their way at stop: handed back, they may be delivered twice");
      giveBack(stillOut);
      await claims.stop();
      await markSentSoon.flushed();
      while (writes.size > 0) await Promise.all([...writes]);
      if (renewTimer) clearInterval(renewTimer);
      renewTimer = null;
    },
  };
}

function groupByChat(items: readonly Held[]): Map<string, Held[]> {
  const groups = new Map<string, Held[]>();
  for (const item of items) groups.set(item.chat, [...(groups.get(item.chat) ?? []), item]);
  return groups;
}
