import { loadMessages } from "../i18n/translator.js";

/**
 * The texts of the definition workbook (locales/vi/workbook.json): sheet names, column titles, row labels, prompts and
 * the instructions. They are read in Vietnamese only, because they are also the format itself — the reader checks
 * the titles — and the workbook is filled by Vietnamese officers.
 */
const MESSAGES = loadMessages("vi");

export function workbookText(key: string): string {
  const value = key.split(".").reduce<unknown>((node, part) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), MESSAGES.workbook);
  if (typeof value !== "string") throw new Error(`locales/vi/workbook.json: no text workbook.${key}`);
  return value;
}

/**
 * Rows of cells kept as lines (`workbook.<key>.l01`, …): cells separated by tabs, `-` for a blank row, `# ` before a
 * heading, and cells that are plain numbers read as numbers.
 */
export function workbookRows(key: string): (string | number)[][] {
  const group = key.split(".").reduce<unknown>((node, part) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), MESSAGES.workbook);
  if (group === null || typeof group !== "object") throw new Error(`locales/vi/workbook.json: no lines workbook.${key}`);
  return Object.values(group).map((line) =>
    String(line) === "-" ? [] : String(line).split("\t").map((cell) => (/^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell)),
  );
}
