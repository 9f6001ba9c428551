import type ExcelJS from "exceljs";
import type { FileProblem, ProblemRule } from "../domain/questionnaire/json-path.js";
import { plainValue, type ReadCell } from "./xlsx-cells.js";
import { columnLetter, type Column } from "./xlsx-layout.js";

/** A filled row of a table sheet: its 1-based number and its cells in column order. */
export interface TableRow {
  readonly number: number;
  readonly cells: readonly ReadCell[];
}

/** Address of a cell as operators read it in error lines: `Tiêu chí!F12`. */
export function cellAddress(sheet: string, row: number, column: number): string {
  return `${sheet}!${columnLetter(column)}${row}`;
}

function readCell(sheet: ExcelJS.Worksheet, row: number, column: number): ReadCell {
  return { at: cellAddress(sheet.name, row, column), value: plainValue(sheet.getRow(row).getCell(column).value) };
}

/**
 * The sheet `name`, or a problem if the workbook lacks it. A sheet of another layout must not be read as this one,
 * so missing sheets are reported before anything is read.
 */
export function requireSheet(workbook: ExcelJS.Workbook, name: string, problems: FileProblem[]): ExcelJS.Worksheet | undefined {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) problems.push({ path: name, reason: `the sheet "${name}" is missing (start from the workbook of "definitions template")`, rule: { code: "sheetMissing", params: { name } } });
  return sheet;
}

/** Checks that `expected[i]` sits in cell (row, column) for each i, going down (labels) or across (titles). */
export function checkTitles(sheet: ExcelJS.Worksheet, expected: readonly string[], start: { row: number; column: number }, across: boolean, problems: FileProblem[]): void {
  expected.forEach((title, i) => {
    const row = across ? start.row : start.row + i;
    const column = across ? start.column + i : start.column;
    const cell = readCell(sheet, row, column);
    if (cell.value !== title) {
      const found = cell.value === null ? "it is blank" : `found ${JSON.stringify(cell.value)}`;
      const rule: ProblemRule = { code: cell.value === null ? "titleBlank" : "titleExpected", params: { title, found: JSON.stringify(cell.value) } };
      problems.push({ path: cell.at, reason: `expected the title "${title}" (${found}); do not move, rename or insert columns or rows`, rule });
    }
  });
}

/** The rows of a table sheet that have anything in its columns, after checking its column titles. */
export function tableRows(sheet: ExcelJS.Worksheet, columns: Readonly<Record<string, Column>>, problems: FileProblem[]): TableRow[] {
  const titles = Object.values(columns).map((c) => c.title);
  checkTitles(sheet, titles, { row: 1, column: 1 }, true, problems);
  const rows: TableRow[] = [];
  for (let number = 2; number <= sheet.rowCount; number += 1) {
    const cells = titles.map((_, i) => readCell(sheet, number, i + 1));
    if (cells.some((cell) => cell.value !== null)) rows.push({ number, cells });
  }
  return rows;
}

/** The value cells (column B) of the general sheet's labelled rows, after checking the labels in column A. */
export function labelledValues(sheet: ExcelJS.Worksheet, labels: readonly string[], problems: FileProblem[]): ReadCell[] {
  checkTitles(sheet, labels, { row: 2, column: 1 }, false, problems);
  return labels.map((_, i) => readCell(sheet, i + 2, 2));
}
