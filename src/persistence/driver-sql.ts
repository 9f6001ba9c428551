import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";

/*
 * The few statements every inbound message runs, executed on the database driver itself (better-sqlite3, node-postgres)
 * instead of through Prisma. Measured on the build machine: a query through Prisma costs 0.1–0.3 ms on SQLite (it
 * prepares every statement anew) and 0.57 ms on PostgreSQL for a bare `SELECT 1`, against about 0.01 ms and 0.2 ms on
 * the drivers, where statements are also prepared once and reused. Everything else stays on Prisma.
 *
 * Values are written exactly as Prisma writes them, so both sides read each other's rows: on SQLite a DateTime is the
 * text `2024-11-05T03:00:00.000+00:00` and a Boolean is 0/1; on PostgreSQL a DateTime is a `timestamp(3)` holding UTC.
 */

export type SqlValue = string | number | boolean | Date | null;

/** SQL with `$1…$n` placeholders and its values; written once, run on either database. */
export interface SqlStatement {
  readonly text: string;
  readonly values: readonly SqlValue[];
}

type SqlPart = SqlValue | readonly SqlValue[] | SqlStatement | readonly SqlStatement[];

const isStatement = (part: unknown): part is SqlStatement => typeof part === "object" && part !== null && !(part instanceof Date) && "text" in part;

/**
 * `sql\`… ${value} …\`` numbers the values as `$1…$n`. An array of values becomes a list (`IN (${ids})`); a statement
 * is inlined with its placeholders renumbered, and an array of statements is inlined comma-separated (multi-row VALUES).
 */
export function sql(strings: TemplateStringsArray, ...parts: readonly SqlPart[]): SqlStatement {
  const flat: SqlValue[] = [];
  const inline = (fragment: SqlStatement): string =>
    fragment.text.replace(/\$(\d+)/g, (_m, n: string) => {
      flat.push(fragment.values[Number(n) - 1] ?? null);
      return `$${flat.length}`;
    });
  let text = strings[0] ?? "";
  parts.forEach((part, i) => {
    const list: readonly (SqlValue | SqlStatement)[] = Array.isArray(part) ? part : [part as SqlValue | SqlStatement];
    if (list.length === 0) throw new Error("sql: an empty list has no SQL form");
    text += list.map((item) => (isStatement(item) ? inline(item) : (flat.push(item), `$${flat.length}`))).join(", ") + (strings[i + 1] ?? "");
  });
  return { text, values: flat };
}

export type Row = Readonly<Record<string, unknown>>;

/**
 * One step of a transaction: a write, which may end the transaction when it changes no row (the event was seen, the
 * state moved on), a look-up that skips the next steps when it finds a row (an answer that did not change), or a
 * look-up that ends the transaction as stale when it finds none (the assessment is no longer a draft).
 */
export type TransactionStep =
  | { readonly kind: "write"; readonly statement: SqlStatement; readonly noRowMeans?: "duplicate" | "stale" }
  | { readonly kind: "skip-if-found"; readonly statement: SqlStatement; readonly skip: number }
  | { readonly kind: "require"; readonly statement: SqlStatement };

/** "committed", or why the transaction was rolled back. */
export type TransactionOutcome = "committed" | "duplicate" | "stale";

export interface DriverSql {
  readonly kind: "sqlite" | "postgres";
  rows(statement: SqlStatement): Promise<Row[]>;
  /** Runs a write outside any transaction; resolves with the number of rows changed. */
  run(statement: SqlStatement): Promise<number>;
  /** Runs the steps in one transaction: all of them are committed, or none. */
  transact(steps: readonly TransactionStep[]): Promise<TransactionOutcome>;
  close(): Promise<void>;
}

/** After step `i` found or changed `count` rows: the index of the next step, or the outcome that ends the transaction. */
function afterStep(step: TransactionStep, i: number, count: number): number | Exclude<TransactionOutcome, "committed"> {
  if (step.kind === "skip-if-found") return count > 0 ? i + 1 + step.skip : i + 1;
  if (step.kind === "require") return count > 0 ? i + 1 : "stale";
  return count === 0 && step.noRowMeans ? step.noRowMeans : i + 1;
}

/**
 * Runs the steps in order with `execute` (which answers what each one found or changed) and applies their rules; the
 * same on both databases and inside a Prisma transaction (prisma-steps.ts). Resolves early with the outcome that ends
 * the transaction; the caller rolls back unless it is "committed".
 */
export async function walkSteps(steps: readonly TransactionStep[], execute: (step: TransactionStep) => Promise<number>): Promise<TransactionOutcome> {
  for (let i = 0; i < steps.length; ) {
    const step = steps[i] as TransactionStep;
    const next = afterStep(step, i, await execute(step));
    if (typeof next !== "number") return next;
    i = next;
  }
  return "committed";
}

/** walkSteps for a synchronous driver: the whole transaction runs without yielding. */
function walkStepsNow(steps: readonly TransactionStep[], execute: (step: TransactionStep) => number): TransactionOutcome {
  for (let i = 0; i < steps.length; ) {
    const step = steps[i] as TransactionStep;
    const next = afterStep(step, i, execute(step));
    if (typeof next !== "number") return next;
    i = next;
  }
  return "committed";
}

class RollBack extends Error {
  constructor(readonly outcome: Exclude<TransactionOutcome, "committed">) {
    super(outcome);
  }
}

// ---------------------------------------------------------------------------------------------------------------- SQLite

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
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (!statement) {
      // Each placeholder appears once, in order (see sql), so they become plain positional ones.
      statement = db.prepare(text.replace(/\$\d+/g, "?"));
      statements.set(text, statement);
    }
    return statement;
  };
  const values = (statement: SqlStatement) => statement.values.map(sqliteValue);
  const count = (statement: SqlStatement, reader: boolean): number => {
    const prepared = prepare(statement.text);
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
    rows: (statement) => whenUnlocked(() => prepare(statement.text).all(...values(statement)) as Row[]),
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

// ------------------------------------------------------------------------------------------------------------ PostgreSQL

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
/** `timestamp` columns hold UTC (Prisma's convention); node-postgres would read them as local time. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === INT8_OID) return (text: string) => Number(text);
    return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};
const pgValue = (v: SqlValue): string | number | boolean | null => (v instanceof Date ? v.toISOString().replace("T", " ").replace("Z", "") : v);
/** Named statements are parsed and planned once per connection; the few texts there are get their names once. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `pdx_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    // Texts with a list of values (`IN (${ids})`) vary in length: the names of those are not kept beyond a bound.
    if (statementNames.size < 1_000) statementNames.set(text, name);
  }
  return name;
}
const query = (statement: SqlStatement) => ({ name: statementName(statement.text), text: statement.text, values: statement.values.map(pgValue), types });

/** PostgreSQL through the pool Prisma uses too (one pool, one connection limit). */
export function postgresDriver(pool: pg.Pool): DriverSql {
  return {
    kind: "postgres",
    rows: async (statement) => (await pool.query<Record<string, unknown>>(query(statement))).rows,
    run: async (statement) => (await pool.query(query(statement))).rowCount ?? 0,
    async transact(steps) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const outcome = await walkSteps(steps, async (step) => {
          const result = await client.query(query(step.statement));
          return step.kind === "write" ? (result.rowCount ?? 0) : result.rows.length;
        });
        await client.query(outcome === "committed" ? "COMMIT" : "ROLLBACK");
        return outcome;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: async () => undefined,
  };
}

// ------------------------------------------------------------------------------------------------------- reading rows

/** Column readers for driver rows, which differ by database (SQLite: dates as text, booleans as 0/1). */
export const column = {
  text(row: Row, name: string): string {
    const value = row[name];
    if (typeof value !== "string") throw new Error(`column ${name}: expected text, got ${typeof value}`);
    return value;
  },
  textOrNull(row: Row, name: string): string | null {
    return row[name] === null || row[name] === undefined ? null : column.text(row, name);
  },
  number(row: Row, name: string): number {
    const value = row[name];
    const number = typeof value === "bigint" ? Number(value) : value;
    if (typeof number !== "number") throw new Error(`column ${name}: expected a number, got ${typeof value}`);
    return number;
  },
  numberOrNull(row: Row, name: string): number | null {
    return row[name] === null || row[name] === undefined ? null : column.number(row, name);
  },
  date(row: Row, name: string): Date {
    const value = row[name];
    const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : null;
    if (date === null || Number.isNaN(date.getTime())) throw new Error(`column ${name}: expected a date`);
    return date;
  },
  dateOrNull(row: Row, name: string): Date | null {
    return row[name] === null || row[name] === undefined ? null : column.date(row, name);
  },
};
