import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDriver, sql } from "../../src/persistence/driver-sql.js";
import { fileFlusher, groupSync } from "../../src/persistence/group-sync.js";

/** A flush the test finishes by hand, recording when each one began. */
function manualFlushes() {
  const pending: { resolve(): void; reject(error: Error): void }[] = [];
  const flush = () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  return { flush, pending };
}
const settled = (promise: Promise<unknown>) => {
  const state = { done: false };
  promise.then(() => (state.done = true), () => (state.done = true));
  return state;
};
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("group commit", () => {
  it("when a writer asks just after a flush began, then it waits for the next flush, not the running one", async () => {
    const { flush, pending } = manualFlushes();
    const durable = groupSync(flush);
    const a = durable();
    const b = durable();
    expect(pending).toHaveLength(1);
    await turn();
    pending[0]?.resolve();
    await a;
    await turn();
    expect(pending).toHaveLength(2);
    const waiting = settled(b);
    await turn();
    expect(waiting.done).toBe(false);
    pending[1]?.resolve();
    await b;
  });

  it("when writers ask while a flush runs, then they share the next flush and resolve only after it", async () => {
    const { flush, pending } = manualFlushes();
    const durable = groupSync(flush);
    const first = durable();
    const later = [durable(), durable(), durable()];
    const states = later.map(settled);
    pending[0]?.resolve();
    await first;
    await turn();
    expect(pending).toHaveLength(2);
    expect(states.every((s) => !s.done)).toBe(true);
    pending[1]?.resolve();
    await Promise.all(later);
    expect(pending).toHaveLength(2);
  });

  it("when a flush fails, then its writers see the error and the next writer starts a fresh flush", async () => {
    const { flush, pending } = manualFlushes();
    const durable = groupSync(flush);
    const failed = durable();
    pending[0]?.reject(new Error("EIO"));
    await expect(failed).rejects.toThrow("EIO");
    const next = durable();
    expect(pending).toHaveLength(2);
    pending[1]?.resolve();
    await expect(next).resolves.toBeUndefined();
  });
});

describe("the SQLite driver's commits", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "pdx-sync-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("when a file is flushed before it exists, then a later flush finds it", async () => {
    const file = path.join(dir, "late.log");
    const flusher = fileFlusher(file);
    await expect(flusher.flush()).rejects.toThrow(/ENOENT/);
    writeFileSync(file, "frames");
    await expect(flusher.flush()).resolves.toBeUndefined();
    await flusher.close();
  });

  it("when the database keeps a write-ahead log, then COMMIT leaves the flush to the barrier; otherwise COMMIT flushes itself", async () => {
    const walFile = path.join(dir, "wal.db");
    const setup = new Database(walFile);
    setup.pragma("journal_mode = WAL");
    setup.exec("CREATE TABLE t (v TEXT)");
    setup.close();
    const plainFile = path.join(dir, "plain.db");
    new Database(plainFile).exec("CREATE TABLE t (v TEXT)");

    const wal = openSqliteDriver(walFile, 1000);
    const plain = openSqliteDriver(plainFile, 1000);
    expect(await wal.rows(sql`PRAGMA synchronous`)).toEqual([{ synchronous: 1 }]);
    expect(await plain.rows(sql`PRAGMA synchronous`)).toEqual([{ synchronous: 2 }]);
    // Writes still commit and read back on both, through the barrier or without it.
    for (const driver of [wal, plain]) {
      expect(await driver.transact([{ kind: "write", statement: sql`INSERT INTO t (v) VALUES (${"a"})` }])).toBe("committed");
      expect(await driver.run(sql`INSERT INTO t (v) VALUES (${"b"})`)).toBe(1);
      expect(await driver.rows(sql`SELECT v FROM t ORDER BY v`)).toEqual([{ v: "a" }, { v: "b" }]);
      await driver.close();
    }
  });
});
