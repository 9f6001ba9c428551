import { loadDefinitionFile } from "../definitions/definition-files.js";
import { formatVietnamDateTime } from "../domain/periods/period-file.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import type { IndexDefinition } from "../domain/questionnaire/definition-schema.js";
import { ensureShippedDefinitions, importDefinition, listDefinitions } from "../persistence/definition-store.js";
import { UserError, parseFlags, printJson, runCli } from "./cli-support.js";
import { withDatabase } from "./with-database.js";

/** `definitions validate|import|list` (shared/spec/cli.md). Only import and list touch the database. */

const USAGE = "expected one of: definitions validate <file>, definitions import <file>, definitions list";

await runCli(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), { json: { type: "boolean" } });
  const json = values.json === true;
  const [command, ...rest] = positionals;
  switch (command) {
    case "validate": {
      const definition = loadDefinitionFile(onlyFile(rest, "validate"));
      const summary = { valid: true, id: definition.id, criteria: listCriteria(definition).length, maxScore: definition.maxScore };
      if (json) printJson(summary);
      else console.log(`OK ${definition.id}: ${summary.criteria} criteria, max score ${definition.maxScore}`);
      return;
    }
    case "import": {
      const definition = loadDefinitionFile(onlyFile(rest, "import"));
      const result = await withDatabase(async (db) => {
        await ensureShippedDefinitions(db);
        return importDefinition(db, definition);
      });
      const output = { ...result, criteria: listCriteria(definition).length, maxScore: definition.maxScore };
      if (json) printJson(output);
      else console.log(`${result.status === "imported" ? "imported" : "unchanged (already stored)"}: ${describe(definition)}`);
      return;
    }
    case "list": {
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
      return;
    }
    case undefined:
      throw new UserError(`missing command; ${USAGE}`);
    default:
      throw new UserError(`unknown command "${command}"; ${USAGE}`);
  }
});

function onlyFile(rest: readonly string[], command: string): string {
  const [file, ...extra] = rest;
  if (file === undefined) throw new UserError(`definitions ${command} needs a file: definitions ${command} <file>`);
  if (extra.length > 0) throw new UserError(`definitions ${command} takes one file (got also "${extra.join(" ")}")`);
  return file;
}

function describe(definition: IndexDefinition): string {
  return `${definition.id} (${listCriteria(definition).length} criteria, max score ${definition.maxScore})`;
}
