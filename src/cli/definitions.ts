import path from "node:path";
import { z } from "zod";
import { definitionChecksum, isWorkbookFile, readDefinitionFile } from "../definitions/definition-files.js";
import { definitionWorkbookBytes } from "../definitions/xlsx-write.js";
import { formatVietnamDateTime } from "../domain/periods/period-file.js";
import { diffDefinitions } from "../domain/questionnaire/definition-diff.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import type { IndexDefinition } from "../domain/questionnaire/definition-schema.js";
import type { Db } from "../persistence/database.js";
import { ensureShippedDefinitions, getDefinition, importDefinition, listDefinitions } from "../persistence/definition-store.js";
import { UserError, checkFlags, parseFlags, printJson, runCli } from "./cli-support.js";
import { diffLines } from "./definition-diff-text.js";
import { withDatabase } from "./with-database.js";
import { writeAtomically } from "./write-atomically.js";

/**
 * `definitions validate|import|list|template|export|diff` (docs/operator-commands.md). A definition file is JSON or a
 * workbook (`.xlsx`, the layout `template` writes). Only import, list, export and diffs of stored ids open the database.
 */

const USAGE =
  "expected one of: definitions validate <file>, definitions import <file>, definitions list, definitions template --out <file.xlsx>, " +
  "definitions export <id> --format xlsx|json --out <file>, definitions diff <a> <b>";

const FORMATS = ["xlsx", "json"] as const;

const outFlag = z.string({ error: "is required (the file to write)" }).trim().min(1, "must not be empty");
const templateFlags = z.object({ out: outFlag.refine(isWorkbookFile, "must name an .xlsx file") });
// Without --format, the extension of --out says it (export.xlsx, export.json); --format wins when both are given.
const exportFlags = z
  .object({ out: outFlag, format: z.string().optional() })
  .transform(({ out, format }) => ({ out, format: format ?? /\.(xlsx|json)$/i.exec(out)?.[1]?.toLowerCase() }))
  .pipe(
    z.object({
      out: z.string(),
      format: z.enum(FORMATS, { error: (issue) => (issue.input === undefined ? "is required: xlsx or json (or give --out a name ending in .xlsx or .json)" : `must be xlsx or json (got "${String(issue.input)}")`) }),
    }),
  );

await runCli(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), { json: { type: "boolean" }, out: { type: "string" }, format: { type: "string" } });
  const json = values.json === true;
  const [command, ...rest] = positionals;
  if (command !== "template" && command !== "export" && (values.out !== undefined || values.format !== undefined)) {
    throw new UserError(`--out and --format belong to definitions template and definitions export; ${USAGE}`);
  }
  switch (command) {
    case "validate": {
      const definition = await readDefinitionFile(onlyArgument(rest, "validate", "<file>"));
      const summary = { valid: true, id: definition.id, criteria: listCriteria(definition).length, maxScore: definition.maxScore };
      if (json) printJson(summary);
      else console.log(`OK ${definition.id}: ${summary.criteria} criteria, max score ${definition.maxScore}`);
      return;
    }
    case "import": {
      const definition = await readDefinitionFile(onlyArgument(rest, "import", "<file>"));
      const result = await withDatabase(async (db) => {
        await ensureShippedDefinitions(db);
        return importDefinition(db, definition);
      });
      const output = { ...result, criteria: listCriteria(definition).length, maxScore: definition.maxScore };
      if (json) printJson(output);
      else console.log(`${result.status === "imported" ? "imported" : "unchanged (already stored)"}: ${describe(definition)}`);
      return;
    }
    case "list":
      return list(rest, json);
    case "template": {
      if (rest.length > 0) throw new UserError(`definitions template takes no arguments (got "${rest.join(" ")}"); usage: definitions template --out <file.xlsx>`);
      const out = path.resolve(checkFlags(templateFlags, values).out);
      await writeAtomically(out, await definitionWorkbookBytes(null));
      if (json) printJson({ file: out, format: "xlsx" });
      else console.log(`wrote an empty definition workbook to ${out}; fill it in, then: npm run --silent definitions -- validate ${JSON.stringify(out)}`);
      return;
    }
    case "export": {
      const id = onlyArgument(rest, "export", "<id> --format xlsx|json --out <file>");
      const flags = checkFlags(exportFlags, values);
      const out = path.resolve(flags.out);
      const definition = await withDatabase((db) => storedDefinition(db, id));
      const bytes = flags.format === "json" ? `${JSON.stringify(definition, null, 2)}\n` : await definitionWorkbookBytes(definition);
      await writeAtomically(out, bytes);
      const output = { id, format: flags.format, file: out, checksum: definitionChecksum(definition) };
      if (json) printJson(output);
      else console.log(`wrote ${describe(definition)} as ${flags.format} to ${out}`);
      return;
    }
    case "diff": {
      const [a, b, ...extra] = rest;
      if (a === undefined || b === undefined || extra.length > 0) {
        throw new UserError("definitions diff takes two definitions, each a stored id or a .json/.xlsx file: definitions diff <a> <b>");
      }
      const [from, to] = await resolveBoth(a, b);
      const diff = diffDefinitions(from, to);
      if (json) printJson(diff);
      else console.log(diffLines(diff).join("\n"));
      return;
    }
    case undefined:
      throw new UserError(`missing command; ${USAGE}`);
    default:
      throw new UserError(`unknown command "${command}"; ${USAGE}`);
  }
});

async function list(rest: readonly string[], json: boolean): Promise<void> {
  if (rest.length > 0) throw new UserError(`definitions list takes no arguments (got "${rest.join(" ")}")`);
  const definitions = await withDatabase(async (db) => {
    const shipped = await ensureShippedDefinitions(db);
    for (const id of shipped.conflicting) {
      process.stderr.write(`warning: the shipped definition ${id} differs from the stored one; the stored one is kept\n`);
    }
    return listDefinitions(db);
  });
  if (json) printJson(definitions.map((d) => ({ ...d, title: d.title.vi, importedAt: formatVietnamDateTime(d.importedAt) })));
  else if (definitions.length === 0) console.log("no definitions stored");
  else {
    for (const d of definitions) {
      const kind = d.official ? "official" : "reference";
      console.log(`${d.id}  ${kind}  ${d.criteria} criteria  imported ${formatVietnamDateTime(d.importedAt)}  ${d.title.vi}`);
    }
  }
}

/** A stored definition (the shipped ones count as stored), or a UserError naming the id. */
async function storedDefinition(db: Db, id: string): Promise<IndexDefinition> {
  await ensureShippedDefinitions(db);
  const definition = await getDefinition(db, id);
  if (!definition) throw new UserError(`no stored definition "${id}" (see definitions list)`);
  return definition;
}

function isFile(argument: string): boolean {
  return isWorkbookFile(argument) || argument.toLowerCase().endsWith(".json");
}

/** Both sides of a diff: files are read as files, and the database is opened only if an id needs it. */
async function resolveBoth(a: string, b: string): Promise<[IndexDefinition, IndexDefinition]> {
  const fromFiles = await Promise.all([a, b].map((arg) => (isFile(arg) ? readDefinitionFile(arg) : undefined)));
  if (fromFiles[0] && fromFiles[1]) return [fromFiles[0], fromFiles[1]];
  return withDatabase(async (db) => [fromFiles[0] ?? (await storedDefinition(db, a)), fromFiles[1] ?? (await storedDefinition(db, b))]);
}

function onlyArgument(rest: readonly string[], command: string, usage: string): string {
  const [argument, ...extra] = rest;
  if (argument === undefined) throw new UserError(`definitions ${command} needs ${usage.startsWith("<file>") ? "a file" : "an id"}: definitions ${command} ${usage}`);
  if (extra.length > 0) throw new UserError(`definitions ${command} takes one ${usage.startsWith("<file>") ? "file" : "id"} (got also "${extra.join(" ")}")`);
  return argument;
}

function describe(definition: IndexDefinition): string {
  return `${definition.id} (${listCriteria(definition).length} criteria, max score ${definition.maxScore})`;
}
