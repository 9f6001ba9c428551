import { describe, expect, it } from "vitest";
import { DatabaseUrlError, defaultPoolSize, parseDatabaseUrl, pgConnectionString } from "./database-url.js";

describe("parseDatabaseUrl", () => {
  it("when a PostgreSQL URL names a schema and a connection limit, then both are read and neither reaches the driver as such", () => {
    const target = parseDatabaseUrl("postgresql://app@db.internal:5432/pdx?schema=hanoi&connection_limit=4&sslmode=require");
    expect(target).toMatchObject({ kind: "postgres", schema: "hanoi", poolSize: 4 });
    if (target.kind !== "postgres") throw new Error("expected PostgreSQL");
    const driver = new URL(pgConnectionString(target));
    expect([...driver.searchParams.keys()].sort()).toEqual(["options", "sslmode"]);
    expect(driver.searchParams.get("options")).toBe("-c search_path=hanoi");
  });

  it("when no connection limit is given, then it is twice this machine's cores plus one", () => {
    expect(parseDatabaseUrl("postgres://app@localhost/pdx")).toMatchObject({ kind: "postgres", poolSize: defaultPoolSize() });
    expect(defaultPoolSize()).toBeGreaterThanOrEqual(3);
  });

  it.each(["0", "-2", "2.5", "many", "101"])("when connection_limit is %j, then the URL is refused with what is allowed", (limit) => {
    expect(() => parseDatabaseUrl(`postgres://app@localhost/pdx?connection_limit=${limit}`)).toThrow(new DatabaseUrlError("DATABASE_URL: connection_limit must be a whole number from 1 to 100"));
  });

  it("when nothing is set, then the embedded SQLite file under ./data is used", () => {
    expect(parseDatabaseUrl(undefined, "/srv/pdx")).toEqual({ kind: "sqlite", file: "/srv/pdx/data/app.db" });
  });
});
