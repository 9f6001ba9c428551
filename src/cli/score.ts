import { z } from "zod";
import { checkAnswerValue, type AnswerProblem, type AnswerValue } from "../domain/questionnaire/answer-value.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import type { IndexDefinition } from "../domain/questionnaire/definition-schema.js";
import { scoreAssessment, scoreToJson } from "../domain/questionnaire/scoring.js";
import { readDefinitionFile } from "../definitions/definition-files.js";
import { isMainModule, runProgram, type CliIo, type Command } from "./command-table.js";
import { checkFlags } from "./flag-check.js";
import { readJsonFile } from "../shared/read-json-file.js";
import { OperatorError, type Tr } from "./operator-text.js";

/**
 * `score --definition <file> --answers <file>` (docs/answers-file.md): scores an answers file against a definition
 * (JSON or workbook) and prints the result as JSON (in every language: it is for scripts). Every problem of the
 * answers file is reported, one line each, before anything is printed, so an operator fixes a file in one pass.
 */

const flagsSchema = z.object({
  definition: z.string({ error: "operator.reasons.definitionFileRequired" }),
  answers: z.string({ error: "operator.reasons.answersFileRequired" }),
});

/** An answer's problem in the operator's language. */
export function answerProblemText(problem: AnswerProblem, t: Tr): string {
  switch (problem.code) {
    case "expected-yes-no":
      return t("operator.reasons.answer.expectedYesNo");
    case "expected-one-option":
      return t("operator.reasons.answer.expectedOneOption", { options: problem.options.join(", ") });
    case "unknown-option":
      return problem.options === undefined
        ? t("operator.reasons.answer.unknownOption", { value: problem.value })
        : t("operator.reasons.answer.unknownOptionOf", { value: problem.value, options: problem.options.join(", ") });
    case "expected-option-list":
      return t("operator.reasons.answer.expectedOptionList");
    case "repeated-option":
      return t("operator.reasons.answer.repeatedOption");
    case "expected-number":
      return t("operator.reasons.answer.expectedNumber");
    case "below-minimum":
      return t("operator.reasons.answer.belowMinimum", { value: problem.value, minimum: problem.minimum });
    case "above-maximum":
      return t("operator.reasons.answer.aboveMaximum", { value: problem.value, maximum: problem.maximum });
  }
}

function checkAnswers(definition: IndexDefinition, raw: unknown, file: string, t: Tr): Map<string, AnswerValue> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new OperatorError("operator.score.notAnObject", { file });
  const criteria = new Map(listCriteria(definition).map((entry) => [entry.criterion.id, entry.criterion]));
  const answers = new Map<string, AnswerValue>();
  const problems: string[] = [];
  for (const [id, value] of Object.entries(raw)) {
    const criterion = criteria.get(id);
    if (!criterion) {
      problems.push(t("operator.score.unknownCriterion", { id, definition: definition.id }));
      continue;
    }
    if (value === null) continue;
    const check = checkAnswerValue(criterion, value);
    if (check.ok) answers.set(id, check.value);
    else problems.push(`${id}: ${answerProblemText(check.problem, t)}`);
  }
  if (problems.length > 0) throw new OperatorError("operator.common.lines", { text: problems.join("\n") });
  return answers;
}

const COMMANDS: readonly Command[] = [
  {
    words: "",
    options: { definition: { type: "string" }, answers: { type: "string" } },
    async run(context) {
      if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t("operator.score.usage") });
      const flags = checkFlags(flagsSchema, context.values, context.t);
      const definition = await readDefinitionFile(flags.definition);
      const answers = checkAnswers(definition, readJsonFile(flags.answers), flags.answers, context.t);
      context.io.out(JSON.stringify(scoreToJson(definition, scoreAssessment(definition, answers)), null, 2));
    },
  },
];

/** Runs `score` with these arguments; the exit code is returned (tests run it in-process). */
export function score(argv: string[], io?: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  return runProgram("score", COMMANDS, argv, io, env);
}

if (isMainModule(import.meta.url)) process.exitCode = await score(process.argv.slice(2));
