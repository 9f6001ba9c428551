import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemo } from "../../src/app/demo-setup.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { sqliteKind, type TestDatabase } from "../support/databases.js";
import { runCli } from "./run-cli.js";

/** Issue 26, item 14, through the compiled command: `report national` of the demo period is refused in both languages. */
describe("report national of the demo period", () => {
  let database: TestDatabase;
  let demoPeriod: string;

  beforeAll(async () => {
    database = await sqliteKind.open();
    expect(await ensureDemo(database, await createTranslator(), { externalUserId: "local", displayName: "Người thử" }, new Date("2024-11-05T03:00:00Z"))).toBe(true);
    await addAgency(database.db, { name: "Báo Thật", province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
    demoPeriod = (await database.db.assessmentPeriod.findFirstOrThrow({ where: { demo: true } })).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  it("when `report national` names the demo period, then it exits 2 with that line and no agency is listed", async () => {
    const run = await runCli("report", ["national", "--period", demoPeriod], { DATABASE_URL: database.url });
    expect(run.code).toBe(2);
    expect(run.errorLines.join("\n")).toMatch(/kỳ dùng thử/);
    expect(run.stdout).not.toContain("Báo Thật");
    const english = await runCli("report", ["national", "--period", demoPeriod, "--lang", "en"], { DATABASE_URL: database.url });
    expect(english.code).toBe(2);
    expect(english.errorLines.join("\n")).toMatch(/demo period/);
  });
});
