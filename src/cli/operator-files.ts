import { readFileSync } from "node:fs";
import { OperatorError } from "./operator-text.js";

/** Reads and parses a JSON file given to a command (a leading byte-order mark is allowed), naming the file in the error. */
export function readOperatorJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === "ENOENT" ? new OperatorError("operator.reasons.fileNotFound", { file }) : new OperatorError("operator.reasons.cannotRead", { file, code: code ?? "error" });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new OperatorError("operator.reasons.notJson", { file, detail: error instanceof Error ? error.message : String(error) });
  }
}

/** Reads a file given to a command, naming it in the operator's error when it cannot be read. */
export function readOperatorFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === "ENOENT" ? new OperatorError("operator.reasons.fileNotFound", { file }) : new OperatorError("operator.reasons.cannotRead", { file, code: code ?? "error" });
  }
}
