import { readdirSync } from "node:fs";
import type { Db } from "./db-client.js";
import { migrationsDir } from "./migrate.js";

/** Ready means: the database answers and every migration shipped with this build is applied. */
export async function isReady(db: Db, kind: "sqlite" | "postgres"): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  if (!shippedMigrations(kind).every((name) => applied.has(name))) return false;
  // SQLite serves reads while another process holds the write lock; a webhook needs to write, so probe that too.
  if (kind === "sqlite") await db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "logs" = "logs" WHERE 0`);
  return true;
}

const shipped = new Map<string, string[]>();
function shippedMigrations(kind: "sqlite" | "postgres"): string[] {
  let names = shipped.get(kind);
  if (!names) {
    names = readdirSync(migrationsDir(kind), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    shipped.set(kind, names);
  }
  return names;
}
