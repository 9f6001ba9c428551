import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromHundredths } from "../../src/domain/questionnaire/hundredths.js";
import { scoreAssessment } from "../../src/domain/questionnaire/scoring.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { seedProvinces } from "../results/results-fixture.js";
import { report as reportMain } from "../../src/cli/report.js";
import { runInProcess } from "./in-process.js";
import { isCleanUserError } from "./run-cli.js";

type Seeded = Awaited<ReturnType<typeof seedProvinces>>;

interface NationalJson {
  period: { id: string; name: string; definition: string };
  agencies: number;
  submitted: number;
  groups: {
    group: string;
    label: string;
    agencies: number;
    submitted: number;
    ranking: { rank: number | null; name: string; province: string; status: string; total: number; level: { id: string; name: string } | null }[];
  }[];
}

describe.each(databaseKinds)("npm run report on $name", (kind) => {
  let database: TestDatabase;
  let seeded: Seeded;
  let dir: string;
  const report = (...args: string[]) => runInProcess(reportMain, args, { DATABASE_URL: database.url });
  const file = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    database = await kind.open();
    seeded = await seedProvinces(database);
    dir = mkdtempSync(path.join(tmpdir(), "pdx-report-cli-"));
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[string, string[], RegExp]>([
    ["no subcommand", [], /^missing command; see the commands: report --help$/],
    ["an unknown subcommand", ["print"], /^unknown command "report print"; see the commands: report --help$/],
    ["no period", ["export", "--format", "csv", "--out", "x.csv"], /^--period: is required/],
    ["a wrong format", ["export", "--period", "p", "--format", "pdf", "--out", "x.pdf"], /^--format: must be xlsx or csv \(got "pdf"\)/],
    ["no output file", ["export", "--period", "p", "--format", "csv"], /^--out: is required/],
    ["an unknown flag", ["national", "--period", "p", "--colour"], /colour/],
  ])("when it is given %s (in English), then it exits 2 with one line and no stack", async (_case, args, message) => {
    const run = await report(...args, "--lang", "en");
    expect(isCleanUserError(run)).toBe(true);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toMatch(message);
  });

  it("when the period or the province does not exist, then it exits 2 and writes no file", async () => {
    const period = await report("export", "--period", "no-such-period", "--format", "csv", "--out", file("none.csv"), "--lang", "en");
    expect(isCleanUserError(period)).toBe(true);
    expect(period.errorLines).toEqual([expect.stringMatching(/no period with id no-such-period/)]);
    const province = await report("export", "--period", seeded.periods.p2024.id, "--province", "Atlantis", "--format", "csv", "--out", file("none.csv"), "--lang", "en");
    expect(isCleanUserError(province)).toBe(true);
    expect(province.errorLines).toEqual([expect.stringMatching(/^--province: no province named "Atlantis"/)]);
    const missingDir = await report("export", "--period", seeded.periods.p2024.id, "--format", "csv", "--out", file("missing/dir/x.csv"));
    expect(isCleanUserError(missingDir)).toBe(true);
    expect(existsSync(file("none.csv"))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("when a province's CSV is exported, then it is UTF-8 with a BOM and one row per agency of that province", async () => {
    // No --format: the .csv of --out says it.
    const run = await report("export", "--period", seeded.periods.p2024.id, "--province", "hà nội", "--out", file("hn.csv"), "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ file: file("hn.csv"), format: "csv", period: { id: seeded.periods.p2024.id, name: "Năm 2024" }, province: "Hà Nội", agencies: 3 });
    const bytes = readFileSync(file("hn.csv"));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(["Báo Kiểm Thử", "Đài Phát thanh Thử", "Tạp chí Thử Nghiệm"]);
    const bao = scoreAssessment(seeded.definitions.def2024, seeded.values.bao2024);
    expect(lines[1]).toContain(`,${fromHundredths(bao.totalH)},${bao.level.name.vi},`);
    expect(lines[2]).toContain(",Chưa bắt đầu,0,0,0,0,0,0,— (chưa bắt đầu),0,0,");
  });

  it("when the whole country is exported as XLSX, then the workbook opens and holds every agency with the engine's totals", async () => {
    const run = await report("export", "--period", seeded.periods.p2024.id, "--format", "xlsx", "--out", file("all.xlsx"));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Đã ghi kết quả của 4 cơ quan (mọi tỉnh/thành, Năm 2024) vào ${file("all.xlsx")}\n`);
    const english = await report("export", "--period", seeded.periods.p2024.id, "--format", "xlsx", "--out", file("all-en.xlsx"), "--lang", "en");
    expect(english.stdout).toContain("wrote 4 agencies (all provinces, Năm 2024)");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(file("all.xlsx")) as unknown as ArrayBuffer);
    expect(workbook.worksheets).toHaveLength(1 + 4 + 1);
    const summary = workbook.getWorksheet("Tổng hợp");
    const totals = new Map([2, 3, 4, 5].map((r) => [String(summary?.getRow(r).getCell(3).value), summary?.getRow(r).getCell(12).value]));
    expect(totals).toEqual(
      new Map([
        ["Báo Kiểm Thử", fromHundredths(scoreAssessment(seeded.definitions.def2024, seeded.values.bao2024).totalH)],
        ["Đài Phát thanh Thử", 0],
        ["Tạp chí Thử Nghiệm", fromHundredths(scoreAssessment(seeded.definitions.def2024, seeded.values.tapChi2024).totalH)],
        ["Báo Huế Thử", fromHundredths(scoreAssessment(seeded.definitions.def2024, seeded.values.hue2024).totalH)],
      ]),
    );
  });

  it("when the national view is asked for, then agencies are grouped by khối and only submitted results are ranked", async () => {
    const run = await report("national", "--period", seeded.periods.p2024.id, "--json");
    expect(run.code).toBe(0);
    const view = JSON.parse(run.stdout) as NationalJson;
    expect(view).toMatchObject({ period: { name: "Năm 2024", definition: "press-dx-1827-2024" }, agencies: 4, submitted: 1 });
    expect(view.groups.map((g) => [g.group, g.ranking.map((a) => [a.rank, a.name])])).toEqual([
      ["local-newspaper", [[1, "Báo Kiểm Thử"], [null, "Báo Huế Thử"]]],
      ["magazine", [[null, "Tạp chí Thử Nghiệm"]]],
      ["radio-tv", [[null, "Đài Phát thanh Thử"]]],
    ]);
    expect(view.groups[0]?.label).toBe("Khối báo địa phương");
    const levels = new Map(view.groups.flatMap((g) => g.ranking.map((a) => [a.name, a.level])));
    expect(levels.get("Đài Phát thanh Thử")).toBeNull();
    expect(levels.get("Tạp chí Thử Nghiệm")).toMatchObject({ name: expect.any(String) });
    expect(run.stdout).not.toContain("Dùng thử");
    const text = await report("national", "--period", seeded.periods.p2024.id);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Khối báo địa phương [local-newspaper]: 1/2 đã nộp");
    expect(text.stdout).toMatch(/ {2}1\. Báo Kiểm Thử \(Hà Nội\) — [\d,]+\/100 /);
    expect(text.stdout).toContain("  -. Đài Phát thanh Thử (Hà Nội) — chưa bắt đầu, đã trả lời 0/43");
    const english = await report("national", "--period", seeded.periods.p2024.id, "--lang", "en");
    expect(english.stdout).toContain("[local-newspaper]: 1/2 submitted");
    expect(english.stdout).toMatch(/ {2}1\. Báo Kiểm Thử \(Hà Nội\) — [\d.]+\/100 /);
    expect(english.stdout).toContain("  -. Đài Phát thanh Thử (Hà Nội) — not-started, 0/43 answered");
  });

  it.each<[string, string[], string]>([
    ["no period", ["export", "--format", "csv", "--out", "x.csv"], "--period: bắt buộc (mã kỳ đánh giá, xem: admin list periods)"],
    ["a wrong format", ["export", "--period", "p", "--format", "pdf", "--out", "x.pdf"], '--format: chỉ nhận xlsx hoặc csv (nhận được "pdf")'],
    ["no format and an --out without extension", ["export", "--period", "p", "--out", "ket-qua"], "--format: bắt buộc: xlsx hoặc csv (hoặc đặt tên tệp --out có đuôi .xlsx hay .csv)"],
    ["a mistyped flag", ["national", "--perod", "p"], "Không có tham số --perod; có phải ý anh/chị là --period? Xem các tham số: report national --help"],
    ["an unknown period", ["national", "--period", "no-such-period"], 'Không có kỳ đánh giá mã "no-such-period" (xem: admin period list).'],
    ["an unknown province", ["export", "--period", "p", "--province", "Atlantis", "--out", "x.csv"], '--province: Không có tỉnh/thành tên "Atlantis"'],
  ])("when it is given %s, then the one error line is in Vietnamese", async (_case, args, line) => {
    const run = await report(...args);
    expect(isCleanUserError(run)).toBe(true);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(line);
  });

  it.each<["vi" | "en", string[], string[]]>([
    ["vi", [], ["Kết quả một kỳ đánh giá", "  report export  —  Ghi kết quả", "  report dossier  —"]],
    ["en", ["--lang", "en"], ["Results of a period", "  report export  —  Writes a period's results", "  report dossier  —"]],
  ])("when --help is asked in %s, then every sub-command is listed, and each has its flags and an example", async (_lang, lang, parts) => {
    const run = await report("--help", ...lang);
    expect([run.code, run.stderr]).toEqual([0, ""]);
    for (const part of parts) expect(run.stdout).toContain(part);
    const own = await report("export", "--help", ...lang);
    expect(own.stdout).toMatch(lang.length === 0 ? /--province {2}chỉ các cơ quan[\s\S]*Ví dụ:\n {2}npm run --silent report -- export/ : /--province {2}only this province's agencies[\s\S]*Example:\n {2}npm run --silent report -- export/);
  });
});
