import path from "node:path";

/** Where the data lives: an embedded SQLite file (the default) or a PostgreSQL server. */
export type DatabaseTarget =
  | { readonly kind: "sqlite"; readonly file: string }
  | { readonly kind: "postgres"; readonly url: string; readonly schema: string | undefined };

export const DEFAULT_DATABASE_URL = "file:./data/app.db";

export class DatabaseUrlError extends Error {
  override name = "DatabaseUrlError";
}

/**
 * Reads DATABASE_URL. `file:<path>` is resolved against the working directory; a PostgreSQL URL may carry
 * `?schema=<name>` (Prisma's convention), which the tests use to isolate suites on one server.
 */
export function parseDatabaseUrl(url: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const value = url === undefined || url.trim() === "" ? DEFAULT_DATABASE_URL : url.trim();
  if (value.startsWith("file:")) {
    const file = value.slice("file:".length);
    if (file === "") throw new DatabaseUrlError("DATABASE_URL: file: needs a path, e.g. file:./data/app.db");
    return { kind: "sqlite", file: file === ":memory:" ? file : path.resolve(cwd, file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let schema: string | undefined;
    try {
      schema = new URL(value).searchParams.get("schema") ?? undefined;
    } catch {
      throw new DatabaseUrlError("DATABASE_URL: not a valid PostgreSQL URL");
    }
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
      throw new DatabaseUrlError("DATABASE_URL: schema must be lowercase letters, digits and underscores");
    }
    return { kind: "postgres", url: value, schema };
  }
  throw new DatabaseUrlError("DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)");
}

/**
 * The connection string for node-postgres: Prisma's `schema` parameter becomes the session's search_path, so raw SQL
 * (migrations, outbox claims) and Prisma's own queries land in the same schema.
 */
export function pgConnectionString(target: Extract<DatabaseTarget, { kind: "postgres" }>): string {
  const url = new URL(target.url);
  url.searchParams.delete("schema");
  if (target.schema !== undefined) url.searchParams.set("options", `-c search_path=${target.schema}`);
  return url.toString();
}
