import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/persistence/database.js";
import { seedAgency } from "../app/conversation-fixture.js";
import { pdfOf } from "../e2e/upload-fixture.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { runCli } from "./run-cli.js";
import { openSeeded } from "../support/databases.js";

/**
 * `npm run telegram -- fetch-evidence` against the fake Bot API: evidence kept as `telegram:<file_id>` before the
 * service kept files is fetched once into the evidence directory, refused and failed files are counted, and a second
 * run fetches nothing again.
 */

interface Summary {
  found: number;
  fetched: number;
  bytes: number;
  refused: Record<string, number>;
  failed: number;
  failures: string[];
}

const TOKEN = "999:FETCH";

describe("telegram fetch-evidence", () => {
  let fake: FakeTelegram;
  let dir: string;
  let database: Database;
  const pdf = pdfOf(120_000);
  const fetchEvidence = () => runCli("telegram", ["fetch-evidence", "--json"], { DATABASE_URL: `file:${path.join(dir, "app.db")}`, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: "fetch-secret", TELEGRAM_API_ROOT: fake.url });
  const row = (fileId: string) => database.db.evidence.findFirstOrThrow({ where: { caption: fileId } });

  beforeAll(async () => {
    fake = await startFakeTelegram();
    dir = mkdtempSync(path.join(tmpdir(), "pdx-fetch-tg-"));
    database = await openSeeded(`file:${path.join(dir, "app.db")}`);
    const { agency, period } = await seedAgency(database);
    const assessment = await database.db.assessment.create({ data: { agencyId: agency.id, periodId: period.id } });
    const person = await database.db.person.create({ data: { displayName: "Lan" } });
    // The caption names the file id, so each row can be found again whatever its ref becomes.
    const add = (ref: string, fileName: string | null) =>
      database.db.evidence.create({ data: { assessmentId: assessment.id, criterionId: "P1.1.1", kind: "document", channel: "telegram", ref, fileName, caption: ref.replace(/^telegram:/, ""), addedById: person.id } });
    await add("telegram:PDF1", "Kế hoạch.pdf");
    await add("telegram:HTML1", "trang.pdf");
    await add("telegram:GONE1", "mat.pdf");
    await add("https://example.vn/van-ban", null);
    fake.addFile("PDF1", pdf);
    fake.addFile("HTML1", Buffer.from("<html><script>alert(1)</script></html>"));
  });
  afterAll(async () => {
    await database.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when run, then the PDF is stored and its row points at the copy, the page is refused, the lost file counted as failed", async () => {
    const run = await fetchEvidence();
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary).toMatchObject({ found: 3, fetched: 1, bytes: pdf.length, refused: { type: 1 }, failed: 1 });
    expect(summary.failures).toEqual([expect.stringMatching(/GONE1/)]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    const stored = await row("PDF1");
    expect(stored).toMatchObject({ fileName: "Kế hoạch.pdf", sizeBytes: pdf.length, contentType: "application/pdf", sha256: createHash("sha256").update(pdf).digest("hex") });
    expect(stored.ref).toMatch(/^file:evidence\/[0-9a-f]{32}\.pdf$/);
    expect(readFileSync(path.join(dir, stored.ref.slice("file:".length)))).toEqual(pdf);
    expect((await row("HTML1")).ref).toBe("telegram:HTML1");
    expect((await row("GONE1")).ref).toBe("telegram:GONE1");
  });

  it("when run again after the lost file came back, then only that file is fetched and the first copy is left alone", async () => {
    const first = (await row("PDF1")).ref;
    const getFiles = fake.sent("getFile").length;
    fake.addFile("GONE1", pdfOf(5_000));
    const run = await fetchEvidence();
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ found: 2, fetched: 1, refused: { type: 1 }, failed: 0 });
    expect(fake.sent("getFile").slice(getFiles).map((c) => c.body.file_id).sort()).toEqual(["GONE1", "HTML1"]);
    expect((await row("PDF1")).ref).toBe(first);
    expect((await row("GONE1")).ref).toMatch(/^file:evidence\//);
    expect(existsSync(path.join(dir, first.slice("file:".length)))).toBe(true);
  });

  it("when run without --json, then the summary is one line in Vietnamese (English with --lang en)", async () => {
    const env = { DATABASE_URL: `file:${path.join(dir, "app.db")}`, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: "fetch-secret", TELEGRAM_API_ROOT: fake.url };
    const run = await runCli("telegram", ["fetch-evidence"], env);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, "1 tệp Telegram trong dữ liệu: đã tải 0 (0 byte), bị từ chối: 1 type, 0 lỗi\n", ""]);
    const english = await runCli("telegram", ["fetch-evidence", "--lang", "en"], env);
    expect(english.stdout).toBe("1 Telegram files on record: 0 fetched (0 bytes), refused: 1 type, 0 failed\n");
  });

  it("when there is no bot token, then it says so in one line and exits 2", async () => {
    const run = await runCli("telegram", ["fetch-evidence", "--lang", "en"], { DATABASE_URL: `file:${path.join(dir, "app.db")}` });
    expect(run.code).toBe(2);
    expect(run.errorLines).toEqual([expect.stringContaining("TELEGRAM_BOT_TOKEN is not set")]);
  });
});
