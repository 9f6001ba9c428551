import { readFileSync } from "node:fs";
import { UserError } from "./user-error.js";

/** Reads and parses a JSON file (a leading byte-order mark is allowed), naming the file in the error. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserError(`${file}: ${readFailure(error)}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** "file not found" or "cannot read (EACCES)": the reason a file could not be read, for one error line. */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "file not found" : `cannot read (${code ?? "error"})`;
}
