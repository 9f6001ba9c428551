import { availableParallelism } from "node:os";
import path from "node:path";

/** Where the data lives: an embedded SQLite file (the default) or a PostgreSQL server. */
export type DatabaseTarget =
  | { readonly kind: "sqlite"; readonly file: string }
  | { readonly kind: "postgres"; readonly url: string; readonly schema: string | undefined; readonly poolSize: number };

/**
 * Connections per instance unless the URL says otherwise (`connection_limit`, Prisma's name for it): twice this
 * machine's cores plus one, Prisma's own default. More only add server processes competing for the same cores: on the
 * 2-core build machine 10 connections answered a sixth fewer messages a second than 4 or 5 (README, Benchmark).
 */
export const defaultPoolSize = (): number => 2 * availableParallelism() + 1;
const MAX_POOL_SIZE = 100;

export const DEFAULT_DATABASE_URL = "file:./data/app.db";

export class DatabaseUrlError extends Error {
  override name = "DatabaseUrlError";
}

/**
 * Reads DATABASE_URL. `file:<path>` is resolved against the working directory; a PostgreSQL URL may carry
 * `?schema=<name>` (Prisma's convention), which the tests use to isolate suites on one server, and
 * `?connection_limit=<n>`, the connections this instance keeps (see defaultPoolSize).
 */
export function parseDatabaseUrl(url: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const value = url === undefined || url.trim() === "" ? DEFAULT_DATABASE_URL : url.trim();
  if (value.startsWith("file:")) {
    const file = value.slice("file:".length);
    if (file === "") throw new DatabaseUrlError("DATABASE_URL: file: needs a path, e.g. file:./data/app.db");
    return { kind: "sqlite", file: file === ":memory:" ? file : path.resolve(cwd, file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let params: URLSearchParams;
    try {
      params = new URL(value).searchParams;
    } catch {
      throw new DatabaseUrlError("DATABASE_URL: not a valid PostgreSQL URL");
    }
    const schema = params.get("schema") ?? undefined;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
      throw new DatabaseUrlError("DATABASE_URL: schema must be lowercase letters, digits and underscores");
    }
    const limit = params.get("connection_limit");
    const poolSize = limit === null ? defaultPoolSize() : Number(limit);
    if (!/^\d+$/.test(limit ?? "1") || poolSize < 1 || poolSize > MAX_POOL_SIZE) {
      throw new DatabaseUrlError(`DATABASE_URL: connection_limit must be a whole number from 1 to ${MAX_POOL_SIZE}`);
    }
    return { kind: "postgres", url: value, schema, poolSize };
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
  url.searchParams.delete("connection_limit");
  if (target.schema !== undefined) url.searchParams.set("options", `-c search_path=${target.schema}`);
  return url.toString();
}
