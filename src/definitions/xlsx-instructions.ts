import type ExcelJS from "exceljs";
import { workbookRows, workbookText } from "./workbook-texts.js";
import { SHEET } from "./xlsx-layout.js";

/**
 * The instructions sheet of a definition workbook, with a worked example of every answer type. The texts live in
 * locales/vi/workbook.json, in Vietnamese for the province or ministry officer who copies an official annex into it.
 */

const HEADING = "# ";

/** The worked example, sheet by sheet, in the columns of each sheet (a test fills a template with it and reads it). */
export const WORKED_EXAMPLE: readonly (readonly [string, readonly (string | number)[][]])[] = [
  [SHEET.pillars, workbookRows("example.pillars")],
  [SHEET.indicators, workbookRows("example.indicators")],
  [SHEET.criteria, workbookRows("example.criteria")],
  [SHEET.options, workbookRows("example.options")],
];

function addLines(sheet: ExcelJS.Worksheet, rows: readonly (string | number)[][]): void {
  for (const cells of rows) {
    const first = cells[0];
    if (typeof first === "string" && first.startsWith(HEADING)) sheet.addRow([first.slice(HEADING.length)]).font = { bold: true };
    else sheet.addRow([...cells]);
  }
}

export function writeInstructions(sheet: ExcelJS.Worksheet): void {
  sheet.getColumn(1).width = 22;
  sheet.getColumn(2).width = 60;
  for (let c = 3; c <= 11; c += 1) sheet.getColumn(c).width = 14;
  addLines(sheet, workbookRows("instructions.intro"));
  for (const [name, rows] of WORKED_EXAMPLE) {
    sheet.addRow([workbookText("example.sheetTitle").replace("{{sheet}}", name)]).font = { bold: true, italic: true };
    for (const row of rows) sheet.addRow([...row]);
  }
  addLines(sheet, workbookRows("instructions.notes"));
  sheet.getRow(1).font = { bold: true, size: 14 };
  sheet.getColumn(2).alignment = { wrapText: true, vertical: "top" };
}
