import { parse } from "csv-parse/sync";
import { z } from "zod";
import { AGENCY_GROUPS, AGENCY_TYPES, type AgencyImportProblem, type AgencyImportRow } from "../persistence/agency-store.js";

/**
 * Reads the file of `admin agency import` (docs/operator-commands.md): UTF-8 CSV, header exactly `name,province,group,type`.
 * Returns the good rows and one problem per bad field, with the line numbers an operator sees in an editor
 * (the header is line 1). Blank lines, and rows of empty cells that spreadsheets leave at the end, are skipped.
 */
export const AGENCY_CSV_HEADER = ["name", "province", "group", "type"] as const;
const NAME_MAX_CHARS = 200;

export interface AgencyCsv {
  readonly rows: readonly AgencyImportRow[];
  readonly problems: readonly AgencyImportProblem[];
}

const text = (what: string) =>
  z
    .string()
    .min(1, `must not be empty (the ${what})`)
    .max(NAME_MAX_CHARS, `must be at most ${NAME_MAX_CHARS} characters`)
    .refine((value) => !/[\r\n]/.test(value), "must be on one line");
const rowSchema = z.object({
  name: text("agency's name"),
  province: text("province's name"),
  group: z.enum(AGENCY_GROUPS, { error: (issue) => `must be one of ${AGENCY_GROUPS.join(", ")} (got "${String(issue.input)}")` }),
  type: z.enum(AGENCY_TYPES, { error: (issue) => `must be one of ${AGENCY_TYPES.join(", ")} (got "${String(issue.input)}")` }),
});

// csv-parse's types do not model `info: true`; its output is checked instead of cast.
const recordsSchema = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }) }));

export function parseAgencyCsv(bytes: Uint8Array): AgencyCsv {
  let content: string;
  try {
    content = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail(1, "file", 'is not UTF-8 text; save it as "CSV UTF-8"');
  }
  // csv-parse miscounts lines when it guesses \r\n itself; spreadsheets on Windows write \r\n.
  content = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let output: unknown;
  try {
    output = parse(content, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    const line = typeof error === "object" && error !== null && "lines" in error && typeof error.lines === "number" ? error.lines : 1;
    return fail(line, "file", `not valid CSV (${error instanceof Error ? error.message : String(error)})`);
  }

  const [header, ...data] = recordsSchema.parse(output);
  const expected = AGENCY_CSV_HEADER.join(",");
  if (!header || header.record.join(",") !== expected) {
    const found = header?.record.join(",") ?? "";
    const hint = found === AGENCY_CSV_HEADER.join(";") ? "; the file uses ; between fields, save it with commas" : "";
    return fail(1, "header", `must be exactly ${expected} (found "${found}")${hint}`);
  }

  const rows: AgencyImportRow[] = [];
  const problems: AgencyImportProblem[] = [];
  for (const { record, info } of data) {
    if (record.every((cell) => cell === "")) continue;
    // info.lines is where the record ends; a quoted cell may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== AGENCY_CSV_HEADER.length) {
      problems.push({ line, field: "row", reason: `expected ${AGENCY_CSV_HEADER.length} fields (${expected}), found ${record.length}` });
      continue;
    }
    const [name, province, group, type] = record;
    const parsed = rowSchema.safeParse({ name, province, group, type });
    if (parsed.success) rows.push({ line, ...parsed.data });
    else for (const issue of parsed.error.issues) problems.push({ line, field: String(issue.path[0] ?? "row"), reason: issue.message });
  }
  if (rows.length === 0 && problems.length === 0) return fail(1, "file", "has no agencies after the header");
  return { rows, problems };
}

function fail(line: number, field: string, reason: string): AgencyCsv {
  return { rows: [], problems: [{ line, field, reason }] };
}
