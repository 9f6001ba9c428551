import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemo } from "../../src/app/demo-setup.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { loadPeriodResults } from "../../src/persistence/results-store.js";
import { StoreRefusal } from "../../src/persistence/store-errors.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { runCli } from "../cli/run-cli.js";

/** Issue 26, item 14: `report national --period <demo id>` listed real agencies as not started. */
describe.each(databaseKinds)("reports of the demo period on $name", (kind) => {
  let database: TestDatabase;
  let demoPeriod: string;

  beforeAll(async () => {
    database = await kind.open();
    expect(await ensureDemo(database.db, await createTranslator(), { externalUserId: "local", displayName: "Người thử" }, new Date("2024-11-05T03:00:00Z"))).toBe(true);
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

  it.runIf(kind.name === "sqlite")("when `report national` names the demo period, then it exits 2 with that line and no agency is listed", async () => {
    const run = await runCli("report", ["national", "--period", demoPeriod, "--lang", "en"], { DATABASE_URL: database.url });
    expect(run.code).toBe(2);
    expect(run.errorLines.join("\n")).toMatch(/demo period/);
    expect(run.stdout).not.toContain("Báo Thật");
    const vietnamese = await runCli("report", ["national", "--period", demoPeriod], { DATABASE_URL: database.url });
    expect([vietnamese.code, vietnamese.errorLines]).toEqual([2, [`Kỳ ${demoPeriod} là kỳ dùng thử của trò chuyện trên máy, không đưa vào báo cáo nào (lệnh admin demo remove sẽ xoá kỳ này).`]]);
  });
});
