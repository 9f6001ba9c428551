import type { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import type { DriverSql } from "./sql/driver.js";

/**
 * The Prisma client the repositories use. Both generated clients come from the same models file
 * (prisma/models.prisma), so their model APIs are identical; the SQLite client's type stands for both.
 * These types live apart from database.ts (which opens and migrates) so that a store needing only the types
 * does not depend on opening a database.
 */
export type Db = SqliteClient;
/** A Prisma interactive-transaction client. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * One database as the stores on the per-message path see it: the Prisma client, and the statements run on the driver
 * itself (sql/driver.ts) against the same data. Passed whole to whoever needs both; an open Database is one.
 */
export interface Store {
  readonly db: Db;
  readonly sql: DriverSql;
}
