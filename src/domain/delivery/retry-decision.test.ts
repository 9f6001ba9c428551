import { describe, expect, it } from "vitest";
import { decideAfterFailure, MAX_INLINE_PAUSE_MS, OUTBOX_MAX_ATTEMPTS, THROTTLE_PAUSE_MS, type FailedSend } from "./retry-decision.js";

const NOW = new Date("2024-11-05T03:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe("decideAfterFailure", () => {
  it.each<[string, FailedSend, number, number, ReturnType<typeof decideAfterFailure>]>([
    ["a short 429 is waited out in memory", { reason: "throttled", retryAfterMs: 3000 }, 0, 0, { kind: "pause", ms: 3000 }],
    ["a 429 without retry_after pauses the default", { reason: "throttled" }, 2, 0, { kind: "pause", ms: THROTTLE_PAUSE_MS }],
    ["a 429 past the in-memory budget goes back to the table", { reason: "throttled", retryAfterMs: 5000 }, 0, MAX_INLINE_PAUSE_MS - 1000, { kind: "retry", attempts: 1, at: at(5000) }],
    ["a long retry_after goes back to the table until then", { reason: "throttled", retryAfterMs: 70_000 }, 0, 0, { kind: "retry", attempts: 1, at: at(70_000) }],
    ["a 500 backs off 5 s on the first try", { reason: "network" }, 0, 0, { kind: "retry", attempts: 1, at: at(5000) }],
    ["a 500 backs off 20 s on the third try", { reason: "network" }, 2, 0, { kind: "retry", attempts: 3, at: at(20_000) }],
    ["a network failure on the last try gives up", { reason: "network" }, OUTBOX_MAX_ATTEMPTS - 1, 0, { kind: "give-up", attempts: OUTBOX_MAX_ATTEMPTS }],
    ["a rejected message gives up at once", { reason: "rejected" }, 0, 0, { kind: "give-up", attempts: 1 }],
    ["a blocked bot gives up at once", { reason: "blocked" }, 0, 0, { kind: "give-up", attempts: 1 }],
  ])("when %s", (_case, failure, attempts, pausedMs, expected) => {
    expect(decideAfterFailure(failure, attempts, pausedMs, NOW)).toEqual(expected);
  });
});
