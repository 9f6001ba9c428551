/**
 * Send slots under two limits at once: a global rate (Telegram allows about 30 messages a second per bot; we keep
 * 25) and a minimum gap per chat (about one a second). Pure arithmetic over the times it is given, so tests need no
 * waiting. Written here because the two limits must be decided together, in one place, and the whole policy is a few
 * lines; general-purpose limiter libraries model only one of them at a time.
 */
export interface RateLimits {
  readonly perSecond: number;
  readonly perChatGapMs: number;
}

export class RateLimiter {
  private nextGlobalAt = 0;
  private readonly nextChatAt = new Map<string, number>();

  constructor(private readonly limits: RateLimits) {}

  /** Reserves the earliest slot for a message to `chatId`; returns how long to wait from `nowMs` (0 = send now). */
  reserve(chatId: string, nowMs: number): number {
    const slot = Math.max(nowMs, this.nextGlobalAt, this.nextChatAt.get(chatId) ?? 0);
    this.nextGlobalAt = slot + 1000 / this.limits.perSecond;
    this.nextChatAt.set(chatId, slot + this.limits.perChatGapMs);
    if (this.nextChatAt.size > 10_000) this.forget(nowMs);
    return slot - nowMs;
  }

  private forget(nowMs: number): void {
    for (const [chat, at] of this.nextChatAt) if (at <= nowMs) this.nextChatAt.delete(chat);
  }
}

/** Backoff before retry `attempts` (1-based): the platform's retry-after when given, else 2^n × 5 s, capped. */
export function retryDelayMs(attempts: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return retryAfterMs;
  return Math.min(2 ** (attempts - 1) * 5000, 10 * 60_000);
}
