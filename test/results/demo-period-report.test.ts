import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemo } from "../../src/app/demo-setup.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { loadPeriodResults } from "../../src/persistence/results-store.js";
import { StoreRefusal } from "../../src/persistence/store-errors.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";

/**
 * Issue 26, item 14: `report national --period <demo id>` listed real agencies as not started (the command itself:
 * test/cli/report-demo-period-cli.test.ts).
 */
describe.each(databaseKinds)("reports of the demo period on $name", (kind) => {
  let database: TestDatabase;
  let demoPeriod: string;

  beforeAll(async () => {
    database = await kind.open();
    expect(await ensureDemo(database, await createTranslator(), { externalUserId: "local", displayName: "Người thử" }, new Date("2024-11-05T03:00:00Z"))).toBe(true);
    // A real agency added after the demo: it never answers into the demo period.
    await addAgency(database.db, { name: "Báo Thật", province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
    demoPeriod = (await database.db.assessmentPeriod.findFirstOrThrow({ where: { demo: true } })).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  it("when a report asks for the demo period, then it is refused with a line saying why", async () => {
    await expect(loadPeriodResults(database.db, demoPeriod)).rejects.toBeInstanceOf(StoreRefusal);
    await expect(loadPeriodResults(database.db, demoPeriod)).rejects.toThrow(/demo period/);
  });
});
