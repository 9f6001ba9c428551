import type { z } from "zod";

/** Formats a path such as ["pillars", 1, "indicators", 0] as `pillars[1].indicators[0]`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(root)" : out;
}

/** Which rule a problem breaks, with its values: what a command translates (`reason` is the English line). */
export interface ProblemRule {
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/** A problem in a hand-written JSON file: where (a JSON path) and why, shown as `path: reason`. */
export interface FileProblem {
  readonly path: string;
  readonly reason: string;
  /** The rule behind `reason`, when it is one of the known ones. */
  readonly rule?: ProblemRule;
  /** The part of the place the rule is about, already in `reason` (`bands[2].score` of a cell). */
  readonly within?: string;
}

export type ShapeCheck<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly problems: FileProblem[] };

/**
 * Parses with zod and turns every issue into a path-named problem. A field left out reads "is required" rather than
 * zod's "expected object, received undefined"; an unknown field names itself.
 */
export function checkShape<T>(schema: z.ZodType<T>, input: unknown): ShapeCheck<T> {
  const parsed = schema.safeParse(input, {
    error: (issue) => (issue.code === "invalid_type" && issue.input === undefined ? "is required" : undefined),
  });
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue): FileProblem => {
      const path = formatJsonPath(issue.path);
      if (issue.code === "unrecognized_keys") {
        const fields = issue.keys.map((k) => `"${k}"`).join(", ");
        return { path, reason: `unknown field ${fields}`, rule: { code: "unknownField", params: { fields } } };
      }
      return issue.message === "is required" ? { path, reason: issue.message, rule: { code: "required", params: {} } } : { path, reason: issue.message };
    }),
  };
}
