import Database from "better-sqlite3";
import type { DriverSql, Row } from "./driver.js";
import type { SqlStatement, SqlValue } from "./statement.js";
import { walkStepsNow, type TransactionOutcome } from "./steps.js";

class RollBack extends Error {
  constructor(readonly outcome: Exclude<TransactionOutcome, "committed">) {
    super(outcome);
  }
}

/** Enough for every fixed text the service runs, and the commonest list lengths. */
const PREPARED_STATEMENTS_KEPT = 200;

const sqliteDate = (d: Date): string => d.toISOString().replace("Z", "+00:00");
const sqliteValue = (v: SqlValue): string | number | null => (v instanceof Date ? sqliteDate(v) : typeof v === "boolean" ? (v ? 1 : 0) : v);

/** Work for the next group commit: run inside the shared transaction, settled once it has committed. */
interface Queued {
  readonly work: () => unknown;
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * SQLite on a connection of its own. Its transactions run synchronously from BEGIN IMMEDIATE to COMMIT, so they never
 * hold the write lock across an await: Prisma's connection, which may hold it across awaits, can never be stuck
 * behind one. When Prisma (or another process) holds the lock, this side waits asynchronously and tries again.
 *
 * Writes are committed in groups: every transaction and write asked for in one turn of the event loop runs in one
 * SQLite transaction, each in a savepoint of its own (so one that ends as duplicate or stale, or fails, is rolled back
 * alone), and each caller hears its outcome only after the shared COMMIT. A commit's cost is mostly writing the pages
 * it changed to the WAL, and concurrent answers change the same index and table pages, so under load a group of them
 * costs little more than one. Alone, a write waits only for the current turn to end.
 */
export function openSqliteDriver(file: string, busyTimeoutMs: number): DriverSql {
  const db = new Database(file);
  db.pragma("busy_timeout = 0");
  // Prepared once and reused, the least recently used let go past a bound: texts with a list of values (`IN (${ids})`)
  // differ with every length, and each kept statement holds its compiled program in native memory (unbounded, 30,000
  // waiting chats left 155 MB of them).
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (statement) statements.delete(text);
    else statement = db.prepare(text);
    statements.set(text, statement);
    if (statements.size > PREPARED_STATEMENTS_KEPT) statements.delete(statements.keys().next().value as string);
    return statement;
  };
  const values = (statement: SqlStatement) => statement.values.map((v) => sqliteValue(v as SqlValue));
  const count = (statement: SqlStatement, reader: boolean): number => {
    const prepared = prepare(statement.sql);
    return reader ? (prepared.get(...values(statement)) === undefined ? 0 : 1) : prepared.run(...values(statement)).changes;
  };

  async function whenUnlocked<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + busyTimeoutMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 8)) {
      try {
        return work();
      } catch (error) {
        const busy = error instanceof Database.SqliteError && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED");
        if (!busy || Date.now() >= deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  let group: Queued[] = [];
  /** Runs the queued work in one transaction; nested transactions are savepoints in better-sqlite3. */
  const commitGroup = async (): Promise<void> => {
    const queued = group;
    group = [];
    if (queued.length === 0) return;
    let settled: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await whenUnlocked(() => {
        settled = [];
        db.transaction(() => {
          for (const item of queued) {
            try {
              settled.push({ ok: true, value: db.transaction(item.work)() });
            } catch (error) {
              settled.push({ ok: false, error });
            }
          }
        }).immediate();
      });
    } catch (error) {
      // The shared transaction did not commit: nobody's work is stored.
      for (const item of queued) item.reject(error);
      return;
    }
    queued.forEach((item, i) => {
      const outcome = settled[i];
      if (outcome?.ok) item.resolve(outcome.value as never);
      else item.reject(outcome ? outcome.error : new Error("group commit lost an outcome"));
    });
  };
  const inGroup = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      group.push({ work, resolve: resolve as (value: never) => void, reject });
      if (group.length === 1) setImmediate(() => void commitGroup());
    });

  return {
    kind: "sqlite",
    rows: (statement) => whenUnlocked(() => prepare(statement.sql).all(...values(statement)) as Row[]),
    run: (statement) => inGroup(() => count(statement, false)),
    transact: async (steps) => {
      try {
        return await inGroup(() => {
          const outcome = walkStepsNow(steps, (step) => count(step.statement, step.kind !== "write"));
          // Thrown so the savepoint is rolled back; the outcome is handed back below.
          if (outcome !== "committed") throw new RollBack(outcome);
          return outcome;
        });
      } catch (error) {
        if (error instanceof RollBack) return error.outcome;
        throw error;
      }
    },
    close: async () => {
      // What was asked for before closing is committed first.
      await commitGroup();
      db.close();
    },
  };
}
