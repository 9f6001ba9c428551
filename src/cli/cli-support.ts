import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";
import { UserError } from "../shared/user-error.js";

export { UserError } from "../shared/user-error.js";
export { readJsonFile } from "../shared/read-json-file.js";

export const EXIT_USER_ERROR = 2;

/** Runs a command's body and maps failures to the contract's exit codes. */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = EXIT_USER_ERROR;
      return;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}

/** node:util parseArgs with its errors turned into one-line user errors. */
export function parseFlags<T extends ParseArgsConfig["options"]>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
}

/** Validates flags with zod; the first problem names the flag. */
export function checkFlags<S extends z.ZodType>(schema: S, values: unknown): z.infer<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const flag = issue?.path[0];
  throw new UserError(flag === undefined ? (issue?.message ?? "invalid flags") : `--${String(flag)}: ${issue?.message}`);
}

/** Prints one JSON value, the `--json` form every command supports. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
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
