import { parse } from "csv-parse/sync";
import { z } from "zod";
import { AGENCY_GROUPS, AGENCY_TYPES, type AgencyImportProblem, type AgencyImportRow } from "../persistence/agency-store.js";
import { issueReason } from "./flag-check.js";
import { reason, type OperatorText } from "./operator-text.js";

/**
 * Reads the file of `admin agency import` (docs/operator-commands.md): UTF-8 CSV, header exactly `name,province,group,type`.
 * Returns the good rows and one problem per bad field, with the line numbers an operator sees in an editor
 * (the header is line 1). Blank lines, and rows of empty cells that spreadsheets leave at the end, are skipped.
 * The reasons are operator texts, translated where they are printed.
 */
export const AGENCY_CSV_HEADER = ["name", "province", "group", "type"] as const;
const NAME_MAX_CHARS = 200;

/** One problem of the file: its line (the header is 1), the column or "row"/"file"/"header", and why. */
export interface CsvProblem {
  readonly line: number;
  readonly field: string;
  readonly reason: OperatorText;
}

export interface AgencyCsv {
  readonly rows: readonly AgencyImportRow[];
  readonly problems: readonly CsvProblem[];
}

/** A row the store refused (an empty name after cleaning, an unknown province, a duplicate), in the operator's words. */
export function storeProblem(problem: AgencyImportProblem): CsvProblem {
  const { cause } = problem;
  const why =
    cause.kind === "empty"
      ? reason("operator.reasons.notEmpty")
      : cause.kind === "unknown-province"
        ? reason("operator.admin.province.unknown", { name: cause.name, suggestion: cause.suggestion })
        : reason("operator.admin.agency.csv.duplicate", { line: cause.line, name: cause.name, province: cause.province });
  return { line: problem.line, field: problem.field, reason: why };
}

const text = (empty: string) =>
  z
    .string()
    .min(1, empty)
    .max(NAME_MAX_CHARS, "operator.reasons.tooLong")
    .refine((value) => !/[\r\n]/.test(value), "operator.admin.agency.csv.oneLine");
const rowSchema = z.object({
  name: text("operator.reasons.agencyNameEmpty"),
  province: text("operator.reasons.provinceNotEmpty"),
  group: z.enum(AGENCY_GROUPS, { error: () => "operator.reasons.oneOf" }),
  type: z.enum(AGENCY_TYPES, { error: () => "operator.reasons.oneOf" }),
});

// csv-parse's types do not model `info: true`; its output is checked instead of cast.
const recordsSchema = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }) }));

export function parseAgencyCsv(bytes: Uint8Array): AgencyCsv {
  let content: string;
  try {
    content = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail(1, "file", reason("operator.admin.agency.csv.notUtf8"));
  }
  // csv-parse miscounts lines when it guesses \r\n itself; spreadsheets on Windows write \r\n.
  content = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let output: unknown;
  try {
    output = parse(content, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    const line = typeof error === "object" && error !== null && "lines" in error && typeof error.lines === "number" ? error.lines : 1;
    return fail(line, "file", reason("operator.admin.agency.csv.notCsv", { detail: error instanceof Error ? error.message : String(error) }));
  }

  const [header, ...data] = recordsSchema.parse(output);
  const expected = AGENCY_CSV_HEADER.join(",");
  if (!header || header.record.join(",") !== expected) {
    const found = header?.record.join(",") ?? "";
    const hint = found === AGENCY_CSV_HEADER.join(";") ? reason("operator.admin.agency.csv.semicolons") : "";
    return fail(1, "header", reason("operator.admin.agency.csv.header", { expected, found, hint }));
  }

  const rows: AgencyImportRow[] = [];
  const problems: CsvProblem[] = [];
  for (const { record, info } of data) {
    if (record.every((cell) => cell === "")) continue;
    // info.lines is where the record ends; a quoted cell may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== AGENCY_CSV_HEADER.length) {
      problems.push({ line, field: "row", reason: reason("operator.admin.agency.csv.fieldCount", { fields: AGENCY_CSV_HEADER.length, expected, found: record.length }) });
      continue;
    }
    const [name, province, group, type] = record;
    const parsed = rowSchema.safeParse({ name, province, group, type }, { reportInput: true });
    if (parsed.success) rows.push({ line, ...parsed.data });
    else for (const issue of parsed.error.issues) problems.push({ line, field: String(issue.path[0] ?? "row"), reason: issueReason(issue) });
  }
  if (rows.length === 0 && problems.length === 0) return fail(1, "file", reason("operator.admin.agency.csv.empty"));
  return { rows, problems };
}

function fail(line: number, field: string, why: OperatorText): AgencyCsv {
  return { rows: [], problems: [{ line, field, reason: why }] };
}
