import type ExcelJS from "exceljs";
import type { ProblemRule } from "../domain/questionnaire/json-path.js";
import { firstControlCharacter } from "../domain/text/control-characters.js";
import { BAND_PAIR_SEPARATOR, BAND_SEPARATOR, OFFICIAL_VALUES } from "./xlsx-layout.js";

/**
 * What a person can leave in a cell, reduced to plain values: formulas give their last computed result, rich text
 * and links their text, and a text cell holding only spaces is blank.
 */
export type Plain = string | number | boolean | Date | { readonly error: string } | null;

/** A cell as read: where it is (`Tiêu chí!F12`) and its plain value. */
export interface ReadCell {
  readonly at: string;
  readonly value: Plain;
}

export function plainValue(value: ExcelJS.CellValue): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value !== "object" || value instanceof Date) return value;
  if ("richText" in value) return plainValue(value.richText.map((part) => part.text).join(""));
  if ("hyperlink" in value) return plainValue(value.text);
  if ("formula" in value || "sharedFormula" in value) return plainValue(value.result);
  return { error: value.error };
}

/** A conversion of one cell: the value, or why the cell cannot be read as the field. */
/** A cell's value, or why it cannot be read: the English line and its rule (code and values) for other languages. */
export type Converted<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string; readonly rule: ProblemRule };

const ok = <T>(value: T): Converted<T> => ({ ok: true, value });
const fail = (reason: string, code: string, params: ProblemRule["params"] = {}): Converted<never> => ({ ok: false, reason, rule: { code, params } });

function describe(value: Plain): string {
  if (value instanceof Date) return "a date";
  if (value !== null && typeof value === "object") return `the error ${value.error}`;
  return JSON.stringify(value);
}

// OOXML writes characters XML cannot hold as _xHHHH_ (ECMA-376 Part 1, 22.4.2.4); the reader leaves them as written.
const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Text; a number typed into a text cell (an option id `1`) is its digits. Control characters (NUL, U+0001, …) and
 * lone surrogates, typed or escaped as `_x0000_`, are refused on their cell: no database stores some of them, and
 * none belongs in a question people read. Tabs and line breaks are fine.
 */
export function asText(value: Plain): Converted<string> {
  if (typeof value === "string") {
    const decoded = value.replace(OOXML_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const control = firstControlCharacter(decoded);
    if (control !== null) return fail(`contains the control character ${control}, which cannot be stored; retype the text`, "cellControl", { character: control });
    return ok(value);
  }
  if (typeof value === "number") return ok(String(value));
  return fail(`expected text (found ${describe(value)})`, "cellText", { found: describe(value) });
}

const DECIMAL = /^-?\d+(?:[.,]\d+)?$/;

/** A number, also from text written with a decimal comma ("2,5") as Vietnamese spreadsheets often hold it. */
export function asNumber(value: Plain): Converted<number> {
  if (typeof value === "number") return ok(value);
  if (typeof value === "string" && DECIMAL.test(value.trim())) return ok(Number(value.trim().replace(",", ".")));
  return fail(`expected a number (found ${describe(value)})`, "cellNumber", { found: describe(value) });
}

/** `có`/`không` from the drop-down list, or a TRUE/FALSE cell, or true/false/yes/no typed by hand. */
export function asOfficial(value: Plain): Converted<boolean> {
  if (typeof value === "boolean") return ok(value);
  const text = typeof value === "string" ? value.trim().toLowerCase() : "";
  if ([OFFICIAL_VALUES[0], "true", "yes"].includes(text)) return ok(true);
  if ([OFFICIAL_VALUES[1], "false", "no"].includes(text)) return ok(false);
  return fail(`expected ${OFFICIAL_VALUES.join(" or ")} (found ${describe(value)})`, "cellOfficial", { values: OFFICIAL_VALUES.join(", "), found: describe(value) });
}

/**
 * A calendar date as `YYYY-MM-DD`: from a date cell (stored as midnight UTC, so its UTC fields are the date),
 * from text `dd/mm/yyyy`, or from text already in `YYYY-MM-DD` form (checked later by the definition schema).
 */
export function asIsoDate(value: Plain): Converted<string> {
  if (value instanceof Date) return ok(value.toISOString().slice(0, 10));
  if (typeof value !== "string") return fail(`expected a date like 24/10/2024 (found ${describe(value)})`, "cellDate", { found: describe(value) });
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  if (!dmy) return ok(value.trim());
  const [, day = "", month = "", year = ""] = dmy;
  return ok(`${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`);
}

/** One of the values of a drop-down list. */
export function asOneOf<T extends string>(values: readonly T[]): (value: Plain) => Converted<T> {
  return (value) => {
    const text = typeof value === "string" ? value.trim() : "";
    const found = values.find((v) => v === text);
    return found === undefined ? fail(`expected one of ${values.join(", ")} (found ${describe(value)})`, "cellOneOf", { values: values.join(", "), found: describe(value) }) : ok(found);
  };
}

/** Score bands written `0: 0; 30: 1; 70: 2` (band start, then its score). */
export function asBands(value: Plain): Converted<{ from: number; score: number }[]> {
  if (typeof value !== "string") return fail(`expected bands like "0: 0; 30: 1; 70: 2" (found ${describe(value)})`, "cellBands", { found: describe(value) });
  const bands: { from: number; score: number }[] = [];
  const parts = value.split(BAND_SEPARATOR).map((part) => part.trim()).filter((part) => part !== "");
  for (const [i, part] of parts.entries()) {
    const pair = part.split(BAND_PAIR_SEPARATOR).map((side) => asNumber(side.trim()));
    const [from, score] = pair;
    if (pair.length !== 2 || !from?.ok || !score?.ok) {
      return fail(`band ${i + 1} ("${part}") must be "from${BAND_PAIR_SEPARATOR} score", for example "0: 0; 30: 1; 70: 2"`, "cellBand", { index: i + 1, part });
    }
    bands.push({ from: from.value, score: score.value });
  }
  return ok(bands);
}
