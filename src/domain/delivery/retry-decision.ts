import { retryDelayMs } from "./retry-delay.js";

/** Tries of one message before it is given up ("failed"). */
export const OUTBOX_MAX_ATTEMPTS = 6;
/**
 * 429 pauses one message may wait out in the sender's memory, in all. Beyond that it goes back to the table until the
 * platform's retry_after (its chat's later messages with it, so nothing overtakes it), and memory is not held for long.
 */
export const MAX_INLINE_PAUSE_MS = 30_000;
/** Pause after a 429 that names no retry_after. */
export const THROTTLE_PAUSE_MS = 2_000;

/** A failed send, as the retry decision needs it (SendError's classification). */
export interface FailedSend {
  readonly reason: "network" | "throttled" | "rejected" | "blocked";
  readonly retryAfterMs?: number | undefined;
}

/** What to do after a failed send. */
export type RetryDecision =
  /** Wait `ms` in memory and try the same message again (a 429 whose pause is short): no attempt is counted. */
  | { readonly kind: "pause"; readonly ms: number }
  /** Back to the table, tried again at `at`; the attempt counts. */
  | { readonly kind: "retry"; readonly attempts: number; readonly at: Date }
  /** Given up: rejected, blocked, or out of attempts. */
  | { readonly kind: "give-up"; readonly attempts: number };

/**
 * Pure: after `failure` of a message tried `attempts` times before (and paused `pausedMs` in memory so far), the next
 * step. Throttling is followed to the millisecond the platform names; other retryable failures back off exponentially
 * (retry-delay.ts).
 */
export function decideAfterFailure(failure: FailedSend, attempts: number, pausedMs: number, now: Date): RetryDecision {
  if (failure.reason === "throttled") {
    const ms = failure.retryAfterMs ?? THROTTLE_PAUSE_MS;
    if (pausedMs + ms <= MAX_INLINE_PAUSE_MS) return { kind: "pause", ms };
  }
  const tried = attempts + 1;
  const retryable = failure.reason === "network" || failure.reason === "throttled";
  if (!retryable || tried >= OUTBOX_MAX_ATTEMPTS) return { kind: "give-up", attempts: tried };
  return { kind: "retry", attempts: tried, at: new Date(now.getTime() + retryDelayMs(tried, failure.retryAfterMs)) };
}
