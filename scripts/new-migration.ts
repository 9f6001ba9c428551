/**
 * Creates a migration for both providers from the change in prisma/models.prisma, without any database:
 * `prisma migrate diff` from the schema the last migration was made from to the current one.
 *
 *   npm run migration:new -- <name>
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PROVIDERS, variantDir } from "./generate-prisma.js";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run migration:new -- <name_in_snake_case>");
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const provider of PROVIDERS) {
  const dir = variantDir(provider);
  const migrations = path.join(dir, "migrations");
  mkdirSync(migrations, { recursive: true });
  const previous = readdirSync(migrations).filter((d) => existsSync(path.join(migrations, d, "schema.prisma"))).sort().pop();
  const from = previous === undefined ? ["--from-empty"] : ["--from-schema-datamodel", path.join(migrations, previous, "schema.prisma")];
  const sql = execFileSync(
    path.join(dir, "..", "..", "node_modules", ".bin", "prisma"),
    ["migrate", "diff", ...from, "--to-schema-datamodel", path.join(dir, "schema.prisma"), "--script", "--config", path.join(dir, "prisma.config.ts")],
    // The JS engine opens the config's adapter even for a diff that needs no database: give SQLite a scratch file.
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, DATABASE_URL: provider === "sqlite" ? `file:${path.join(tmpdir(), "migration-diff.db")}` : process.env.DATABASE_URL } },
  );
  const target = path.join(migrations, `${stamp}_${name}`);
  mkdirSync(target);
  writeFileSync(path.join(target, "migration.sql"), sql);
  // The schema this migration leads to: the starting point of the next diff.
  copyFileSync(path.join(dir, "schema.prisma"), path.join(target, "schema.prisma"));
  writeFileSync(path.join(migrations, "migration_lock.toml"), `provider = "${provider}"\n`);
  console.log(path.relative(process.cwd(), target));
}
