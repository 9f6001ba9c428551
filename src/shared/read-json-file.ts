import { readFileSync } from "node:fs";
import { TranslatableUserError } from "./user-error.js";

/** Reads and parses a JSON file (a leading byte-order mark is allowed), naming the file in the error. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw readError(file, error);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new TranslatableUserError("operator.reasons.notJson", { file, detail }, `${file}: not valid JSON (${detail})`);
  }
}

/** "file not found" or "cannot read (EACCES)": why a file could not be read, as one error line naming it. */
export function readError(file: string, error: unknown): TranslatableUserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new TranslatableUserError("operator.reasons.fileNotFound", { file }, `${file}: file not found`);
  return new TranslatableUserError("operator.reasons.cannotRead", { file, code: code ?? "error" }, `${file}: cannot read (${code ?? "error"})`);
}
