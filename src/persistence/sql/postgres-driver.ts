import { createHash } from "node:crypto";
import pg from "pg";
import type { DriverSql } from "./driver.js";
import type { SqlStatement, SqlValue } from "./statement.js";
import { walkSteps } from "./steps.js";

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
/** `timestamp` columns hold UTC (Prisma's convention); node-postgres would read them as local time. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === INT8_OID) return (text: string) => Number(text);
    return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};
const pgValue = (v: SqlValue): string | number | boolean | null => (v instanceof Date ? v.toISOString().replace("T", " ").replace("Z", "") : v);
/**
 * Named statements are parsed and planned once per connection; the few texts there are get their names once. Texts
 * with a list of values (`IN (${ids})`) differ with every length: past the bound a text goes unnamed, or every
 * connection would keep a prepared statement for each length it ever saw.
 */
const statementNames = new Map<string, string>();
const NAMED_STATEMENTS = 1_000;
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < NAMED_STATEMENTS) {
    name = `pdx_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}
const query = (statement: SqlStatement) => {
  const text = statement.text;
  return { name: statementName(text), text, values: statement.values.map((v) => pgValue(v as SqlValue)), types };
};

/** PostgreSQL through the pool Prisma uses too (one pool, one connection limit). */
export function postgresDriver(pool: pg.Pool): DriverSql {
  return {
    kind: "postgres",
    rows: async (statement) => (await pool.query<Record<string, unknown>>(query(statement))).rows,
    run: async (statement) => (await pool.query(query(statement))).rowCount ?? 0,
    async transact(steps) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const outcome = await walkSteps(steps, async (step) => {
          const result = await client.query(query(step.statement));
          return step.kind === "write" ? (result.rowCount ?? 0) : result.rows.length;
        });
        await client.query(outcome === "committed" ? "COMMIT" : "ROLLBACK");
        return outcome;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: async () => undefined,
  };
}
