import { z } from "zod";
import { checkAnswerValue, type AnswerValue } from "../domain/questionnaire/answer-value.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import type { IndexDefinition } from "../domain/questionnaire/definition-schema.js";
import { scoreAssessment, scoreToJson } from "../domain/questionnaire/scoring.js";
import { readDefinitionFile } from "../definitions/definition-files.js";
import { UserError, checkFlags, parseFlags, printJson, readJsonFile, runCli } from "./cli-support.js";

/**
 * `score --definition <file> --answers <file>` (docs/answers-file.md): scores an answers file against a definition
 * (JSON or workbook) and prints the result. Every problem of the answers file is reported, one line each, before
 * anything is printed, so an operator fixes a file in one pass.
 */

const flagsSchema = z.object({
  definition: z.string({ error: "is required (the definition file)" }),
  answers: z.string({ error: "is required (the answers file)" }),
});

await runCli(async () => {
  const { values } = parseFlags(process.argv.slice(2), {
    definition: { type: "string" },
    answers: { type: "string" },
    json: { type: "boolean" },
  });
  const flags = checkFlags(flagsSchema, values);
  const definition = await readDefinitionFile(flags.definition);
  const answers = checkAnswers(definition, readJsonFile(flags.answers), flags.answers);
  printJson(scoreToJson(definition, scoreAssessment(definition, answers)));
});

function checkAnswers(definition: IndexDefinition, raw: unknown, file: string): Map<string, AnswerValue> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UserError(`${file}: expected an object mapping criterion ids to answers`);
  }
  const criteria = new Map(listCriteria(definition).map((entry) => [entry.criterion.id, entry.criterion]));
  const answers = new Map<string, AnswerValue>();
  const problems: string[] = [];
  for (const [id, value] of Object.entries(raw)) {
    const criterion = criteria.get(id);
    if (!criterion) {
      problems.push(`${id}: unknown criterion in ${definition.id}`);
      continue;
    }
    if (value === null) continue;
    const check = checkAnswerValue(criterion, value);
    if (check.ok) answers.set(id, check.value);
    else problems.push(`${id}: ${check.reason}`);
  }
  if (problems.length > 0) throw new UserError(problems.join("\n"));
  return answers;
}
