import type { Logger } from "pino";
import type { Channel, ChannelAdapter } from "../../channels/channel.js";
import type { DeliveryLimits, Lane } from "../../domain/delivery/send-policy.js";
import type { Store } from "../../persistence/db-client.js";
import type { OutboxEntry } from "../../persistence/outbox-store.js";
import type { Metrics } from "../metrics.js";

/** What to do with a claimed row just before sending it (see DelivererDeps.beforeSend). */
export type SendDecision =
  | { readonly kind: "send" }
  /** Never send it: the row is marked "dropped" with the reason. */
  | { readonly kind: "drop"; readonly reason: string }
  /** Not now: the row goes back to "pending" until then, without counting an attempt. */
  | { readonly kind: "defer"; readonly until: Date };

/** How one held row ended: "retry" is a failed attempt that will be tried again. */
export type SendOutcome = "sent" | "failed" | "retry" | "dropped" | "deferred";

export interface DelivererDeps {
  readonly store: Store;
  readonly adapters: readonly ChannelAdapter[];
  readonly logger: Logger;
  readonly clock: () => Date;
  /** The platforms' limits (default TELEGRAM_LIMITS and ZALO_LIMITS). */
  readonly limits?: Partial<Record<Channel, DeliveryLimits>>;
  /**
   * Milliseconds on a monotonic clock for the send policy (default performance.now): pacing follows real time even
   * where `clock` is simulated. Tests pass one that their `sleep` moves on.
   */
  readonly monotonicMs?: () => number;
  /** How often to look for due rows: retries and rows other instances left behind (default 1 s). */
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly metrics?: Metrics;
  /**
   * Looks at a computed row (one with a dedupe key) before it is sent: reminders use it to drop what became pointless
   * and to keep quiet hours. Replies never pass through it.
   */
  readonly beforeSend?: (entry: OutboxEntry) => Promise<SendDecision>;
  /** Told how each held row ended (the reminder command counts its own rows with it). */
  readonly onOutcome?: (entry: OutboxEntry, outcome: SendOutcome) => void;
  /**
   * Several instances on one PostgreSQL database: whether this one is the bot's sole sender now (sender-election.ts),
   * and how to wake the sender. A follower claims nothing and hands what its webhooks queue to the sender. Without a
   * role every instance sends (SQLite, tests, commands).
   */
  readonly role?: SenderRole;
  /** How often leases of held rows are renewed (default OUTBOX_LEASE_RENEW_MS; tests shorten it). */
  readonly leaseRenewMs?: number;
  /** Rows held in memory at most, per lane (default 1,000 replies, 500 computed): the rest waits in the table. */
  readonly maxHeld?: Partial<Record<Lane, number>>;
}

/** See DelivererDeps.role. */
export interface SenderRole {
  isSender(): boolean;
  wakeSender(): void;
}

export interface OutboxDeliverer {
  /** Something was queued: deliver soon, without waiting for the next poll. */
  kick(): void;
  /**
   * Sends rows this process queued already leased to itself (the replies to a webhook it just answered): no claim
   * round-trip — unless their chat has an earlier message still unsent, then they go back to the table behind it.
   */
  deliverClaimed(entries: readonly OutboxEntry[]): void;
  /** Delivers everything due now (tests, the reminder command); resolves with the number sent meanwhile. */
  deliverDue(): Promise<number>;
  start(): void;
  /** This instance became the sole sender: rows the previous one held go back to the table, and sending starts. */
  lead(): void;
  /** This instance is no longer the sender: everything held and not on its way goes back to the table at once. */
  follow(): void;
  /**
   * Stops: claims nothing more, hands every held row that is not on its way back to the table at once, waits briefly
   * for sends in flight, and hands back what is still out. Rows queued afterwards go straight back to the table.
   */
  stop(): Promise<void>;
}
