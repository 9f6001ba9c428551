import { describe, expect, it } from "vitest";
import { createClaimLoop } from "../../src/app/outbox/claim-loop.js";

/** Holds the thread as a claim on a long backlog does (SQLite runs it synchronously). */
const busyFor = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe("the outbox's claim loop", () => {
  it("when kicks come while a claim runs, then they make exactly one more claim", async () => {
    let claims = 0;
    let release: () => void = () => undefined;
    const loop = createClaimLoop(
      () => {
        claims += 1;
        return claims === 1 ? new Promise<number>((resolve) => (release = () => resolve(0))) : Promise.resolve(0);
      },
      200,
      (error) => {
        throw error;
      },
    );
    loop.kick();
    for (let i = 0; i < 10; i += 1) loop.kick();
    release();
    await loop.running;
    expect(claims).toBe(2);
    await loop.stop();
  });

  it("when a claim is slow, then the next one (asked at once) starts only after twice its time", async () => {
    const starts: number[] = [];
    const ends: number[] = [];
    const loop = createClaimLoop(
      async () => {
        starts.push(performance.now());
        busyFor(30);
        ends.push(performance.now());
        return 0;
      },
      200,
      (error) => {
        throw error;
      },
    );
    loop.kick();
    await loop.running;
    loop.kick();
    await expect.poll(() => starts.length, { timeout: 2_000 }).toBe(2);
    expect((starts[1] as number) - (ends[0] as number)).toBeGreaterThanOrEqual(59);
    await loop.stop();
  });

  it("when it is stopped, then a kick claims nothing more", async () => {
    let claims = 0;
    const loop = createClaimLoop(async () => (claims += 1) && 0, 200, () => undefined);
    await loop.stop();
    loop.kick();
    expect(loop.running).toBeNull();
    expect(claims).toBe(0);
  });
});
