import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { pgConnectionString, type DatabaseTarget } from "./database-url.js";

/**
 * Applies the SQL migrations that `prisma migrate diff` produced, in order, each in its own transaction, and records
 * them in Prisma's `_prisma_migrations` table (same columns, SHA-256 checksum of migration.sql) so that
 * `prisma migrate deploy` on a machine with the native engine agrees about what is applied.
 *
 * Why our own runner: Prisma's JS engine cannot apply migrations to PostgreSQL (prisma/orm#27403), and shipping the
 * Prisma CLI to production only to migrate SQLite would double the image. On PostgreSQL an advisory lock makes two
 * instances starting together take turns; the second finds nothing left to do.
 */

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MIGRATION_LOCK_KEY = 7_340_215_001;

export class MigrationError extends Error {
  override name = "MigrationError";
}

interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export function migrationsDir(kind: DatabaseTarget["kind"]): string {
  return path.join(projectRoot, "prisma", kind === "sqlite" ? "sqlite" : "postgres", "migrations");
}

function loadMigrations(kind: DatabaseTarget["kind"]): Migration[] {
  const dir = migrationsDir(kind);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** Decides what to apply, refusing to run over a changed or half-applied history. */
function pending(all: readonly Migration[], applied: readonly AppliedRow[]): Migration[] {
  const done = new Map<string, AppliedRow>();
  for (const row of applied) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(`migration ${row.migration_name} started earlier but did not finish; repair the database before starting`);
    }
    done.set(row.migration_name, row);
  }
  for (const migration of all) {
    const row = done.get(migration.name);
    if (row && row.checksum !== migration.checksum) {
      throw new MigrationError(`migration ${migration.name} was changed after it was applied (checksum differs)`);
    }
  }
  return all.filter((m) => !done.has(m.name));
}

/** Brings the database up to date; returns the names of the migrations applied now. */
export async function migrate(target: DatabaseTarget): Promise<string[]> {
  return target.kind === "sqlite" ? migrateSqlite(target.file) : migratePostgres(target);
}

function migrateSqlite(file: string): string[] {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const applied = db
      .prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)
      .all() as AppliedRow[];
    const todo = pending(loadMigrations("sqlite"), applied);
    for (const migration of todo) {
      db.transaction(() => {
        db.exec(migration.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES (?, ?, current_timestamp, ?, 1)`,
        ).run(randomUUID(), migration.checksum, migration.name);
      }).immediate();
    }
    return todo.map((m) => m.name);
  } finally {
    db.close();
  }
}

async function migratePostgres(target: Extract<DatabaseTarget, { kind: "postgres" }>): Promise<string[]> {
  const client = new pg.Client({ connectionString: pgConnectionString(target) });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    if (target.schema !== undefined) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
      await client.query(`SET search_path TO "${target.schema}"`);
    }
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const applied = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const todo = pending(loadMigrations("postgres"), applied.rows);
    for (const migration of todo) {
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return todo.map((m) => m.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock_all()").catch(() => undefined);
    await client.end();
  }
}
