import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import { PrismaClient as PostgresClient } from "../generated/postgres/client.js";
import { parseDatabaseUrl, pgConnectionString, type DatabaseTarget } from "./database-url.js";
import { openSqliteDriver } from "./sql/sqlite-driver.js";
import { postgresDriver } from "./sql/postgres-driver.js";
import type { DriverSql } from "./sql/driver.js";
import type { Db, Store } from "./db-client.js";
import { migrate } from "./migrate.js";

export type { Db, Store, Tx } from "./db-client.js";

export interface Database extends Store {
  readonly target: DatabaseTarget;
  close(): Promise<void>;
}


export interface OpenOptions {
  /** Apply pending migrations first (default true): the service and every command start on an up-to-date schema. */
  readonly migrate?: boolean;
  /** How long a SQLite write waits for another writer before failing (default 5 s; a webhook then answers 503). */
  readonly sqliteBusyTimeoutMs?: number;
}

export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Opens the database named by DATABASE_URL (SQLite file by default), migrating it first; seed.ts fills it. */
export async function openDatabase(url: string | undefined, options: OpenOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (options.migrate ?? true) await migrate(target);
  const busyTimeoutMs = options.sqliteBusyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  const { db, sql, release } = createClients(target, busyTimeoutMs);
  try {
    await db.$connect();
  } catch (error) {
    await release();
    throw error;
  }
  return {
    db,
    sql,
    target,
    close: async () => {
      await db.$disconnect();
      await release();
    },
  };
}

/**
 * Prisma's interactive transactions give up after waiting 2 s for a connection (`maxWait`): a burst of people joining
 * at once on a busy machine then answered 503 (the benchmark's 50 people in the same second, on three instances). A
 * webhook may wait longer than that; the platform's own timeout is far longer, and a 503 costs a redelivery later.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 10_000 };

function createClients(target: DatabaseTarget, busyTimeoutMs: number): { db: Db; sql: DriverSql; release: () => Promise<void> } {
  if (target.kind === "sqlite") {
    const db = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${target.file}`, timeout: busyTimeoutMs }), transactionOptions: TRANSACTION_OPTIONS });
    const sql = openSqliteDriver(target.file, busyTimeoutMs);
    return { db, sql, release: () => sql.close() };
  }
  // Bounded connection attempts: an unreachable server must fail requests fast (503, platform retries), not hang them.
  const pool = new pg.Pool({ connectionString: pgConnectionString(target), max: target.poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  // An idle connection the server dropped is replaced on the next checkout; the error itself needs no handling.
  pool.on("error", () => undefined);
  const adapter = new PrismaPg(pool, target.schema === undefined ? undefined : { schema: target.schema });
  // Same models, other provider: see the note on Db.
  const db = new PostgresClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }) as unknown as Db;
  return { db, sql: postgresDriver(pool), release: () => pool.end() };
}
