import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { PeriodResults } from "../persistence/results-store.js";
import { summaryTable, type Cell, type Render } from "./report-table.js";

/** Excel only reads a CSV file as UTF-8 (and so shows Vietnamese) when it starts with a byte order mark. */
export const UTF8_BOM = "\uFEFF";

/**
 * The summary as CSV (RFC 4180): one row per agency, the same columns as the workbook's summary sheet, UTF-8 with a
 * BOM and CRLF line ends. Numbers use a decimal point and times are Vietnam time as `YYYY-MM-DD HH:mm`, which
 * spreadsheets and scripts both read.
 */
export function buildCsv(results: PeriodResults, render: Render, locale: Locale): string {
  const table = summaryTable(results, render, locale);
  const lines = [table.headers, ...table.rows].map((row) => row.map(csvField).join(","));
  return `${UTF8_BOM}${lines.join("\r\n")}\r\n`;
}

function csvField(cell: Cell): string {
  if (cell === null) return "";
  // Names come from chat profiles: a text starting like a formula is shown as text, not run by the spreadsheet.
  const text = cell instanceof Date ? vietnamMinute(cell) : typeof cell === "string" && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : String(cell);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function vietnamMinute(date: Date): string {
  return new Date(date.getTime() + 7 * 60 * 60 * 1000).toISOString().slice(0, 16).replace("T", " ");
}
