import { readZip, writeStoredZip, ZipError, type ZipProblem } from "./xlsx-zip.js";

/**
 * Checks an .xlsx package before the workbook reader sees it, and mends what real spreadsheet programs write that
 * exceljs 4.4 cannot read:
 * - Bounds (hardening issue, item 11): file size, unpacked size, rows and cells per workbook, so any file under the
 *   limit is answered in seconds and a few hundred MB at most; one cell in row 1,048,576 is refused up front.
 * - Cell comments: openpyxl (and so every Python tool) stores them as `xl/comments/comment1.xml` with an absolute
 *   relationship target; exceljs looks them up only as `../commentsN.xml` and crashes on the sheet ("Cannot read
 *   properties of undefined (reading 'comments')"). A definition never needs a comment, so the comment and VML
 *   drawing relationships are dropped before reading; everything else is left as written.
 */

export const WORKBOOK_LIMITS = {
  /** The biggest real definition workbook is ~40 KB; 10 MB leaves room for pictures someone pasted in. */
  fileBytes: 10 * 1024 * 1024,
  unpackedBytes: 20 * 1024 * 1024,
  entries: 2_000,
  /** Rows in any one sheet: a definition has a few hundred criteria at most. */
  rows: 5_000,
  /** Cells in the whole workbook. */
  cells: 50_000,
} as const;

export type PackageProblem = ZipProblem | { readonly kind: "too-many-rows"; readonly sheet: string; readonly row: number; readonly limit: number } | { readonly kind: "too-many-cells"; readonly count: number; readonly limit: number };

export class WorkbookPackageError extends Error {
  override name = "WorkbookPackageError";
  constructor(readonly problem: PackageProblem) {
    super(problem.kind);
  }
}

const COMMENT_RELATIONSHIP = /<Relationship\b[^>]*\bType="[^"]*\/(?:comments|vmlDrawing)"[^>]*\/>/g;
const LEGACY_DRAWING = /<legacyDrawing\b[^>]*\/>/g;
const ROW = /<row\b([^>]*)>/g;
const ROW_NUMBER = /\br="(\d+)"/;
const CELL = /<c\b/g;

/** Sheet names by their part (`xl/worksheets/sheet2.xml` → `Tiêu chí`), for messages. */
function sheetNames(entries: ReadonlyMap<string, Buffer>): Map<string, string> {
  const workbook = entries.get("xl/workbook.xml")?.toString("utf8") ?? "";
  const rels = entries.get("xl/_rels/workbook.xml.rels")?.toString("utf8") ?? "";
  const targets = new Map<string, string>();
  for (const rel of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(rel[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(rel[0])?.[1];
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const names = new Map<string, string>();
  for (const sheet of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(sheet[0])?.[1];
    const id = /\br:id="([^"]+)"/.exec(sheet[0])?.[1];
    const part = id === undefined ? undefined : targets.get(id);
    if (name !== undefined && part !== undefined) names.set(part, decodeXml(name));
  }
  return names;
}

const decodeXml = (text: string): string =>
  text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "apos" ? "'" : e === "amp" ? "&" : String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );

/** Counts a sheet's cells and its last row (a row without `r` follows the one before it). */
function measureSheet(xml: string): { lastRow: number; cells: number } {
  let lastRow = 0;
  for (const row of xml.matchAll(ROW)) {
    const number = ROW_NUMBER.exec(row[1] ?? "")?.[1];
    lastRow = number === undefined ? lastRow + 1 : Number(number);
  }
  return { lastRow, cells: xml.match(CELL)?.length ?? 0 };
}

/** The package, checked against the limits and mended for exceljs; throws WorkbookPackageError with the real cause. */
export function prepareWorkbookPackage(bytes: Buffer, limits = WORKBOOK_LIMITS): Buffer {
  let entries: Map<string, Buffer>;
  try {
    entries = readZip(bytes, limits);
  } catch (error) {
    if (error instanceof ZipError) throw new WorkbookPackageError(error.problem);
    throw error;
  }
  const names = sheetNames(entries);
  let cells = 0;
  for (const [part, content] of entries) {
    if (part.startsWith("xl/worksheets/") && part.endsWith(".xml")) {
      const xml = content.toString("utf8");
      const measured = measureSheet(xml);
      if (measured.lastRow > limits.rows) throw new WorkbookPackageError({ kind: "too-many-rows", sheet: names.get(part) ?? part, row: measured.lastRow, limit: limits.rows });
      cells += measured.cells;
      if (cells > limits.cells) throw new WorkbookPackageError({ kind: "too-many-cells", count: cells, limit: limits.cells });
      const mended = xml.replace(LEGACY_DRAWING, "");
      if (mended !== xml) entries.set(part, Buffer.from(mended, "utf8"));
    } else if (part.startsWith("xl/worksheets/_rels/")) {
      entries.set(part, Buffer.from(content.toString("utf8").replace(COMMENT_RELATIONSHIP, ""), "utf8"));
    }
  }
  return writeStoredZip(entries);
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** One line for the operator naming the real cause (and what to do, where there is something to do). */
export function describePackageProblem(problem: PackageProblem): string {
  switch (problem.kind) {
    case "not-zip":
      return 'not an .xlsx workbook (the file is not a zip package: save it from the spreadsheet as "Excel Workbook (.xlsx)")';
    case "file-too-large":
      return `the file is ${megabytes(problem.bytes)}; a definition workbook may be at most ${megabytes(problem.limit)}`;
    case "unpacked-too-large":
      return `the workbook unpacks to more than ${megabytes(problem.limit)} (at ${problem.entry}); a definition workbook is far smaller: is this the right file?`;
    case "too-many-entries":
      return `the workbook package holds ${problem.count} parts, more than ${problem.limit}: is this the right file?`;
    case "encrypted":
      return "the workbook is protected with a password: save a copy without one";
    case "damaged":
      return `the .xlsx package is damaged (${problem.entry}: ${problem.detail}); open it in the spreadsheet and save it again`;
    case "too-many-rows":
      return `the sheet "${problem.sheet}" has rows down to row ${problem.row}; at most ${problem.limit} rows are read: delete the rows below the table`;
    case "too-many-cells":
      return `the workbook has more than ${problem.limit} cells; a definition workbook is far smaller: is this the right file?`;
  }
}
