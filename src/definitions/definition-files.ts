import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UserError, readJsonFile } from "../cli/cli-support.js";
import type { IndexDefinition } from "../domain/questionnaire/definition-schema.js";
import { formatProblem, validateDefinition } from "../domain/questionnaire/validate-definition.js";

/** The folder of definitions shipped with the product (reference questionnaires, `official: false`). */
export const SHIPPED_DEFINITIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "definitions");

/** Reads and validates a definition file; every problem becomes one line of the error. */
export function loadDefinitionFile(file: string): IndexDefinition {
  const result = validateDefinition(readJsonFile(file));
  if (result.ok) return result.definition;
  throw new UserError(result.problems.map((p) => `${file}: ${formatProblem(p)}`).join("\n"));
}

export function shippedDefinitionFiles(): string[] {
  return readdirSync(SHIPPED_DEFINITIONS_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => path.join(SHIPPED_DEFINITIONS_DIR, name));
}

/** SHA-256 over the validated definition's JSON, so formatting changes to a file do not look like new content. */
export function definitionChecksum(definition: IndexDefinition): string {
  return createHash("sha256").update(JSON.stringify(definition)).digest("hex");
}
