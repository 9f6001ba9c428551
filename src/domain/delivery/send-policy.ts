/**
 * When a message may go out, per platform: pure arithmetic over the times it is given (milliseconds on any monotonic
 * clock), so tests need no waiting. Two lanes share one bot-wide budget:
 * - interactive: what answers a person's message. Goes at once while the chat's bucket and the bot's have tokens;
 *   beyond that it takes the earliest slot (first come, first served), so a chat's replies keep their order. Two
 *   steps: the chat's slot is booked first (reserveReply), the bot's only once the chat's has come (takeBotSlot), so
 *   a chat that must wait (a 429 pause) never books the shared bucket ahead and holds the other chats back.
 * - proactive: reminders, nudges, digests. Its own slower pace, bot-wide and per chat, and it only takes a bot token
 *   while `botHeadroom` tokens stay for replies; it never books a slot in the future, so a reply that arrives later
 *   still goes first.
 * A 429 pauses its chat for `retry_after` (then the chat starts again with an empty bucket); 429s from several chats
 * at once mean the platform limits the whole bot, which then pauses as a whole.
 *
 * Buckets are kept as GCRA ("theoretical arrival time"): one number per bucket, exact, no timers.
 */

export type Lane = "interactive" | "proactive";

/** A token bucket: up to `burst` messages at once, refilled at `perSecond`. */
export interface Pace {
  readonly perSecond: number;
  readonly burst: number;
}

export interface DeliveryLimits {
  /** Replies, per chat. */
  readonly chat: Pace;
  /** Everything the bot sends, all chats together. */
  readonly bot: Pace;
  readonly proactive: {
    /** Bot-wide pace of reminders, nudges and digests. */
    readonly perSecond: number;
    /** Per chat: at most one proactive message every 1/chatPerSecond seconds. */
    readonly chatPerSecond: number;
    /** Bot tokens proactive traffic leaves untouched, so replies never wait behind it. */
    readonly botHeadroom: number;
  };
}

/** The share of a platform's documented rates the policy spends: what is left absorbs jitter between the clocks. */
export const SEND_MARGIN = 0.9;
/** Telegram's documented bulk rate for a bot, messages a second; paid broadcasts raise it up to 1,000. */
export const TELEGRAM_BOT_RATE_PER_SECOND = 30;

/**
 * Telegram (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this): "avoid sending more
 * than one message per second" in a chat, "short bursts" allowed; "not more than 30 messages per second" in bulk
 * (`botPerSecond`, higher with paid broadcasts). The policy keeps SEND_MARGIN of each: spending exactly the documented
 * budget costs a 429 and a second's wait whenever the platform's clock and ours disagree by a millisecond.
 * - chat 1/s with a burst of 5: an answer costs one message and a finished assessment three (card, summary, next
 *   step); people read 0.5–1.5 s per question, so their pace averages one a second, and over a 43-question
 *   assessment the sum of reading times strays about ±2 s from that average — 5 tokens cover 2.5 of those strays, so
 *   a fast reader is practically never held back, while a script hammering the bot is held to 1/s. Here the margin is
 *   in the burst: a token short of the platform's short burst is a whole second of jitter absorbed.
 * - bot 90 % of the bulk rate, with a burst of half a second of it (at most 50): 15 at once and 27/s by default.
 *   What a 429 costs is the jitter between when we take a token and when Telegram counts the request — its clock,
 *   the network, and our own event loop under load (the benchmark's crowd met 22 × 429 with a burst of 27, three
 *   tokens short of Telegram's 30); half of the platform's bucket left untouched absorbs half a second of it.
 * - proactive at five sixths of the bot's pace (22/s by default), one a second per chat, and 10 bot tokens always left
 *   for replies: the bucket stays near full, and replies burst through at once.
 */
export function telegramLimits(botPerSecond: number = TELEGRAM_BOT_RATE_PER_SECOND): DeliveryLimits {
  const perSecond = botPerSecond * SEND_MARGIN;
  const burst = Math.max(1, Math.floor(Math.min(botPerSecond, 100) / 2));
  return {
    chat: { perSecond: 1, burst: 5 },
    bot: { perSecond, burst },
    proactive: { perSecond: Math.max(1, Math.floor((perSecond * 5) / 6)), chatPerSecond: 1, botHeadroom: Math.min(10, Math.max(1, burst - 1)) },
  };
}

/** Telegram at its documented bulk rate (see telegramLimits). */
export const TELEGRAM_LIMITS: DeliveryLimits = telegramLimits();

/**
 * Zalo Bot Platform (https://bot.zaloplatforms.com/docs) publishes no rate limits; it answers 429 (with Retry-After
 * when it wants a pause). We stay below Telegram's figures: a reply burst of 3 per chat at 1/s, 20/s per bot, and
 * reminders at 15/s with 5 tokens left for replies. A 429 is followed as on Telegram.
 */
export const ZALO_LIMITS: DeliveryLimits = {
  chat: { perSecond: 1, burst: 3 },
  bot: { perSecond: 20, burst: 20 },
  proactive: { perSecond: 15, chatPerSecond: 1, botHeadroom: 5 },
};

/** 429s from this many different chats within BOT_THROTTLE_WINDOW_MS: the platform limits the bot, not one chat. */
export const BOT_THROTTLE_CHATS = 3;
export const BOT_THROTTLE_WINDOW_MS = 1000;
/** Past this many remembered chats, the ones with nothing pending are forgotten (memory stays bounded). */
const FORGET_AFTER_CHATS = 10_000;

const intervalMs = (pace: Pace): number => 1000 / pace.perSecond;
const toleranceMs = (pace: Pace): number => (Math.max(1, pace.burst) - 1) * intervalMs(pace);
/** Earliest time a message fits a bucket whose theoretical arrival time is `tat`, leaving `headroom` tokens. */
const fitsAt = (tat: number, pace: Pace, headroom = 0): number => tat - toleranceMs(pace) + headroom * intervalMs(pace);
/** The bucket's theoretical arrival time after a message sent at `at`. */
const spend = (tat: number, pace: Pace, at: number): number => Math.max(tat, at) + intervalMs(pace);
/** Waits under a microsecond are rounding noise of the interval arithmetic (1000/30 is not exact). */
const settle = (waitMs: number): number => (waitMs < 0.001 ? 0 : waitMs);

export class SendPolicy {
  private botTat = Number.NEGATIVE_INFINITY;
  private proactiveTat = Number.NEGATIVE_INFINITY;
  private botPausedUntil = 0;
  /** The bot's bucket as requests actually leave (see leaveNow). */
  private leftTat = Number.NEGATIVE_INFINITY;
  private readonly chatTat = new Map<string, number>();
  private readonly proactiveChatAt = new Map<string, number>();
  private readonly chatPausedUntil = new Map<string, number>();
  private recentThrottles: { chat: string; at: number }[] = [];

  constructor(readonly limits: DeliveryLimits) {}

  /**
   * Books the earliest slot of `chat` for a reply and returns how long to wait from `nowMs` (0 = now); then the reply
   * takes a bot slot (takeBotSlot). Slots are handed out in call order, so a chat's replies keep their order.
   */
  reserveReply(chat: string, nowMs: number): number {
    const { limits } = this;
    const chatTat = this.chatTat.get(chat) ?? Number.NEGATIVE_INFINITY;
    const at = Math.max(nowMs, this.chatPausedUntil.get(chat) ?? 0, fitsAt(chatTat, limits.chat));
    this.chatTat.set(chat, spend(chatTat, limits.chat, at));
    this.forgetIfLarge(nowMs);
    return settle(at - nowMs);
  }

  /** Books the bot's earliest slot for a reply whose chat slot has come; returns how long to wait (0 = now). */
  takeBotSlot(nowMs: number): number {
    const at = Math.max(nowMs, this.botPausedUntil, fitsAt(this.botTat, this.limits.bot));
    this.botTat = spend(this.botTat, this.limits.bot, at);
    return settle(at - nowMs);
  }

  /**
   * The last check before a request leaves, on the bot's bucket again but counted when requests actually go: slots are
   * booked ahead, and when the event loop stalls every slot booked meanwhile comes due at once — 30 requests within
   * 100 ms after a stall on a loaded machine, a 429 from a platform counting the same budget. 0 when the request may
   * leave now (it is counted), else how long to wait before asking again.
   */
  leaveNow(nowMs: number): number {
    const wait = settle(fitsAt(this.leftTat, this.limits.bot) - nowMs);
    if (wait > 0) return wait;
    this.leftTat = spend(this.leftTat, this.limits.bot, nowMs);
    return 0;
  }

  /**
   * A proactive message to `chat`: 0 when it may go now (the slot is taken), else how long to wait before asking
   * again (nothing is booked: replies that come meanwhile go first).
   */
  tryProactive(chat: string, nowMs: number): number {
    const { limits } = this;
    // A burst of 2 only lets a late timer catch up one slot; the long-run pace stays perSecond.
    const proactivePace: Pace = { perSecond: limits.proactive.perSecond, burst: 2 };
    const chatGapMs = 1000 / limits.proactive.chatPerSecond;
    const chatTat = this.chatTat.get(chat) ?? Number.NEGATIVE_INFINITY;
    const at = Math.max(
      nowMs,
      this.pausedUntil(chat),
      this.proactiveChatAt.get(chat) ?? 0,
      // Only into a chat whose reply bucket is full (the person is not in the middle of answering), taking one token.
      fitsAt(chatTat, limits.chat, Math.max(0, limits.chat.burst - 1)),
      fitsAt(this.proactiveTat, proactivePace),
      fitsAt(this.botTat, limits.bot, limits.proactive.botHeadroom),
    );
    if (settle(at - nowMs) > 0) return settle(at - nowMs);
    this.proactiveTat = spend(this.proactiveTat, proactivePace, nowMs);
    this.chatTat.set(chat, spend(chatTat, limits.chat, nowMs));
    this.botTat = spend(this.botTat, limits.bot, nowMs);
    this.proactiveChatAt.set(chat, nowMs + chatGapMs);
    this.forgetIfLarge(nowMs);
    return 0;
  }

  /**
   * The platform answered 429 for `chat` asking for `retryAfterMs`: the chat pauses that long and starts again with an
   * empty bucket. The third chat throttled within a second pauses the whole bot.
   */
  throttled(chat: string, retryAfterMs: number, nowMs: number): void {
    const until = nowMs + Math.max(0, retryAfterMs);
    this.chatPausedUntil.set(chat, Math.max(this.pausedUntil(chat), until));
    this.chatTat.set(chat, Math.max(this.chatTat.get(chat) ?? Number.NEGATIVE_INFINITY, until + toleranceMs(this.limits.chat)));
    this.recentThrottles = [...this.recentThrottles.filter((t) => t.at > nowMs - BOT_THROTTLE_WINDOW_MS && t.chat !== chat), { chat, at: nowMs }];
    if (this.recentThrottles.length >= BOT_THROTTLE_CHATS) this.botPausedUntil = Math.max(this.botPausedUntil, until);
  }

  /** When the chat may send again after a 429 (its own or the bot's); 0 when not paused. */
  pausedUntil(chat: string): number {
    return Math.max(this.botPausedUntil, this.chatPausedUntil.get(chat) ?? 0);
  }

  private forgetIfLarge(nowMs: number): void {
    if (this.chatTat.size + this.proactiveChatAt.size < FORGET_AFTER_CHATS) return;
    // A chat whose bucket is full again and that is not paused behaves exactly as a chat never seen.
    for (const [chat, tat] of this.chatTat) if (tat <= nowMs) this.chatTat.delete(chat);
    for (const [chat, at] of this.proactiveChatAt) if (at <= nowMs) this.proactiveChatAt.delete(chat);
    for (const [chat, at] of this.chatPausedUntil) if (at <= nowMs) this.chatPausedUntil.delete(chat);
  }
}
