import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IndexDefinition } from "../domain/questionnaire/definition-schema.js";
import { validateDefinition, type DefinitionValidation } from "../domain/questionnaire/validate-definition.js";
import { DefinitionFileError } from "./definition-file-error.js";
import { readJsonFile } from "../shared/read-json-file.js";
import { readDefinitionWorkbook } from "./xlsx-read.js";

/** The folder of definitions shipped with the product (reference questionnaires, `official: false`). */
export const SHIPPED_DEFINITIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "definitions");

/** Reads and validates a JSON definition file; every problem becomes one line of the error. */
export function loadDefinitionFile(file: string): IndexDefinition {
  return definitionOrThrow(file, validateDefinition(readJsonFile(file)));
}

/** True for a file the definition commands read as a workbook rather than as JSON. */
export function isWorkbookFile(file: string): boolean {
  return file.toLowerCase().endsWith(".xlsx");
}

/**
 * Reads and validates a definition from a JSON file or a workbook (`.xlsx`, the layout of `definitions template`).
 * Every problem becomes one line of the error: a JSON path for JSON, a cell (`Tiêu chí!F12`) for a workbook.
 */
export async function readDefinitionFile(file: string): Promise<IndexDefinition> {
  if (!isWorkbookFile(file)) return loadDefinitionFile(file);
  return definitionOrThrow(file, await readDefinitionWorkbook(file));
}

/** Problems listed one per line; beyond these, one line says how many more (20,000 lines help nobody). */
export const MAX_LISTED_PROBLEMS = 50;

function definitionOrThrow(file: string, result: DefinitionValidation): IndexDefinition {
  if (result.ok) return result.definition;
  const listed = result.problems.slice(0, MAX_LISTED_PROBLEMS);
  throw new DefinitionFileError(file, listed, result.problems.length - listed.length);
}

export function shippedDefinitionFiles(): string[] {
  return readdirSync(SHIPPED_DEFINITIONS_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => path.join(SHIPPED_DEFINITIONS_DIR, name));
}

/** SHA-256 over the validated definition's JSON, so formatting changes to a file do not look like new content. */
export function definitionChecksum(definition: IndexDefinition): string {
  return createHash("sha256").update(JSON.stringify(withoutReadingAids(definition))).digest("hex");
}

/**
 * The definition without its options' `keywords`: they help read replies and never change a score, so adding words
 * to a shipped definition is not a new version of the index (the stored copy is refreshed instead).
 */
export function withoutReadingAids(definition: IndexDefinition): IndexDefinition {
  const strip = <T extends { readonly keywords?: readonly string[] }>(option: T): Omit<T, "keywords"> => {
    const { keywords: _keywords, ...rest } = option;
    return rest;
  };
  return {
    ...definition,
    pillars: definition.pillars.map((p) => ({
      ...p,
      indicators: p.indicators.map((i) => ({
        ...i,
        criteria: i.criteria.map((c) => (c.answer.type === "choice" || c.answer.type === "multi" ? { ...c, answer: { ...c.answer, options: c.answer.options.map(strip) } } : c)),
      })),
    })),
  };
}
