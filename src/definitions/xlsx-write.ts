import type ExcelJS from "exceljs";
import type { Criterion, IndexDefinition, LocalizedText } from "../domain/questionnaire/definition-schema.js";
import { workbookText } from "./workbook-texts.js";
import { writeInstructions } from "./xlsx-instructions.js";
import {
  ANSWER_TYPES,
  BAND_PAIR_SEPARATOR,
  BAND_SEPARATOR,
  CRITERION_COLUMNS,
  EVIDENCE_KINDS,
  GENERAL_ROWS,
  INDICATOR_COLUMNS,
  LEVEL_COLUMNS,
  NUMBER_UNITS,
  OFFICIAL_VALUES,
  OPTION_COLUMNS,
  PILLAR_COLUMNS,
  SHEET,
  columnLetter,
  columnNumbers,
  type Column,
} from "./xlsx-layout.js";

/** Rows below the last filled one that still get the drop-down lists, so a template has room to fill. */
const SPARE_ROWS = 300;
const DATE_FORMAT = "dd/mm/yyyy";

type Cell = string | number | Date | null;

/**
 * The workbook of a definition (export) or, for `null`, an empty one to fill in (template). Both have the same
 * sheets, column titles and drop-down lists, and readDefinitionWorkbook turns an exported workbook back into the
 * identical definition.
 */
export async function buildDefinitionWorkbook(definition: IndexDefinition | null): Promise<ExcelJS.Workbook> {
  // Loaded on first use: exceljs is large and most processes never touch a workbook.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  writeInstructions(workbook.addWorksheet(SHEET.instructions));
  writeGeneral(workbook.addWorksheet(SHEET.general), definition);

  writeTable(workbook, SHEET.levels, LEVEL_COLUMNS, (definition?.levels ?? []).map((l) => [l.id, l.name.vi, l.name.en, l.minScore]));
  writeTable(workbook, SHEET.pillars, PILLAR_COLUMNS, (definition?.pillars ?? []).map((p) => [p.id, p.name.vi, p.name.en, p.maxScore]));
  const indicators = (definition?.pillars ?? []).flatMap((p) => p.indicators);
  writeTable(workbook, SHEET.indicators, INDICATOR_COLUMNS, indicators.map((i) => [i.id, i.name.vi, i.name.en]));
  const criteria = indicators.flatMap((i) => i.criteria);
  const criterionSheet = writeTable(workbook, SHEET.criteria, CRITERION_COLUMNS, criteria.map(criterionRow));
  const options = criteria.flatMap((c) =>
    c.answer.type === "choice" || c.answer.type === "multi" ? c.answer.options.map((o): Cell[] => [c.id, o.id, o.label.vi, o.label.en, o.score, (o.keywords ?? []).join("; ")]) : [],
  );
  writeTable(workbook, SHEET.options, OPTION_COLUMNS, options);

  const at = columnNumbers(CRITERION_COLUMNS);
  const lastRow = criteria.length + 1 + SPARE_ROWS;
  addList(criterionSheet, at.type, lastRow, ANSWER_TYPES, workbookText("prompt.type"));
  addList(criterionSheet, at.unit, lastRow, NUMBER_UNITS, workbookText("prompt.unit"));
  addList(criterionSheet, at.evidence, lastRow, EVIDENCE_KINDS, workbookText("prompt.evidence"));
  return workbook;
}

/** The workbook's .xlsx bytes, ready to be written to a file. */
export async function definitionWorkbookBytes(definition: IndexDefinition | null): Promise<Buffer> {
  return Buffer.from(await (await buildDefinitionWorkbook(definition)).xlsx.writeBuffer());
}

function criterionRow(criterion: Criterion): Cell[] {
  const answer = criterion.answer;
  const number = answer.type === "number" ? answer : undefined;
  return [
    criterion.id,
    criterion.question.vi,
    criterion.question.en,
    criterion.maxScore,
    answer.type,
    number?.unit ?? null,
    number?.min ?? null,
    number?.max ?? null,
    number?.bands?.map((b) => `${b.from}${BAND_PAIR_SEPARATOR} ${b.score}`).join(`${BAND_SEPARATOR} `) ?? null,
    number?.linear?.target ?? null,
    criterion.evidence,
    ...helpCells(criterion.help),
  ];
}

function helpCells(help: LocalizedText | undefined): Cell[] {
  return help ? [help.vi, help.en] : [null, null];
}

function writeGeneral(sheet: ExcelJS.Worksheet, definition: IndexDefinition | null): void {
  sheet.columns = [
    { header: workbookText("general.label"), width: 40 },
    { header: workbookText("general.value"), width: 60 },
  ];
  const source = definition?.source;
  const values: Record<keyof typeof GENERAL_ROWS, Cell> = {
    id: definition?.id ?? null,
    titleVi: definition?.title.vi ?? null,
    titleEn: definition?.title.en ?? null,
    decision: source?.decision ?? null,
    issuedOn: source ? new Date(`${source.issuedOn}T00:00:00Z`) : null,
    official: source ? OFFICIAL_VALUES[source.official ? 0 : 1] : null,
    noteVi: source?.note.vi ?? null,
    noteEn: source?.note.en ?? null,
    maxScore: definition?.maxScore ?? null,
  };
  for (const key of Object.keys(GENERAL_ROWS) as (keyof typeof GENERAL_ROWS)[]) sheet.addRow([GENERAL_ROWS[key], values[key]]);
  styleHeader(sheet);
  sheet.getColumn(1).font = { bold: true };
  const keys = Object.keys(GENERAL_ROWS);
  const issuedOn = sheet.getCell(`B${keys.indexOf("issuedOn") + 2}`);
  issuedOn.numFmt = DATE_FORMAT;
  issuedOn.note = workbookText("general.issuedOnNote");
  addList(sheet, 2, keys.indexOf("official") + 2, OFFICIAL_VALUES, workbookText("prompt.official"), keys.indexOf("official") + 2);
}

function writeTable(workbook: ExcelJS.Workbook, name: string, columns: Readonly<Record<string, Column>>, rows: readonly Cell[][]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = Object.values(columns).map((c) => ({ header: c.title, width: c.width }));
  for (const row of rows) sheet.addRow(row);
  styleHeader(sheet);
  return sheet;
}

function styleHeader(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "top" };
}

/** A drop-down list on one column, rows `fromRow`…`toRow`; a value outside the list is refused by the spreadsheet. */
function addList(sheet: ExcelJS.Worksheet, columnNumber: number, toRow: number, values: readonly string[], prompt: string, fromRow = 2): void {
  const letter = columnLetter(columnNumber);
  for (let row = fromRow; row <= toRow; row += 1) {
    sheet.getCell(`${letter}${row}`).dataValidation = {
      type: "list",
      allowBlank: true,
      formulae: [`"${values.join(",")}"`],
      showInputMessage: true,
      prompt,
      showErrorMessage: true,
      errorTitle: workbookText("invalid.title"),
      error: workbookText("invalid.error").replace("{{values}}", values.join(", ")),
    };
  }
}
