import type ExcelJS from "exceljs";
import { localized, t } from "../domain/conversation/text.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { fromHundredths } from "../domain/questionnaire/hundredths.js";
import type { PeriodResults } from "../persistence/results-store.js";
import { answersTable, levelLabel, summaryTable, type Cell, type Render, type Table } from "./report-table.js";
import { displayText } from "../domain/text/clean-text.js";

export interface WorkbookOptions {
  readonly render: Render;
  readonly locale: Locale;
  /** The province's name, or null for the whole country. */
  readonly scope: string | null;
  readonly generatedAt: Date;
}

/** Excel stores local times without a zone: cells get Vietnam wall-clock time, which is what readers expect. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const DATE_FORMAT = "dd/mm/yyyy hh:mm";
const SCORE_FORMAT = "0.00";
const SHEET_NAME_CHARS = 31;

/**
 * The report workbook: a summary sheet with one row per agency, one sheet per agency listing every criterion with its
 * answer, note, evidence and who answered, and an "about" sheet naming the period, the definition and the scope.
 */
export async function buildWorkbook(results: PeriodResults, options: WorkbookOptions): Promise<Buffer> {
  const { render, locale } = options;
  // Loaded on first use: exceljs adds about 18 MB to a process, and most service processes never export.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  workbook.created = options.generatedAt;
  const pillarCount = results.definition.pillars.length;

  const summary = summaryTable(results, render, locale);
  const summarySheet = workbook.addWorksheet(render(t("results.export.sheet.summary")), { views: [{ state: "frozen", ySplit: 1, xSplit: 3 }] });
  writeTable(summarySheet, summary);
  const scoreColumns = range(7, 7 + pillarCount).concat([7 + pillarCount]);
  for (const column of scoreColumns) summarySheet.getColumn(column).numFmt = SCORE_FORMAT;
  summarySheet.getColumn(9 + pillarCount).numFmt = "0.0";
  for (const column of [11 + pillarCount, 13 + pillarCount]) summarySheet.getColumn(column).numFmt = DATE_FORMAT;
  setWidths(summarySheet, [6, 28, 40, 18, 22, 16, ...Array<number>(pillarCount).fill(14), 14, 12, 12, 12, 18, 24, 18]);
  summarySheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: summary.headers.length } };

  const used = new Set<string>();
  results.agencies.forEach((agency, i) => {
    const sheet = workbook.addWorksheet(sheetName(`${i + 1}. ${agency.name}`, used), { views: [{ state: "frozen", ySplit: 1, xSplit: 1 }] });
    const table = answersTable(results, agency, render, locale);
    writeTable(sheet, table);
    const total = sheet.addRow([
      render(t("results.export.totalRow")),
      null,
      null,
      null,
      levelLabel(render, agency, locale),
      fromHundredths(agency.score.totalH),
      fromHundredths(agency.score.maxH),
    ]);
    total.font = { bold: true };
    for (const column of [6, 7]) sheet.getColumn(column).numFmt = SCORE_FORMAT;
    sheet.getColumn(11).numFmt = DATE_FORMAT;
    setWidths(sheet, [10, 24, 24, 60, 30, 8, 8, 30, 40, 20, 18]);
    for (const column of [4, 5, 8, 9]) sheet.getColumn(column).alignment = { wrapText: true, vertical: "top" };
  });

  const about = workbook.addWorksheet(render(t("results.export.sheet.about")));
  const { definition, period } = results;
  const aboutRows: [string, Cell][] = [
    [render(t("results.export.about.title")), null],
    [render(t("results.export.about.period")), period.name],
    [render(t("results.export.about.definition")), `${localized(definition.title, locale)} (${definition.id}, ${definition.source.decision})`],
    [render(t("results.export.about.scope")), options.scope ?? render(t("results.export.about.scopeAll"))],
    [render(t("results.export.about.generatedAt")), toVietnamCell(options.generatedAt)],
    [render(t("results.export.about.note")), render(t("results.export.about.times"))],
  ];
  if (!definition.source.official) aboutRows.push(["", localized(definition.source.note, locale)]);
  for (const row of aboutRows) about.addRow(row);
  about.getRow(1).font = { bold: true, size: 13 };
  about.getColumn(2).numFmt = DATE_FORMAT;
  about.getColumn(2).alignment = { wrapText: true, vertical: "top", horizontal: "left" };
  setWidths(about, [34, 100]);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function writeTable(sheet: ExcelJS.Worksheet, table: Table): void {
  const header = sheet.addRow([...table.headers]);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "middle" };
  for (const row of table.rows) sheet.addRow(row.map((cell) => (cell instanceof Date ? toVietnamCell(cell) : typeof cell === "string" ? displayText(cell) : cell)));
}

export function toVietnamCell(date: Date): Date {
  return new Date(date.getTime() + VIETNAM_OFFSET_MS);
}

export function setWidths(sheet: ExcelJS.Worksheet, widths: readonly number[]): void {
  widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** Excel's sheet names: at most 31 characters, none of : \ / ? * [ ], no leading or trailing apostrophe, unique. */
export function sheetName(wanted: string, used: Set<string>): string {
  const clean = wanted.replace(/[:\\/?*[\]]/g, " ").replace(/\s+/g, " ").replace(/^'+|'+$/g, "").trim() || "-";
  let name = clean.slice(0, SHEET_NAME_CHARS).trim();
  for (let n = 2; used.has(name.toLocaleLowerCase("vi")); n += 1) {
    const suffix = ` (${n})`;
    name = `${clean.slice(0, SHEET_NAME_CHARS - suffix.length).trim()}${suffix}`;
  }
  used.add(name.toLocaleLowerCase("vi"));
  return name;
}
