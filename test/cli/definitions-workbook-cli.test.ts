import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefinitionFile, shippedDefinitionFiles } from "../../src/definitions/definition-files.js";
import type { AnswerValue } from "../../src/domain/questionnaire/answer-value.js";
import { scoreAssessment, scoreToJson } from "../../src/domain/questionnaire/scoring.js";
import { isCleanUserError, runCli } from "./run-cli.js";

const SHIPPED = shippedDefinitionFiles().map((file) => ({ file, id: path.basename(file, ".json") }));
const FORMATS = ["xlsx", "json"] as const;
const ANSWERS: Record<string, AnswerValue> = { "P1.1.1": true, "P1.1.2": "b", "P1.1.3": 70, "P2.1.4": 45.5, "P5.1.2": ["a", "c"] };

// Every command is a real process (the compiled CLI), several at once: on a loaded build machine each takes a second or more.
describe("definitions template, export, diff and workbook import", { timeout: 240_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string): string => path.join(dir, name);
  const definitions = (...args: string[]) => runCli("definitions", args, env);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "pdx-definitions-xlsx-"));
    env = { DATABASE_URL: `file:${file("app.db")}`, DEFAULT_LOCALE: "en" };
    // Creates and migrates the database once, so the commands below can run side by side.
    expect((await definitions("list")).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("when a template is written, then it opens with the sheets and drop-down lists, and validating it names the empty cells", async () => {
    const written = await definitions("template", "--out", file("template.xlsx"), "--json");
    expect(written.code).toBe(0);
    expect(JSON.parse(written.stdout)).toEqual({ file: file("template.xlsx"), format: "xlsx" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file("template.xlsx"));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Hướng dẫn", "Thông tin chung", "Mức xếp loại", "Trụ cột", "Chỉ số thành phần", "Tiêu chí", "Phương án"]);
    expect(workbook.getWorksheet("Tiêu chí")?.getCell("E2").dataValidation).toMatchObject({ type: "list", formulae: ['"yesno,choice,multi,number"'] });

    const validated = await definitions("validate", file("template.xlsx"));
    expect(isCleanUserError(validated)).toBe(true);
    expect(validated.errorLines).toContain(`${file("template.xlsx")}: Thông tin chung!B2: is required`);
    expect(validated.errorLines).toContain(`${file("template.xlsx")}: Trụ cột!A1: needs at least one pillar`);
    for (const line of validated.errorLines) expect(line).toMatch(/: [^!:]+![A-Z]+\d+: /);

    // In Vietnamese (no DEFAULT_LOCALE): the same cells, the rules in Vietnamese.
    const vietnamese = await runCli("definitions", ["validate", file("template.xlsx")], { DATABASE_URL: env.DATABASE_URL ?? "" });
    expect(isCleanUserError(vietnamese)).toBe(true);
    expect(vietnamese.errorLines).toContain(`${file("template.xlsx")}: Thông tin chung!B2: bắt buộc`);
    expect(vietnamese.errorLines.map((line) => line.replace(/:.*?!/, "!").split(": ")[0])).toEqual(validated.errorLines.map((line) => line.replace(/:.*?!/, "!").split(": ")[0]));
  });

  it("when both shipped definitions are exported as xlsx and json, then importing each file is unchanged with the same checksum, and the workbook scores alike", async () => {
    const exports = await Promise.all(
      SHIPPED.flatMap(({ id }) => FORMATS.map((format) => definitions("export", id, "--format", format, "--out", file(`${id}.${format}`), "--json"))),
    );
    expect(exports.map((run) => run.stderr)).toEqual(exports.map(() => ""));
    const checksums = exports.map((run) => (JSON.parse(run.stdout) as { id: string; checksum: string }));
    for (const { id } of SHIPPED) expect(new Set(checksums.filter((c) => c.id === id).map((c) => c.checksum)).size).toBe(1);

    writeFileSync(file("answers.json"), JSON.stringify(ANSWERS));
    const [imports, scores] = await Promise.all([
      Promise.all(SHIPPED.flatMap(({ id }) => FORMATS.map((format) => definitions("import", file(`${id}.${format}`), "--json")))),
      Promise.all(SHIPPED.map(({ id }) => runCli("score", ["--definition", file(`${id}.xlsx`), "--answers", file("answers.json")], env))),
    ]);
    expect(imports.map((run) => JSON.parse(run.stdout) as unknown)).toEqual(checksums.map(({ id, checksum }) => expect.objectContaining({ status: "unchanged", id, checksum })));
    SHIPPED.forEach(({ file: source }, i) => {
      const definition = loadDefinitionFile(source);
      expect(JSON.parse(scores[i]?.stdout ?? "")).toEqual(scoreToJson(definition, scoreAssessment(definition, new Map(Object.entries(ANSWERS)))));
    });
  });

  it("when a filled workbook is imported, then it is stored; with mistakes, every one is named by its cell and nothing is stored", async () => {
    const exported = await definitions("export", "press-dx-1827-2024", "--format", "xlsx", "--out", file("base.xlsx"));
    expect(exported.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file("base.xlsx"));
    const sheet = (name: string): ExcelJS.Worksheet => workbook.getWorksheet(name) ?? expect.unreachable(`no sheet ${name}`);
    sheet("Thông tin chung").getCell("B2").value = "test-official-2025";
    sheet("Thông tin chung").getCell("B7").value = "có";
    await workbook.xlsx.writeFile(file("official.xlsx"));
    sheet("Thông tin chung").getCell("B2").value = "test-broken-2025";
    sheet("Trụ cột").getCell("D3").value = "hai mươi tư";
    sheet("Tiêu chí").getCell("E2").value = "có/không";
    await workbook.xlsx.writeFile(file("broken.xlsx"));

    const [official, broken] = await Promise.all([definitions("import", file("official.xlsx"), "--json"), definitions("import", file("broken.xlsx"))]);
    expect(JSON.parse(official.stdout)).toMatchObject({ status: "imported", id: "test-official-2025", criteria: 43 });
    expect(isCleanUserError(broken)).toBe(true);
    expect(broken.errorLines).toEqual([
      `${file("broken.xlsx")}: Trụ cột!D3: expected a number (found "hai mươi tư")`,
      `${file("broken.xlsx")}: Tiêu chí!E2: expected one of yesno, choice, multi, number (found "có/không")`,
    ]);
    const listed = JSON.parse((await definitions("list", "--json")).stdout) as { id: string; official: boolean }[];
    expect(listed.find((d) => d.id === "test-official-2025")).toMatchObject({ official: true });
    expect(listed.map((d) => d.id)).not.toContain("test-broken-2025");
  });

  it("when the two shipped definitions are compared, then the diff names the criterion 1827 added and the renumbered ones", async () => {
    const [asJson, asText] = await Promise.all([
      definitions("diff", "press-dx-951-2023", "press-dx-1827-2024", "--json"),
      definitions("diff", "press-dx-951-2023", "definitions/press-dx-1827-2024.json"),
    ]);
    const diff = JSON.parse(asJson.stdout) as { criteria: { added: { id: string }[]; removed: unknown[] }; levels: unknown[] };
    expect(diff.criteria.added.map((c) => c.id)).toEqual(["P5.1.3"]);
    expect(diff.criteria.removed).toEqual([]);
    expect(diff.levels).toEqual([{ field: "excellent.minScore", from: 80, to: 90 }]);
    expect(asText.code).toBe(0);
    expect(asText.stdout).toContain("criteria added: 1\n  + P5.1.3 (max 1) Cơ quan báo chí đã ban hành quy định nội bộ về sử dụng trí tuệ nhân tạo");
    expect(asText.stdout).toContain('      id: "P5.1.3" → "P5.1.4"');
  });

  it("when export or template is asked wrongly, then one line explains it, exit 2, and no file is written; --out names the format", async () => {
    const [inferred, ...runs] = await Promise.all([
      definitions("export", "press-dx-1827-2024", "--out", file("inferred.json"), "--json"),
      definitions("export", "no-such-index", "--format", "xlsx", "--out", file("nothing.xlsx")),
      definitions("export", "press-dx-1827-2024", "--out", file("nothing.ods")),
      definitions("export", "press-dx-1827-2024", "--format", "pdf", "--out", file("nothing.xlsx")),
      definitions("template", "--out", file("nothing.csv")),
      definitions("diff", "press-dx-951-2023"),
      definitions("validate", file("missing.xlsx")),
    ]);
    for (const run of runs) {
      expect(isCleanUserError(run)).toBe(true);
      expect(run.errorLines).toHaveLength(1);
    }
    expect(runs.map((r) => r.errorLines[0])).toEqual([
      'no stored definition "no-such-index" (see definitions list)',
      "--format: is required: xlsx or json (or give --out a name ending in .xlsx or .json)",
      '--format: must be xlsx or json (got "pdf")',
      "--out: must name an .xlsx file",
      "definitions diff takes two definitions, each a stored id or a .json/.xlsx file: definitions diff <a> <b>",
      `${file("missing.xlsx")}: file not found`,
    ]);
    expect(existsSync(file("nothing.xlsx")) || existsSync(file("nothing.csv")) || existsSync(file("nothing.ods"))).toBe(false);
    // Without --format, an --out ending in .json or .xlsx says it.
    expect(JSON.parse(inferred?.stdout ?? "")).toMatchObject({ format: "json", file: file("inferred.json") });
  });
});
