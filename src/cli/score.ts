import { z } from "zod";
import { checkAnswerValue, type AnswerValue } from "../domain/questionnaire/answer-value.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import { scoreAssessment, scoreToJson } from "../domain/questionnaire/scoring.js";
import { loadDefinitionFile } from "../definitions/definition-files.js";
import { UserError, checkFlags, parseFlags, printJson, readJsonFile, runCli } from "./cli-support.js";

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
  const definition = loadDefinitionFile(flags.definition);
  const raw = readJsonFile(flags.answers);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UserError(`${flags.answers}: expected an object mapping criterion ids to answers`);
  }
  const criteria = new Map(listCriteria(definition).map((entry) => [entry.criterion.id, entry.criterion]));
  const answers = new Map<string, AnswerValue>();
  for (const [id, value] of Object.entries(raw)) {
    const criterion = criteria.get(id);
    if (!criterion) throw new UserError(`${id}: unknown criterion in ${definition.id}`);
    if (value === null) continue;
    const check = checkAnswerValue(criterion, value);
    if (!check.ok) throw new UserError(`${id}: ${check.reason}`);
    answers.set(id, check.value);
  }
  printJson(scoreToJson(definition, scoreAssessment(definition, answers)));
});
