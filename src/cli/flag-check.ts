import type { z } from "zod";
import { OperatorError, reason, type OperatorText, type Tr } from "./operator-text.js";

/**
 * Flags checked with zod, the reasons in the operator's language: a schema's messages are operator keys
 * (`operator.reasons.…`), translated here with what zod knows of the problem (the value given, the allowed values,
 * the bounds), so one schema serves both languages. A message that is no key (zod's own) is printed as it is.
 */

/** The first problem of the flags, naming the flag: `--answers: bắt buộc (tệp câu trả lời)`. */
export function checkFlags<S extends z.ZodType>(schema: S, values: unknown, t: Tr, extra: Readonly<Record<string, string | number>> = {}): z.infer<S> {
  const result = schema.safeParse(values, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new OperatorError("operator.reasons.invalidFlags");
  const why = issueReason(issue, extra);
  const flag = issue.path[0];
  if (flag === undefined) throw new OperatorError(why.key, why.vars);
  throw new OperatorError("operator.common.flagProblem", { flag: `--${String(flag)}`, reason: t.has(why.key) ? why : reason("operator.common.lines", { text: issue.message }) });
}

/**
 * A zod issue whose message is an operator key, as a text to translate, with what zod knows of the problem: the value
 * given (`got`), the allowed values, the bounds. Another message (zod's own) is kept as it is.
 */
export function issueReason(issue: z.core.$ZodIssue, extra: Readonly<Record<string, string | number>> = {}): OperatorText {
  if (!issue.message.startsWith("operator.")) return reason("operator.common.lines", { text: issue.message });
  const vars: Record<string, string | number> = { ...extra };
  if (issue.input !== undefined) vars.got = String(issue.input);
  if ("values" in issue && Array.isArray(issue.values)) vars.values = issue.values.map(String).join(", ");
  if ("minimum" in issue) vars.minimum = Number(issue.minimum);
  if ("maximum" in issue) vars.maximum = Number(issue.maximum);
  return reason(issue.message, vars);
}

/**
 * `--format` taken from the extension of `--out` when it is not given (`--out results.xlsx` means xlsx), so an export
 * needs no flag that only repeats the file name; a `--format` given wins.
 */
export function formatFromOut<T extends Readonly<Record<string, unknown>>>(values: T, formats: readonly string[]): T {
  if (values.format !== undefined || typeof values.out !== "string") return values;
  const extension = /\.([a-z0-9]+)$/i.exec(values.out)?.[1]?.toLowerCase();
  return extension !== undefined && formats.includes(extension) ? { ...values, format: extension } : values;
}
