import { validate, version } from "uuid";
import { describe, expect, it } from "vitest";
import { newRowId } from "./row-id.js";

describe("newRowId", () => {
  it("when many ids are made at once (past one pool of randomness), then all are distinct UUIDv7 and sort in the order made", () => {
    const ids = Array.from({ length: 10_000 }, () => newRowId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it("when ids are made in different milliseconds, then their time part is the clock's", async () => {
    const before = Date.now();
    const first = newRowId();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = newRowId();
    const millis = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);
    expect(millis(first)).toBeGreaterThanOrEqual(before);
    expect(millis(second)).toBeGreaterThan(millis(first));
  });
});
