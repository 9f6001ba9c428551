import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dossierMessage } from "../../src/app/evidence/dossier-message.js";
import { DossierNotFoundError, writeDossier } from "../../src/app/evidence/dossier.js";
import { createTranslator, type Translator } from "../../src/i18n/translator.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { NOW } from "./conversation-fixture.js";
import { seedDossier, type DossierWorld } from "./dossier-fixture.js";

/**
 * The dossier (hồ sơ) read back: the ZIP's entries, the summary workbook's rows and the stored files' bytes, names a
 * sender chose that try to leave their folder, evidence that cannot be in the ZIP, and the scope rules (another
 * agency's or another province's dossier refused).
 */

async function sheetRows(zip: JSZip): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  const bytes = await zip.file("00-tong-hop.xlsx")?.async("nodebuffer");
  if (bytes === undefined) throw new Error("no summary workbook");
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const rows: string[][] = [];
  sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? "" : String(v)))));
  return rows;
}

describe.each(databaseKinds)("the dossier on $name", (kind) => {
  let database: TestDatabase;
  let dataDir: string;
  let translator: Translator;
  let world: DossierWorld;
  const render = (locale: "vi" | "en") => (text: Parameters<Translator["text"]>[1]) => translator.text(locale, text);

  beforeEach(async () => {
    database = await kind.open();
    dataDir = mkdtempSync(path.join(tmpdir(), "pdx-dossier-"));
    translator = await createTranslator();
    world = await seedDossier(database, dataDir);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("when built, then the ZIP holds the summary first and each stored file, byte for byte, in its criterion's folder under a safe name", async () => {
    const out = path.join(dataDir, "hoso.zip");
    const summary = await writeDossier(database.db, { agencyId: world.agencyId, periodId: world.periodId, locale: "vi", render: render("vi"), dataDir, now: NOW }, out);
    expect(summary).toMatchObject({ fileName: "ho-so-Báo Kiểm Thử.zip", agencyName: "Báo Kiểm Thử", periodName: "Năm 2024", files: 3, notIncluded: 3 });
    const zip = await JSZip.loadAsync(readFileSync(out));
    const names = Object.keys(zip.files).filter((name) => !zip.files[name]?.dir);
    expect(names).toEqual(["00-tong-hop.xlsx", "P1.1.1/01-Quyết định CĐS.pdf", "P1.1.1/02-_.._.bashrc_.._x.pdf", "P1.1.2/01-tep.pdf"]);
    expect(names.every((name) => !name.split("/").some((part) => part === ".." || part.startsWith(".")))).toBe(true);
    expect(await zip.file("P1.1.1/01-Quyết định CĐS.pdf")?.async("nodebuffer")).toEqual(world.files["a1.pdf"]);
    expect(await zip.file("P1.1.1/02-_.._.bashrc_.._x.pdf")?.async("nodebuffer")).toEqual(world.files["a2.pdf"]);
    expect(await zip.file("P1.1.2/01-tep.pdf")?.async("nodebuffer")).toEqual(world.files["a3.pdf"]);
    expect(names.some((name) => name.includes("passwd"))).toBe(false);
  });

  it("when the summary is read, then it lists every criterion in the definition's order with answer, points, note, evidence, who and when, then the total and level", async () => {
    const out = path.join(dataDir, "hoso.zip");
    await writeDossier(database.db, { agencyId: world.agencyId, periodId: world.periodId, locale: "vi", render: render("vi"), dataDir, now: NOW }, out);
    const rows = await sheetRows(await JSZip.loadAsync(readFileSync(out)));
    expect(rows[0]).toEqual(["Mã tiêu chí", "Trụ cột", "Chỉ số thành phần", "Câu hỏi", "Câu trả lời", "Điểm", "Điểm tối đa", "Ghi chú", "Minh chứng", "Người trả lời", "Thời điểm trả lời"]);
    const ids = rows.slice(1, -1).map((row) => row[0]);
    expect(ids.slice(0, 3)).toEqual(["P1.1.1", "P1.1.2", "P1.1.3"]);
    expect(ids.length).toBeGreaterThan(40);
    const first = rows[1] ?? [];
    expect(first[3]).toContain("Chiến lược");
    expect(first[4]).toBe("Có");
    expect(Number(first[5])).toBeGreaterThan(0);
    expect(first[7]).toBe("Ban hành tháng 3/2024");
    expect(first[8]).toBe("P1.1.1/01-Quyết định CĐS.pdf\nP1.1.1/02-_.._.bashrc_.._x.pdf");
    expect(first[9]).toBe("Nguyễn Thị Lan");
    // Vietnam wall-clock time (09:30 for 02:30 UTC), as the reports write it.
    expect(first[10]).toBe("2024-11-04T09:30:00.000Z");
    const second = rows[2] ?? [];
    expect(second[8]?.split("\n")).toEqual([
      "P1.1.2/01-tep.pdf",
      "Liên kết: https://example.vn/ke-hoach",
      "chua-tai.pdf (tệp gửi qua Telegram chưa được tải về máy chủ)",
      "passwd.pdf (tệp không còn trên máy chủ)",
    ]);
    const total = rows[rows.length - 1] ?? [];
    expect(total[0]).toBe("Tổng cộng");
    expect(total[4]).not.toBe("");
    expect(Number(total[5])).toBe(Number(first[5]));
  });

  it("when the agency is of another province than the one asked for, then no dossier is built and nothing is written", async () => {
    const other = await addAgency(database.db, { name: "Báo Tỉnh Khác", province: "Đà Nẵng", group: "local-newspaper", type: "newspaper" });
    const out = path.join(dataDir, "hoso.zip");
    const request = { agencyId: world.agencyId, periodId: world.periodId, provinceId: other.agency.provinceId, locale: "vi" as const, render: render("vi"), dataDir, now: NOW };
    await expect(writeDossier(database.db, request, out)).rejects.toThrow(DossierNotFoundError);
    expect(() => readFileSync(out)).toThrow();
  });

  it("when a lead names another agency, a member asks, or a supervisor asks for another province's agency, then the chat gets a refusal and no file", async () => {
    const other = await addAgency(database.db, { name: "Báo Tỉnh Khác", province: "Đà Nẵng", group: "local-newspaper", type: "newspaper" });
    const deps = { db: database.db, translator, dataDir };
    const base = { channel: "telegram" as const, assessmentId: world.assessmentId, supervisorPeriodId: world.periodId };
    const lead = { role: "lead" as const, agencyId: world.agencyId, provinceId: world.provinceId };
    const cases = [
      await dossierMessage(deps, other.agency.id, "vi", { ...base, requester: lead }, NOW),
      await dossierMessage(deps, null, "vi", { ...base, requester: { ...lead, role: "member" } }, NOW),
      await dossierMessage(deps, world.agencyId, "vi", { ...base, requester: { role: "supervisor", agencyId: null, provinceId: other.agency.provinceId } }, NOW),
      await dossierMessage(deps, null, "vi", { ...base, requester: null }, NOW),
    ];
    expect(cases.map((m) => m.kind)).toEqual(["reply", "reply", "reply", "reply"]);
    const texts = cases.map((m) => (m.kind === "reply" ? m.reply.text : ""));
    expect(texts[1]).toContain("Chỉ lãnh đạo phụ trách");
    for (const i of [0, 2, 3]) expect(texts[i]).toContain("Không tìm thấy hồ sơ");

    const own = await dossierMessage(deps, null, "vi", { ...base, requester: lead }, NOW);
    expect(own).toMatchObject({ kind: "document", fileName: "ho-so-Báo Kiểm Thử.zip" });
    const supervised = await dossierMessage(deps, world.agencyId, "en", { ...base, channel: "zalo", requester: { role: "supervisor", agencyId: null, provinceId: world.provinceId } }, NOW);
    expect(supervised.kind).toBe("document");
    if (supervised.kind === "document") expect(supervised.caption).toContain("download link valid for 24 hours");
  });
});
