import { describe, expect, it } from "vitest";
import { RateLimiter, retryDelayMs } from "./rate-limiter.js";

describe("RateLimiter", () => {
  it("when many chats send at once, then slots are spaced by the global rate", () => {
    const limiter = new RateLimiter({ perSecond: 25, perChatGapMs: 1000 });
    const waits = Array.from({ length: 5 }, (_, i) => limiter.reserve(`chat-${i}`, 0));
    expect(waits).toEqual([0, 40, 80, 120, 160]);
  });

  it("when one chat sends several messages, then they are a per-chat gap apart", () => {
    const limiter = new RateLimiter({ perSecond: 25, perChatGapMs: 1000 });
    expect([limiter.reserve("a", 0), limiter.reserve("a", 0), limiter.reserve("a", 500)]).toEqual([0, 1000, 1500]);
  });

  it("when time has passed beyond every reservation, then the next message goes at once", () => {
    const limiter = new RateLimiter({ perSecond: 25, perChatGapMs: 1000 });
    limiter.reserve("a", 0);
    expect(limiter.reserve("a", 5000)).toBe(0);
  });

  it("when 10,000 messages go to distinct chats at 500/s, then the last one waits about 20 s", () => {
    const limiter = new RateLimiter({ perSecond: 500, perChatGapMs: 1000 });
    let last = 0;
    for (let i = 0; i < 10_000; i += 1) last = limiter.reserve(`c${i}`, 0);
    expect(last).toBeCloseTo(19_998, 0);
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
