import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry-delay.js";
import { BOT_THROTTLE_WINDOW_MS, SendPolicy, TELEGRAM_LIMITS, telegramLimits, ZALO_LIMITS, type DeliveryLimits } from "./send-policy.js";

const policy = (limits: DeliveryLimits = TELEGRAM_LIMITS) => new SendPolicy(limits);

describe("replies (interactive lane)", () => {
  it("when a person gets replies back to back, then a burst of 5 goes at once and the rest one a second", () => {
    const p = policy();
    expect(Array.from({ length: 8 }, () => p.reserveReply("a", 0))).toEqual([0, 0, 0, 0, 0, 1000, 2000, 3000]);
  });

  it("when a person reads 0.5–1.5 s between answers, then no reply ever waits", () => {
    const p = policy();
    const readings = [500, 1500, 500, 500, 700, 1500, 500, 600, 500, 1400, 500, 500, 1000, 1200, 500];
    let now = 0;
    const waits = readings.map((ms) => p.reserveReply("a", (now += ms)));
    expect(waits.every((w) => w === 0)).toBe(true);
  });

  it("when time has passed, then the bucket has refilled", () => {
    const p = policy();
    for (let i = 0; i < 5; i += 1) p.reserveReply("a", 0);
    expect([p.reserveReply("a", 3000), p.reserveReply("a", 3000), p.reserveReply("a", 3000), p.reserveReply("a", 3000)]).toEqual([0, 0, 0, 1000]);
  });

  it("when many chats get a reply at the same moment, then 15 go at once and the rest at 27/s, 90 % of Telegram's 30/s", () => {
    const p = policy();
    const waits = Array.from({ length: 18 }, (_, i) => p.reserveReply(`c${i}`, 0) + p.takeBotSlot(0));
    expect(waits.slice(0, 15).every((w) => w === 0)).toBe(true);
    expect(waits.slice(15).map((w) => Math.round(w))).toEqual([37, 74, 111]);
  });

  it("when the event loop stalls past many booked slots, then no more than the bot's burst leave at once, the rest at its pace", () => {
    const p = policy();
    // 40 chats booked at 0 (15 at once, then one every 37 ms): a stall of 1 s wakes all of them at 1,000 ms together.
    const booked = Array.from({ length: 40 }, (_, i) => p.reserveReply(`c${i}`, 0) + p.takeBotSlot(0));
    expect(Math.max(...booked)).toBeLessThan(1000);
    const atStall = booked.map(() => p.leaveNow(1000));
    expect(atStall.filter((w) => w === 0)).toHaveLength(15);
    expect(Math.min(...atStall.filter((w) => w > 0))).toBeCloseTo(1000 / 27, 3);
    // Counted as they leave: 27 a second after the burst, never more.
    let left = 15;
    for (let t = 1000; t <= 2000; t += 1) while (p.leaveNow(t) === 0) left += 1;
    expect(left).toBe(15 + 27);
  });

  it("when the operator raises the bot-wide rate (paid broadcasts), then the policy keeps 90 % of it and bursts at most 50", () => {
    expect(telegramLimits(1000).bot).toEqual({ perSecond: 900, burst: 50 });
    expect(telegramLimits(1000).proactive.perSecond).toBe(750);
    expect(telegramLimits(30).bot).toEqual({ perSecond: 27, burst: 15 });
  });

  it.each([0, 3, 17, 50, 200])("when the platform's clock is %i ms behind ours, then a crowd of replies never exceeds Telegram's bucket", (skewMs) => {
    // Telegram's bucket (30 at once, 30/s) as GCRA, seeing each request skewMs later than we sent it — or earlier.
    let platformTat = Number.NEGATIVE_INFINITY;
    const p = policy();
    let rejected = 0;
    for (let i = 0; i < 200; i += 1) {
      const sentAt = i * 5 + p.reserveReply(`c${i}`, i * 5);
      const at = sentAt + p.takeBotSlot(sentAt);
      const seen = at + (i % 2 === 0 ? skewMs : -skewMs);
      if (seen < platformTat - 29 * (1000 / 30)) rejected += 1;
      else platformTat = Math.max(platformTat, seen) + 1000 / 30;
    }
    expect(rejected).toBe(0);
  });
});

describe("reminders, nudges and digests (proactive lane)", () => {
  it("when reminders go to many chats, then they are spaced at 22/s and nothing is booked ahead", () => {
    const p = policy();
    expect([p.tryProactive("c0", 0), p.tryProactive("c1", 0), p.tryProactive("c2", 0)].map(Math.round)).toEqual([0, 0, 45]);
    expect(p.tryProactive("c2", 46)).toBe(0);
    expect(Math.round(p.tryProactive("c3", 70))).toBe(21);
    expect(p.reserveReply("c3", 60)).toBe(0);
  });

  it("when two reminders go to one chat, then they are a second apart", () => {
    const p = policy();
    expect(p.tryProactive("a", 0)).toBe(0);
    expect(p.tryProactive("a", 100)).toBe(900);
    expect(p.tryProactive("a", 1000)).toBe(0);
  });

  it("when reminders have used all they may for a while, then a burst of replies still goes at once", () => {
    const p = policy();
    let chat = 0;
    for (let now = 0; now <= 10_000; now += 1) while (p.tryProactive(`r${chat}`, now) === 0) chat += 1;
    expect(chat).toBeGreaterThan(10 * TELEGRAM_LIMITS.proactive.perSecond);
    const replies = Array.from({ length: TELEGRAM_LIMITS.proactive.botHeadroom }, (_, i) => p.reserveReply(`person${i}`, 10_000) + p.takeBotSlot(10_000));
    expect(replies.every((w) => w === 0)).toBe(true);
  });

  it("when a person is answering, then a reminder to them waits until their bucket is full again", () => {
    const p = policy();
    p.reserveReply("a", 0);
    expect(p.tryProactive("a", 0)).toBe(1000);
    expect(p.tryProactive("b", 0)).toBe(0);
    expect(p.tryProactive("a", 1000)).toBe(0);
  });

  it("when a reminder was told to wait, then a reply at the same moment is not held back by it", () => {
    const p = policy();
    p.tryProactive("x", 0);
    p.tryProactive("y", 0);
    expect(p.tryProactive("a", 10)).toBeGreaterThan(0);
    expect([p.reserveReply("a", 10), p.takeBotSlot(10)]).toEqual([0, 0]);
  });
});

describe("429 Too Many Requests", () => {
  it("when a chat is throttled, then it pauses for retry_after, restarts with an empty bucket, and other chats go on", () => {
    const p = policy();
    p.throttled("a", 3000, 0);
    expect(p.reserveReply("a", 0)).toBe(3000);
    expect(p.reserveReply("a", 0)).toBe(4000);
    expect([p.reserveReply("b", 0), p.takeBotSlot(0)]).toEqual([0, 0]);
    expect(p.tryProactive("a", 3500)).toBeGreaterThan(0);
  });

  it("when three chats are throttled within a second, then the whole bot pauses", () => {
    const p = policy();
    p.throttled("a", 2000, 0);
    p.throttled("b", 2000, 100);
    p.throttled("c", 2000, 200);
    expect(p.reserveReply("d", 300)).toBe(0);
    expect(p.takeBotSlot(300)).toBe(1900);
    expect(p.tryProactive("e", 300)).toBe(1900);
  });

  it.each([
    ["spread over more than a second", ["a", "b", "c"], BOT_THROTTLE_WINDOW_MS],
    ["all from one chat", ["a", "a", "a"], 100],
  ])("when 429s come %s, then only their chats pause", (_case, chats, step) => {
    const p = policy();
    chats.forEach((chat, i) => p.throttled(chat, 2000, i * step));
    expect(p.reserveReply("d", 2 * step) + p.takeBotSlot(2 * step)).toBe(0);
  });
});

describe("stated limits", () => {
  it.each([
    ["Telegram", TELEGRAM_LIMITS],
    ["Zalo", ZALO_LIMITS],
  ])("%s: reminders stay at or under 25/s and below the bot's pace, leaving headroom for replies", (_name, limits) => {
    expect(limits.proactive.perSecond).toBeLessThanOrEqual(25);
    expect(limits.proactive.perSecond).toBeLessThan(limits.bot.perSecond);
    expect(limits.proactive.botHeadroom).toBeGreaterThan(0);
    expect(limits.proactive.botHeadroom).toBeLessThan(limits.bot.burst);
  });
});

describe("retryDelayMs", () => {
  it.each([
    [1, undefined, 5000],
    [2, undefined, 10_000],
    [3, undefined, 20_000],
    [20, undefined, 600_000],
    [1, 7000, 7000],
  ])("when attempt %i fails with retry-after %s, then the next try waits %i ms", (attempts, retryAfter, expected) => {
    expect(retryDelayMs(attempts, retryAfter)).toBe(expected);
  });
});
