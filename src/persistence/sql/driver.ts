import type { SqlStatement } from "./statement.js";
import type { TransactionOutcome, TransactionStep } from "./steps.js";

/*
 * The few statements every inbound message runs, executed on the database driver itself (better-sqlite3, node-postgres)
 * instead of through Prisma. Measured on the build machine: a query through Prisma costs 0.1–0.3 ms on SQLite (it
 * prepares every statement anew) and 0.57 ms on PostgreSQL for a bare `SELECT 1`, against about 0.01 ms and 0.2 ms on
 * the drivers, where statements are also prepared once and reused. Everything else stays on Prisma.
 *
 * Values are written exactly as Prisma writes them, so both sides read each other's rows: on SQLite a DateTime is the
 * text `2024-11-05T03:00:00.000+00:00` and a Boolean is 0/1; on PostgreSQL a DateTime is a `timestamp(3)` holding UTC.
 */

export type Row = Readonly<Record<string, unknown>>;

export type DatabaseKind = "sqlite" | "postgres";

export interface DriverSql {
  readonly kind: DatabaseKind;
  rows(statement: SqlStatement): Promise<Row[]>;
  /** Runs a write outside any transaction; resolves with the number of rows changed. */
  run(statement: SqlStatement): Promise<number>;
  /** Runs the steps in one transaction: all of them are committed, or none. */
  transact(steps: readonly TransactionStep[]): Promise<TransactionOutcome>;
  close(): Promise<void>;
}
