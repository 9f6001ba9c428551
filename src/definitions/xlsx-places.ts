import type { FileProblem, ProblemRule } from "../domain/questionnaire/json-path.js";
import { asText, type Converted, type Plain, type ReadCell } from "./xlsx-cells.js";

/**
 * Remembers which cell every JSON path of the definition being built came from, so the rules of the JSON format
 * (validateDefinition) report in cells: `pillars[0].maxScore` becomes `Trụ cột!D2`. A cell that could not be read
 * at all is reported once, here, and the validator's problems under its path are dropped as repeats.
 */
export class CellPlaces {
  readonly problems: FileProblem[] = [];
  private readonly places = new Map<string, string>();
  private readonly reported = new Set<string>();

  /** `path` lives in cell `at`. */
  place(path: string, at: string): void {
    this.places.set(path, at);
  }

  /** A problem of a cell; `path`, if given, is the JSON path whose own problems it already covers. */
  problem(at: string, reason: string, path?: string, rule?: ProblemRule): void {
    this.problems.push(rule === undefined ? { path: at, reason } : { path: at, reason, rule });
    if (path !== undefined) this.reported.add(path);
  }

  /** The field `path` read from `cell`: undefined when blank (the validator then says "is required") or unreadable. */
  field<T>(path: string, cell: ReadCell, convert: (value: Plain) => Converted<T>): T | undefined {
    this.place(path, cell.at);
    if (cell.value === null) return undefined;
    const converted = convert(cell.value);
    if (converted.ok) return converted.value;
    this.problem(cell.at, converted.reason, path, converted.rule);
    return undefined;
  }

  /** A localised text: Vietnamese required, English present but possibly blank. */
  localized(path: string, vi: ReadCell, en: ReadCell): { vi: string | undefined; en: string } {
    this.place(path, vi.at);
    return { vi: this.field(`${path}.vi`, vi, asText), en: this.field(`${path}.en`, en, asText) ?? "" };
  }

  /** The validator's problems, each moved to the cell its path came from (and dropped if already reported). */
  locate(problems: readonly FileProblem[], fallback: string): FileProblem[] {
    // Each problem looks up its own path's prefixes (a handful) rather than every reported path: linear in the rows.
    const covered = (segments: readonly string[]) => segments.some((_, n) => this.reported.has(joinPath(segments.slice(0, n + 1))));
    return problems
      .map((p) => ({ p, segments: p.path.match(/[^.[\]]+|\[\d+\]/g) ?? [] }))
      .filter(({ segments }) => !covered(segments))
      .map(({ p, segments }) => {
        for (let n = segments.length; n > 0; n -= 1) {
          const at = this.places.get(joinPath(segments.slice(0, n)));
          if (at === undefined) continue;
          const remaining = segments.slice(n);
          const rule = p.rule === undefined ? {} : { rule: p.rule };
          if (remaining.length === 0) return { path: at, reason: p.reason, ...rule };
          const head = remaining[0]?.startsWith("[") ? lastName(segments.slice(0, n)) : "";
          const within = `${head}${joinPath(remaining)}`;
          return { path: at, reason: `${within}: ${p.reason}`, within, ...rule };
        }
        return { path: fallback, reason: `${p.path}: ${p.reason}`, within: p.path, ...(p.rule === undefined ? {} : { rule: p.rule }) };
      });
  }
}

function joinPath(segments: readonly string[]): string {
  return segments.reduce((path, s) => (s.startsWith("[") || path === "" ? `${path}${s}` : `${path}.${s}`), "");
}

/** The last named segment of a path (`bands` in `…answer.bands`), to say which part of a cell a problem is about. */
function lastName(segments: readonly string[]): string {
  return [...segments].reverse().find((s) => !s.startsWith("[")) ?? "";
}
