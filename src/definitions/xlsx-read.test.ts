import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import { formatProblem } from "../domain/questionnaire/validate-definition.js";
import { scoreAssessment, scoreToJson } from "../domain/questionnaire/scoring.js";
import { definitionChecksum, loadDefinitionFile, shippedDefinitionFiles } from "./definition-files.js";
import { definitionFromWorkbook } from "./xlsx-read.js";
import { WORKED_EXAMPLE } from "./xlsx-instructions.js";
import { buildDefinitionWorkbook } from "./xlsx-write.js";

/** Writes and reads back through real .xlsx bytes, so what is tested is what a spreadsheet program would get. */
async function throughBytes(workbook: ExcelJS.Workbook): Promise<ExcelJS.Workbook> {
  const copy = new ExcelJS.Workbook();
  await copy.xlsx.load(await workbook.xlsx.writeBuffer());
  return copy;
}

async function problemsOf(workbook: ExcelJS.Workbook): Promise<string[]> {
  const result = definitionFromWorkbook(await throughBytes(workbook));
  return result.ok ? [] : result.problems.map(formatProblem);
}

const ANSWERS: Record<string, AnswerValue> = {
  "P1.1.1": true,
  "P1.1.2": "b",
  "P1.1.3": 70,
  "P2.1.2": ["a", "c"],
  "P2.1.4": 45.5,
  "P3.2.1": 85,
  "P5.1.4": false,
};

describe("definition workbook round trip", () => {
  it.each(shippedDefinitionFiles().map((file) => [file.split("/").pop(), file]))(
    "when %s is exported to a workbook and read back, then the checksum and the scores are identical",
    async (_name, file) => {
      const definition = loadDefinitionFile(file);
      const result = definitionFromWorkbook(await throughBytes(await buildDefinitionWorkbook(definition)));
      if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
      expect(definitionChecksum(result.definition)).toBe(definitionChecksum(definition));
      const answers = new Map(Object.entries(ANSWERS));
      expect(scoreToJson(result.definition, scoreAssessment(result.definition, answers))).toEqual(
        scoreToJson(definition, scoreAssessment(definition, answers)),
      );
    },
  );
});

describe("cell-addressed problems in a definition workbook", () => {
  const DEFINITION_2024 = shippedDefinitionFiles().find((f) => f.endsWith("press-dx-1827-2024.json")) ?? "";
  let exported: ExcelJS.Buffer;

  beforeAll(async () => {
    exported = await (await buildDefinitionWorkbook(loadDefinitionFile(DEFINITION_2024))).xlsx.writeBuffer();
  });

  /** A fresh copy of the exported 1827 workbook with one mistake made by `edit`. */
  async function withMistake(edit: (workbook: ExcelJS.Workbook, sheet: (name: string) => ExcelJS.Worksheet) => void): Promise<string[]> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported);
    edit(workbook, (name) => {
      const sheet = workbook.getWorksheet(name);
      if (!sheet) throw new Error(`no sheet ${name}`);
      return sheet;
    });
    return problemsOf(workbook);
  }

  // Rows of the exported 1827 workbook: criterion P1.1.1 (yes/no) is on row 2 of "Tiêu chí", P1.1.2 (choice a/b/c)
  // on row 3 with its options on rows 2–4 of "Phương án", P1.1.3 (number with bands) on row 4; pillar P1 on row 2.
  it.each<[string, (workbook: ExcelJS.Workbook, sheet: (name: string) => ExcelJS.Worksheet) => void, string[]]>([
    ["a sheet is missing", (w, s) => w.removeWorksheet(s("Phương án").id), ['Phương án: the sheet "Phương án" is missing (start from the workbook of "definitions template")']],
    ["a column title is changed", (_w, s) => (s("Tiêu chí").getCell("E1").value = "Loại"), ['Tiêu chí!E1: expected the title "Kiểu trả lời (answer.type)" (found "Loại"); do not move, rename or insert columns or rows']],
    ["a number cell holds words", (_w, s) => (s("Trụ cột").getCell("D2").value = "mười tám"), ['Trụ cột!D2: expected a number (found "mười tám")']],
    ["a required text is blank", (_w, s) => (s("Tiêu chí").getCell("B2").value = null), ["Tiêu chí!B2: is required"]],
    [
      "a pillar's maximum is not the sum of its criteria",
      (_w, s) => (s("Trụ cột").getCell("D2").value = 19),
      ["Thông tin chung!B10: must equal the sum of the pillars' maxScore (100 ≠ 101)", "Trụ cột!D2: must equal the sum of its criteria's maxScore (19 ≠ 18)"],
    ],
    ["an option scores above its criterion", (_w, s) => (s("Phương án").getCell("E4").value = 4), ["Tiêu chí!E3: options: the best option's score must equal the criterion's maxScore (4 ≠ 3)", "Phương án!E4: greater than the criterion's maxScore (4 > 3)"]],
    ["the answer type is not in the list", (_w, s) => (s("Tiêu chí").getCell("E2").value = "có/không"), ['Tiêu chí!E2: expected one of yesno, choice, multi, number (found "có/không")']],
    ["a yes/no criterion has a unit", (_w, s) => (s("Tiêu chí").getCell("F2").value = "percent"), ["Tiêu chí!F2: only number answers have this column (this criterion's type is yesno); leave it blank"]],
    ["bands are written wrongly", (_w, s) => (s("Tiêu chí").getCell("I4").value = "0: 0; 50 1; 90: 3"), ['Tiêu chí!I4: band 2 ("50 1") must be "from: score", for example "0: 0; 30: 1; 70: 2"']],
    ["bands are out of order", (_w, s) => (s("Tiêu chí").getCell("I4").value = "0: 0; 70: 2; 50: 1; 90: 3"), ['Tiêu chí!I4: bands[2].from: bands must be sorted by "from" ascending (50 ≤ 70)', "Tiêu chí!I4: bands[2].score: band scores must never decrease (1 < 2)"]],
    ["an indicator names no pillar", (_w, s) => (s("Chỉ số thành phần").getCell("A3").value = "P9.2"), [
        // P1 lost the criteria of its indicator P1.2: true of the workbook as read, so it is reported as well.
        "Trụ cột!D2: must equal the sum of its criteria's maxScore (18 ≠ 9)",
        'Chỉ số thành phần!A3: there is no "P9" in the sheet "Trụ cột" that this row belongs to ("P9.2")',
        // The criteria of P1.2 have lost their indicator; their options are not listed again.
        ...[5, 6, 7].map((row) => `Tiêu chí!A${row}: there is no "P1.2" in the sheet "Chỉ số thành phần" that this row belongs to ("P1.2.${row - 4}")`),
      ]],
    ["an option names an unknown criterion", (_w, s) => (s("Phương án").getCell("A2").value = "P9.9.9"), ['Phương án!A2: no criterion "P9.9.9" of type choice or multi in the sheet "Tiêu chí"']],
    ["two criteria share an id", (_w, s) => (s("Tiêu chí").getCell("A3").value = "P1.1.1"), expect.arrayContaining(['Tiêu chí!A3: duplicate id "P1.1.1" (first used at pillars[0].indicators[0].criteria[0])'])],
    ["the date is not a date", (_w, s) => (s("Thông tin chung").getCell("B6").value = "tháng 10"), ["Thông tin chung!B6: must be a date like 2024-10-24"]],
    ["official is neither có nor không", (_w, s) => (s("Thông tin chung").getCell("B7").value = "chắc chắn"), ['Thông tin chung!B7: expected có or không (found "chắc chắn")']],
    ["levels are not ascending", (_w, s) => (s("Mức xếp loại").getCell("D3").value = 0), ["Mức xếp loại!D3: must be greater than the previous level's minScore (0 ≤ 0)"]],
    ["evidence is not in the list", (_w, s) => (s("Tiêu chí").getCell("K2").value = "có"), ['Tiêu chí!K2: expected one of required, optional, none (found "có")']],
  ])("when %s, then the problem names its cell", async (_case, edit, expected) => {
    expect(await withMistake(edit)).toEqual(expected);
  });

  it("when a workbook has several mistakes, then every one is reported, in sheet and cell order", async () => {
    const problems = await withMistake((_w, s) => {
      s("Tiêu chí").getCell("K2").value = "có";
      s("Trụ cột").getCell("C3").value = 5;
      s("Thông tin chung").getCell("B7").value = "?";
      s("Phương án").getCell("A2").value = "P9.9.9";
    });
    expect(problems.map((p) => p.split(":")[0])).toEqual(["Thông tin chung!B7", "Tiêu chí!K2", "Phương án!A2"]);
  });

  it("when numbers are typed as text with a decimal comma, or the date as dd/mm/yyyy, then they are read as such", async () => {
    const problems = await withMistake((_w, s) => {
      s("Phương án").getCell("E3").value = "1,5";
      s("Thông tin chung").getCell("B6").value = "24/10/2024";
      s("Trụ cột").getCell("D2").value = "18,0";
    });
    expect(problems).toEqual([]);
  });
});

describe("template", () => {
  it("when the template is filled with the worked example of its instructions, then it is valid and scores as the instructions say", async () => {
    const workbook = await buildDefinitionWorkbook(null);
    const sheet = (name: string): ExcelJS.Worksheet => workbook.getWorksheet(name) ?? expect.unreachable(name);
    ["worked-example", "Ví dụ", "Example", "1/QĐ-VD", new Date(Date.UTC(2025, 9, 6)), "không", "Ví dụ", "", 10].forEach((value, i) => {
      sheet("Thông tin chung").getCell(`B${i + 2}`).value = value;
    });
    sheet("Mức xếp loại").addRow(["weak", "Yếu", "Weak", 0]);
    sheet("Mức xếp loại").addRow(["good", "Tốt", "Good", 7]);
    for (const [name, rows] of WORKED_EXAMPLE) for (const row of rows) sheet(name).addRow([...row]);

    const result = definitionFromWorkbook(await throughBytes(workbook));
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    const answers = new Map<string, AnswerValue>([["P1.1.3", 45], ["P1.1.4", 10], ["P1.1.5", ["a", "c"]]]);
    expect(scoreToJson(result.definition, scoreAssessment(result.definition, answers))).toMatchObject({ total: 3.5, maxScore: 10, criteria: 5 });
  });


  it("when the template is opened, then it has the sheets, drop-down lists and a Vietnamese worked example", async () => {
    const workbook = await throughBytes(await buildDefinitionWorkbook(null));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Hướng dẫn", "Thông tin chung", "Mức xếp loại", "Trụ cột", "Chỉ số thành phần", "Tiêu chí", "Phương án"]);
    const criteria = workbook.getWorksheet("Tiêu chí");
    expect(criteria?.getCell("E2").dataValidation).toMatchObject({ type: "list", formulae: ['"yesno,choice,multi,number"'] });
    expect(criteria?.getCell("E200").dataValidation).toMatchObject({ type: "list" });
    expect(criteria?.getCell("K2").dataValidation).toMatchObject({ type: "list", formulae: ['"required,optional,none"'] });
    expect(criteria?.getCell("F2").dataValidation).toMatchObject({ type: "list", formulae: ['"percent,count,vnd"'] });
    const instructions: string[] = [];
    workbook.getWorksheet("Hướng dẫn")?.eachRow((row) => instructions.push(row.values.toString()));
    const text = instructions.join("\n");
    expect(text).toContain("VÍ DỤ MẪU");
    expect(text).toContain("0: 0; 30: 1; 70: 2");
    expect(text).toContain("Chỉ nạp khi không còn lỗi nào".toLowerCase());
    expect(await problemsOf(workbook)).toContain("Mức xếp loại!A1: needs at least one level");
  });
});
