import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../../src/persistence/database.js";
import { seed } from "../../src/persistence/seed.js";

/**
 * The databases every repository test runs against: SQLite always; PostgreSQL when TEST_POSTGRES_URL points at a
 * server. In CI (.ci/run sets CI and TEST_POSTGRES_URL) an unreachable PostgreSQL fails the run instead of being skipped.
 */
export interface TestDatabaseKind {
  readonly name: "sqlite" | "postgres";
  /**
   * A fresh, migrated database holding what the service seeds at start (provinces, shipped definitions), or nothing
   * with `{ seed: false }`; call close() in afterAll/afterEach.
   */
  open(options?: OpenTestOptions): Promise<TestDatabase>;
  /** A second connection to the same data, as after a restart of the service. */
  reopen(database: TestDatabase): Promise<Database>;
}

export interface OpenTestOptions {
  readonly seed?: boolean;
}

export interface TestDatabase extends Database {
  readonly url: string;
}

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
/** The PostgreSQL server tests use (each suite works in a schema of its own). */
export const postgresBaseUrl = POSTGRES_URL;

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let counter = 0;
const uniqueName = (): string => `t_${process.pid}_${Date.now().toString(36)}_${(counter += 1)}`;

const reopen = (database: TestDatabase): Promise<Database> => openDatabase(database.url);

/** Opens a database as the service starts on one: opened, then seeded (once per test database, as once per start). */
export async function openSeeded(url: string, options: OpenTestOptions = {}): Promise<Database> {
  const database = await openDatabase(url);
  if (options.seed ?? true) await seed(database.db);
  return database;
}

export const sqliteKind: TestDatabaseKind = {
  name: "sqlite",
  reopen,
  async open(options = {}) {
    const dir = mkdtempSync(path.join(tmpdir(), "pdx-test-"));
    const url = `file:${path.join(dir, "app.db")}`;
    const database = await openSeeded(url, options);
    return {
      ...database,
      url,
      close: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresKind: TestDatabaseKind = {
  name: "postgres",
  reopen,
  async open(options = {}) {
    const schema = uniqueName();
    const url = `${POSTGRES_URL}${POSTGRES_URL.includes("?") ? "&" : "?"}schema=${schema}`;
    const database = await openSeeded(url, options);
    return {
      ...database,
      url,
      close: async () => {
        await database.close();
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  },
};

const reachable = await postgresReachable();
if (!reachable) {
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI but ${POSTGRES_URL} is unreachable`);
  console.warn(`NOTICE: PostgreSQL at ${POSTGRES_URL} is unreachable; PostgreSQL tests are SKIPPED on this machine.`);
}

export const postgresAvailable = reachable;

/** Use with `describe.each(databaseKinds)("… on $name", …)`. */
export const databaseKinds: readonly TestDatabaseKind[] = reachable ? [sqliteKind, postgresKind] : [sqliteKind];
