import { readFileSync } from "node:fs";
import { readError } from "../shared/read-json-file.js";

/** Reads a file given to a command, naming it in the operator's error when it cannot be read. */
export function readOperatorFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw readError(file, error);
  }
}
