import type { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import type { DriverSql } from "./sql/driver.js";

/**
 * The Prisma client the repositories use. Both generated clients come from the same models file
 * (prisma/models.prisma), so their model APIs are identical; the SQLite client's type stands for both.
 * These types live apart from database.ts (which opens, migrates and seeds) so that a store needing only the types
 * does not depend on opening a database.
 */
export type Db = SqliteClient;
/** A Prisma interactive-transaction client. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const drivers = new WeakMap<Db, DriverSql>();

/** Records the driver-level SQL that belongs to a client (database.ts, when it opens one). */
export function registerDriverSql(db: Db, driver: DriverSql): void {
  drivers.set(db, driver);
}

/** The driver-level SQL of a client opened by openDatabase (the per-message path reaches it from the client it has). */
export function driverSqlOf(db: Db): DriverSql {
  const driver = drivers.get(db);
  if (!driver) throw new Error("this Prisma client was not opened by openDatabase");
  return driver;
}
