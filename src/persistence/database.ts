import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import { PrismaClient as PostgresClient } from "../generated/postgres/client.js";
import { parseDatabaseUrl, pgConnectionString, type DatabaseTarget } from "./database-url.js";
import { migrate } from "./migrate.js";

/**
 * The Prisma client the repositories use. Both generated clients come from the same models file
 * (prisma/models.prisma), so their model APIs are identical; the SQLite client's type stands for both.
 */
export type Db = SqliteClient;
/** A Prisma interactive-transaction client. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface Database {
  readonly db: Db;
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

/** Opens the database named by DATABASE_URL (SQLite file by default), migrating it first. */
export async function openDatabase(url: string | undefined, options: OpenOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (options.migrate ?? true) await migrate(target);
  const db = createClient(target, options.sqliteBusyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS);
  await db.$connect();
  return { db, target, close: () => db.$disconnect() };
}

function createClient(target: DatabaseTarget, busyTimeoutMs: number): Db {
  if (target.kind === "sqlite") {
    return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${target.file}`, timeout: busyTimeoutMs }) });
  }
  const adapter = new PrismaPg(
    // Bounded connection attempts: an unreachable server must fail requests fast (503, platform retries), not hang them.
    { connectionString: pgConnectionString(target), max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 },
    target.schema === undefined ? undefined : { schema: target.schema },
  );
  // Same models, other provider: see the note on Db.
  return new PostgresClient({ adapter }) as unknown as Db;
}
