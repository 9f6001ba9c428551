import path from "node:path";
import { z } from "zod";
import { definitionChecksum, isWorkbookFile, readDefinitionFile } from "../definitions/definition-files.js";
import { definitionWorkbookBytes } from "../definitions/xlsx-write.js";
import { formatVietnamDateTime } from "../domain/periods/period-file.js";
import { diffDefinitions } from "../domain/questionnaire/definition-diff.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import type { IndexDefinition } from "../domain/questionnaire/definition-schema.js";
import type { Db } from "../persistence/db-client.js";
import { ensureShippedDefinitions, getDefinition, importDefinition, listDefinitions } from "../persistence/definition-store.js";
import { isMainModule, runProgram, type CliIo, type Command, type CommandContext } from "./command-table.js";
import { diffLines } from "./definition-diff-text.js";
import { checkFlags, formatFromOut } from "./flag-check.js";
import { OperatorError, type Tr } from "./operator-text.js";
import { withDatabase } from "./with-database.js";
import { writeAtomically } from "./write-atomically.js";

/**
 * `definitions validate|import|list|template|export|diff` (docs/operator-commands.md). A definition file is JSON or a
 * workbook (`.xlsx`, the layout `template` writes). Only import, list, export and diffs of stored ids open the database.
 * The problems of a file are one line each, named by JSON path or by cell.
 */

const FORMATS = ["xlsx", "json"] as const;
const outOption = { out: { type: "string" } } as const;

const outFlag = z.string({ error: "operator.reasons.outRequired" }).trim().min(1, "operator.reasons.notEmpty");
const templateFlags = z.object({ out: outFlag.refine(isWorkbookFile, "operator.reasons.mustBeXlsx") });
const exportFlags = z.object({
  out: outFlag,
  format: z.enum(FORMATS, { error: (issue) => (issue.input === undefined ? "operator.reasons.formatJsonRequired" : "operator.reasons.formatJson") }),
});

/** The one argument of a command (a file or an id), or its usage. */
function onlyArgument(context: CommandContext, usageKey: string): string {
  const [argument, ...extra] = context.args;
  if (argument === undefined || extra.length > 0) throw new OperatorError("operator.common.usageError", { usage: context.t(usageKey) });
  return argument;
}

const describeDefinition = (definition: IndexDefinition, t: Tr) => t("operator.definitions.describe", { id: definition.id, count: listCriteria(definition).length, max: definition.maxScore });

/** A stored definition (the shipped ones count as stored), or the operator's error naming the id. */
async function storedDefinition(db: Db, id: string): Promise<IndexDefinition> {
  await ensureShippedDefinitions(db);
  const definition = await getDefinition(db, id);
  if (!definition) throw new OperatorError("operator.definitions.notStored", { id });
  return definition;
}

const isFile = (argument: string): boolean => isWorkbookFile(argument) || argument.toLowerCase().endsWith(".json");

/** Both sides of a diff: files are read as files, and the database is opened only if an id needs it. */
async function resolveBoth(a: string, b: string): Promise<[IndexDefinition, IndexDefinition]> {
  const fromFiles = await Promise.all([a, b].map((arg) => (isFile(arg) ? readDefinitionFile(arg) : undefined)));
  if (fromFiles[0] && fromFiles[1]) return [fromFiles[0], fromFiles[1]];
  return withDatabase(async (db) => [fromFiles[0] ?? (await storedDefinition(db, a)), fromFiles[1] ?? (await storedDefinition(db, b))]);
}

const COMMANDS: readonly Command[] = [
  {
    words: "validate",
    options: {},
    async run(context) {
      const definition = await readDefinitionFile(onlyArgument(context, "operator.definitions.validate.usage"));
      const summary = { valid: true, id: definition.id, criteria: listCriteria(definition).length, maxScore: definition.maxScore };
      context.emit(summary, [context.t("operator.definitions.valid", { what: describeDefinition(definition, context.t) })]);
    },
  },
  {
    words: "import",
    options: {},
    async run(context) {
      const definition = await readDefinitionFile(onlyArgument(context, "operator.definitions.import.usage"));
      const result = await withDatabase(async (db) => {
        await ensureShippedDefinitions(db);
        return importDefinition(db, definition);
      });
      const what = describeDefinition(definition, context.t);
      context.emit({ ...result, criteria: listCriteria(definition).length, maxScore: definition.maxScore }, [
        context.t(result.status === "imported" ? "operator.definitions.imported" : "operator.definitions.unchanged", { what }),
      ]);
    },
  },
  {
    words: "list",
    options: {},
    async run(context) {
      const { t } = context;
      if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: t("operator.definitions.list.usage") });
      const definitions = await withDatabase(async (db) => {
        const shipped = await ensureShippedDefinitions(db);
        for (const id of shipped.conflicting) context.io.err(t("operator.definitions.shippedConflict", { id }));
        return listDefinitions(db);
      });
      const lines = definitions.map((d) =>
        t("operator.definitions.line", { id: d.id, kind: t(d.official ? "operator.definitions.official" : "operator.definitions.reference"), count: d.criteria, importedTime: d.importedAt, title: d.title.vi }),
      );
      context.emit(
        definitions.map((d) => ({ ...d, title: d.title.vi, importedAt: formatVietnamDateTime(d.importedAt) })),
        definitions.length === 0 ? [t("operator.definitions.none")] : lines,
      );
    },
  },
  {
    words: "template",
    options: outOption,
    async run(context) {
      if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t("operator.definitions.template.usage") });
      const out = path.resolve(checkFlags(templateFlags, context.values, context.t).out);
      await writeAtomically(out, await definitionWorkbookBytes(null));
      context.emit({ file: out, format: "xlsx" }, [context.t("operator.definitions.templateWritten", { file: out, quoted: JSON.stringify(out) })]);
    },
  },
  {
    words: "export",
    options: { ...outOption, format: { type: "string" } },
    async run(context) {
      const id = onlyArgument(context, "operator.definitions.export.usage");
      const flags = checkFlags(exportFlags, formatFromOut(context.values, FORMATS), context.t);
      const out = path.resolve(flags.out);
      const definition = await withDatabase((db) => storedDefinition(db, id));
      const bytes = flags.format === "json" ? `${JSON.stringify(definition, null, 2)}\n` : await definitionWorkbookBytes(definition);
      await writeAtomically(out, bytes);
      context.emit({ id, format: flags.format, file: out, checksum: definitionChecksum(definition) }, [
        context.t("operator.definitions.exported", { what: describeDefinition(definition, context.t), format: flags.format, file: out }),
      ]);
    },
  },
  {
    words: "diff",
    options: {},
    async run(context) {
      const [a, b, ...extra] = context.args;
      if (a === undefined || b === undefined || extra.length > 0) throw new OperatorError("operator.definitions.diffUsage");
      const diff = diffDefinitions(...(await resolveBoth(a, b)));
      context.emit(diff, diffLines(diff));
    },
  },
];

/** Runs `definitions` with these arguments; the exit code is returned (tests run it in-process). */
export function definitions(argv: string[], io?: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  return runProgram("definitions", COMMANDS, argv, io, env);
}

if (isMainModule(import.meta.url)) process.exitCode = await definitions(process.argv.slice(2));
