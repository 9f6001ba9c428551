import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../src/domain/conversation/text.js";
import { listCriteria } from "../../src/domain/questionnaire/definition-index.js";
import { fromHundredths } from "../../src/domain/questionnaire/hundredths.js";
import { scoreAssessment } from "../../src/domain/questionnaire/scoring.js";
import { createTranslator, type Translator } from "../../src/i18n/translator.js";
import { loadPeriodResults, type PeriodResults } from "../../src/persistence/results-store.js";
import { buildCsv, UTF8_BOM } from "../../src/results/export-csv.js";
import { buildWorkbook, sheetName } from "../../src/results/export-workbook.js";
import type { Render } from "../../src/results/report-table.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { NOW, seedProvinces, SUBMITTED_AT } from "./results-fixture.js";

type Seeded = Awaited<ReturnType<typeof seedProvinces>>;

describe.each(databaseKinds)("the results report on $name", (kind) => {
  let database: TestDatabase;
  let seeded: Seeded;
  let translator: Translator;
  let render: Render;
  let all: PeriodResults;
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    database = await kind.open();
    seeded = await seedProvinces(database);
    translator = await createTranslator();
    render = (text) => translator.text("vi", text);
    all = await loadPeriodResults(database.db, seeded.periods.p2024.id);
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildWorkbook(all, { render, locale: "vi", scope: null, generatedAt: NOW })) as unknown as ArrayBuffer);
  });
  afterAll(async () => {
    await database.close();
  });

  /** What the scoring engine gives for each agency, by name. */
  const expected = () =>
    new Map([
      ["Báo Kiểm Thử", scoreAssessment(seeded.definitions.def2024, seeded.values.bao2024)],
      ["Tạp chí Thử Nghiệm", scoreAssessment(seeded.definitions.def2024, seeded.values.tapChi2024)],
      ["Đài Phát thanh Thử", scoreAssessment(seeded.definitions.def2024, new Map())],
      ["Báo Huế Thử", scoreAssessment(seeded.definitions.def2024, seeded.values.hue2024)],
    ]);

  it("when results are loaded for the whole country, then every agency is there, by province then name, with the engine's scores", () => {
    expect(all.agencies.map((a) => [a.province, a.name, a.status])).toEqual([
      ["Hà Nội", "Báo Kiểm Thử", "submitted"],
      ["Hà Nội", "Đài Phát thanh Thử", "not-started"],
      ["Hà Nội", "Tạp chí Thử Nghiệm", "in-progress"],
      ["Huế", "Báo Huế Thử", "in-progress"],
    ]);
    for (const agency of all.agencies) expect(agency.score).toEqual(expected().get(agency.name));
  });

  it("when a province is given, then only its agencies are loaded", async () => {
    const hue = await loadPeriodResults(database.db, seeded.periods.p2024.id, { provinceId: seeded.agencies.hue.provinceId });
    expect(hue.agencies.map((a) => a.name)).toEqual(["Báo Huế Thử"]);
  });

  it("when the workbook is opened with exceljs, then the summary holds exactly the numbers the scoring engine gives", () => {
    const summary = workbook.getWorksheet("Tổng hợp");
    if (!summary) throw new Error("no summary sheet");
    const header = (summary.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      "STT",
      "Mã cơ quan",
      "Cơ quan báo chí",
      "Tỉnh, thành phố",
      "Khối",
      "Trạng thái",
      "P1 Chiến lược (tối đa 18)",
      "P2 Hạ tầng số, nền tảng số và an toàn thông tin (tối đa 24)",
      "P3 Sự đồng nhất về tổ chức và chuyên môn (tối đa 20)",
      "P4 Độc giả, khán giả, thính giả (tối đa 23)",
      "P5 Mức độ ứng dụng công nghệ số (tối đa 15)",
      "Tổng điểm (tối đa 100)",
      "Mức",
      "Hoàn thành (%)",
      "Số tiêu chí đã trả lời",
      "Thời điểm nộp",
      "Người nộp",
      "Cập nhật gần nhất",
    ]);
    expect(summary.rowCount).toBe(1 + all.agencies.length);
    for (let r = 2; r <= summary.rowCount; r += 1) {
      const row = summary.getRow(r);
      const score = expected().get(String(row.getCell(3).value));
      if (!score) throw new Error(`unexpected agency ${String(row.getCell(3).value)}`);
      expect([7, 8, 9, 10, 11].map((c) => row.getCell(c).value)).toEqual(score.pillars.map((p) => fromHundredths(p.scoreH)));
      expect(row.getCell(12).value).toBe(fromHundredths(score.totalH));
      // An agency that has not started has no level: scoring nothing would say "Yếu".
      expect(row.getCell(13).value).toBe(row.getCell(6).value === "Chưa bắt đầu" ? "— (chưa bắt đầu)" : score.level.name.vi);
      expect(row.getCell(15).value).toBe(score.answered);
    }
    const bao = summary.getRow(2);
    expect([bao.getCell(5).value, bao.getCell(6).value, bao.getCell(17).value]).toEqual(["Khối báo địa phương", "Đã nộp", "Trần Lãnh Đạo"]);
    // Vietnam wall-clock time: 02:30 UTC is 09:30 in Hà Nội.
    expect((bao.getCell(16).value as Date).toISOString()).toBe(new Date(SUBMITTED_AT.getTime() + 7 * 3_600_000).toISOString());
    expect(summary.getRow(3).getCell(6).value).toBe("Chưa bắt đầu");
  });

  it("when an agency's sheet is read, then every criterion is listed with its answer, score, note, evidence and who answered", () => {
    const sheet = workbook.getWorksheet("1. Báo Kiểm Thử");
    if (!sheet) throw new Error("no agency sheet");
    const criteria = listCriteria(seeded.definitions.def2024);
    expect(sheet.rowCount).toBe(1 + criteria.length + 1);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe("P1.1.1");
    expect(first.getCell(5).value).toBe("Có");
    expect(first.getCell(6).value).toBe(3);
    expect(first.getCell(8).value).toBe("Quyết định số 12/QĐ ngày 01/3/2024");
    expect(first.getCell(9).value).toBe("Liên kết: https://example.gov.vn/chien-luoc.pdf (Trần Lãnh Đạo)");
    expect(first.getCell(10).value).toBe("Trần Lãnh Đạo");
    // A photo's caption goes with it, quoted.
    expect(sheet.getRow(3).getCell(9).value).toBe("Ảnh: “Trang ký của kế hoạch” file:evidence/0f3c.jpg (Trần Lãnh Đạo)");
    const total = sheet.getRow(sheet.rowCount);
    const score = scoreAssessment(seeded.definitions.def2024, seeded.values.bao2024);
    expect([total.getCell(1).value, total.getCell(5).value, total.getCell(6).value, total.getCell(7).value]).toEqual([
      "Tổng cộng",
      score.level.name.vi,
      fromHundredths(score.totalH),
      100,
    ]);
    const sum = Array.from({ length: criteria.length }, (_, i) => Math.round(Number(sheet.getRow(i + 2).getCell(6).value) * 100)).reduce((a, b) => a + b, 0);
    expect(sum).toBe(score.totalH);
  });

  it("when the CSV is built, then it starts with a BOM, has one row per agency and the engine's totals", () => {
    const csv = buildCsv(all, render, "vi");
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    const lines = csv.slice(1).split("\r\n").filter((l) => l !== "");
    expect(lines).toHaveLength(1 + all.agencies.length);
    expect(lines[0]).toContain('Cơ quan báo chí,"Tỉnh, thành phố",Khối');
    const bao = lines.find((l) => l.includes("Báo Kiểm Thử")) ?? "";
    const score = scoreAssessment(seeded.definitions.def2024, seeded.values.bao2024);
    expect(bao).toContain(`,${fromHundredths(score.totalH)},${score.level.name.vi},100,43,2024-11-04 09:30,Trần Lãnh Đạo,`);
  });

  it("when a name looks like a spreadsheet formula, then the CSV keeps it as text", () => {
    const tricky: PeriodResults = { ...all, agencies: all.agencies.map((a, i) => (i === 0 ? { ...a, submittedByName: "=HYPERLINK(\"http://x\")" } : a)) };
    expect(buildCsv(tricky, render, "vi")).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it("when English is asked for, then the headers are English", async () => {
    const english = new ExcelJS.Workbook();
    const en: Render = (text) => translator.text("en", text);
    await english.xlsx.load((await buildWorkbook(all, { render: en, locale: "en", scope: "Hà Nội", generatedAt: NOW })) as unknown as ArrayBuffer);
    expect(english.worksheets.map((w) => w.name).at(0)).toBe(en(t("results.export.sheet.summary")));
    expect(english.getWorksheet("Summary")?.getRow(1).getCell(7).value).toBe("P1 Strategy (max 18)");
  });
});

describe("sheet names", () => {
  it.each<[string, string[], string]>([
    ["1. Báo: Hà/Nội [mới]?", [], "1. Báo Hà Nội mới"],
    ["12. Tạp chí Khoa học và Công nghệ Việt Nam", [], "12. Tạp chí Khoa học và Công ng"],
    ["Tổng hợp", ["tổng hợp"], "Tổng hợp (2)"],
    ["'quoted'", [], "quoted"],
  ])("when %j is wanted, then the sheet is named %j", (wanted, used, expected) => {
    const name = sheetName(wanted, new Set(used));
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(31);
  });
});
