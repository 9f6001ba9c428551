import { describe, expect, it } from "vitest";
import { oneAtATimePer } from "./one-at-a-time.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("oneAtATimePer", () => {
  it("when tasks of one key are given at once, then each starts after the one before ended, in order; other keys run meanwhile", async () => {
    const run = oneAtATimePer();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await pause(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([run("a", task("a1", 30)), run("a", task("a2", 1)), run("b", task("b1", 5)), run("a", task("a3", 1))]);
    expect(results).toEqual(["a1", "a2", "b1", "a3"]);
    expect(log).toEqual(["start a1", "start b1", "end b1", "end a1", "start a2", "end a2", "start a3", "end a3"]);
  });

  it("when a task fails, then its caller sees the error and the next task of the key still runs", async () => {
    const run = oneAtATimePer();
    const failed = run("a", () => Promise.reject(new Error("boom")));
    const next = run("a", () => Promise.resolve("after"));
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
  });
});
