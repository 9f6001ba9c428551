import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsDir } from "../../src/persistence/migrate.js";
import { ensureShippedDefinitions } from "../../src/persistence/definition-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";

/** The statements of the demo_flags migration that flag what an older terminal chat created, one by one. */
function legacyFlagging(kind: "sqlite" | "postgres"): string[] {
  const dir = migrationsDir(kind);
  const name = readdirSync(dir).find((d) => d.endsWith("_demo_flags"));
  if (!name) throw new Error("no demo_flags migration");
  const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
  return sql
    .split(";")
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter((s) => s.startsWith("UPDATE"));
}

describe.each(databaseKinds)("the demo_flags migration on $name", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await kind.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("when an older terminal chat left its demo, then its province and agency are flagged, and its period only if no real agency answered in it", async () => {
    const { db } = database;
    await ensureShippedDefinitions(db);
    const province = await db.province.create({ data: { name: "Tỉnh Dùng thử" } });
    const demo = await db.agency.create({ data: { name: "Báo Điện tử Dùng thử", provinceId: province.id, group: "local-newspaper", type: "newspaper" } });
    const real = await db.agency.create({ data: { name: "Báo Thật", provinceId: (await db.province.findUniqueOrThrow({ where: { name: "Hà Nội" } })).id, group: "local-newspaper", type: "newspaper" } });
    const period = (name: string) =>
      db.assessmentPeriod.create({
        data: { definitionId: "press-dx-1827-2024", name, referenceFrom: new Date(), referenceTo: new Date(), entryOpens: new Date(), entryCloses: new Date() },
      });
    const unused = await period("Kỳ dùng thử năm 2025");
    const shared = await period("Kỳ dùng thử năm 2026");
    await db.assessment.create({ data: { agencyId: demo.id, periodId: unused.id } });
    await db.assessment.create({ data: { agencyId: real.id, periodId: shared.id } });

    const statements = legacyFlagging(kind.name);
    expect(statements).toHaveLength(3);
    for (const statement of statements) await db.$executeRawUnsafe(statement);

    expect(await db.province.findUniqueOrThrow({ where: { id: province.id } })).toMatchObject({ demo: true });
    expect(await db.agency.findUniqueOrThrow({ where: { id: demo.id } })).toMatchObject({ demo: true });
    expect(await db.agency.findUniqueOrThrow({ where: { id: real.id } })).toMatchObject({ demo: false });
    expect(await db.assessmentPeriod.findUniqueOrThrow({ where: { id: unused.id } })).toMatchObject({ demo: true });
    // Real answers were given in it: it stays a real period.
    expect(await db.assessmentPeriod.findUniqueOrThrow({ where: { id: shared.id } })).toMatchObject({ demo: false });
  });
});
