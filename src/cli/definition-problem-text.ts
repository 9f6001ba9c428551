import type { DefinitionFileError } from "../definitions/definition-file-error.js";
import type { DefinitionProblem } from "../domain/questionnaire/validate-definition.js";
import type { Tr } from "./operator-text.js";

/**
 * A definition file's problems in the operator's language: each known rule (validate-definition.ts's codes, the
 * shape's "required" and "unknown field", the workbook's cells and sheets) through its key; a problem without a rule
 * keeps its English line.
 */
const RULE_KEYS: Readonly<Record<string, string>> = {
  duplicateId: "operator.reasons.definition.duplicateId",
  twoDecimals: "operator.reasons.definition.twoDecimals",
  firstLevelZero: "operator.reasons.definition.firstLevelZero",
  levelNotAscending: "operator.reasons.definition.levelNotAscending",
  levelAboveMax: "operator.reasons.definition.levelAboveMax",
  pillarId: "operator.reasons.definition.pillarId",
  indicatorId: "operator.reasons.definition.indicatorId",
  criterionId: "operator.reasons.definition.criterionId",
  pillarSum: "operator.reasons.definition.pillarSum",
  totalSum: "operator.reasons.definition.totalSum",
  aboveCriterionMax: "operator.reasons.definition.aboveCriterionMax",
  bestOption: "operator.reasons.definition.bestOption",
  optionsSum: "operator.reasons.definition.optionsSum",
  maxBelowMin: "operator.reasons.definition.maxBelowMin",
  bandsOrLinear: "operator.reasons.definition.bandsOrLinear",
  firstBand: "operator.reasons.definition.firstBand",
  bandsOrder: "operator.reasons.definition.bandsOrder",
  bandsDecrease: "operator.reasons.definition.bandsDecrease",
  lastBand: "operator.reasons.definition.lastBand",
  fewOptions: "operator.reasons.definition.fewOptions",
  duplicateOption: "operator.reasons.definition.duplicateOption",
  required: "operator.reasons.definition.required",
  unknownField: "operator.reasons.definition.unknownField",
  tooLong: "operator.reasons.definition.tooLong",
  noControl: "operator.reasons.definition.noControl",
  notEmpty: "operator.reasons.definition.notEmpty",
  notNegative: "operator.reasons.definition.notNegative",
  needsBand: "operator.reasons.definition.needsBand",
  positive: "operator.reasons.definition.positive",
  needsCriterion: "operator.reasons.definition.needsCriterion",
  needsIndicator: "operator.reasons.definition.needsIndicator",
  idTooLong: "operator.reasons.definition.idTooLong",
  idForm: "operator.reasons.definition.idForm",
  isoDate: "operator.reasons.definition.isoDate",
  needsLevel: "operator.reasons.definition.needsLevel",
  needsPillar: "operator.reasons.definition.needsPillar",
  cellControl: "operator.reasons.definition.cellControl",
  cellText: "operator.reasons.definition.cellText",
  cellNumber: "operator.reasons.definition.cellNumber",
  cellOfficial: "operator.reasons.definition.cellOfficial",
  cellDate: "operator.reasons.definition.cellDate",
  cellOneOf: "operator.reasons.definition.cellOneOf",
  cellBands: "operator.reasons.definition.cellBands",
  cellBand: "operator.reasons.definition.cellBand",
  dateRequired: "operator.reasons.definition.dateRequired",
  noParentPart: "operator.reasons.definition.noParentPart",
  noParent: "operator.reasons.definition.noParent",
  typeRequired: "operator.reasons.definition.typeRequired",
  numberOnly: "operator.reasons.definition.numberOnly",
  optionCriterionRequired: "operator.reasons.definition.optionCriterionRequired",
  noOptionCriterion: "operator.reasons.definition.noOptionCriterion",
  sheetMissing: "operator.reasons.definition.sheetMissing",
  titleBlank: "operator.reasons.definition.titleBlank",
  titleExpected: "operator.reasons.definition.titleExpected",
};

/** Sums arrive as text ("17.5"); as numbers they get the language's decimal mark like the other values. */
const asValue = (value: string | number): string | number => (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);

function problemText(problem: DefinitionProblem, t: Tr): string {
  const key = problem.rule === undefined ? undefined : RULE_KEYS[problem.rule.code];
  if (problem.rule === undefined || key === undefined) return `${problem.path}: ${problem.reason}`;
  const params = Object.fromEntries(Object.entries(problem.rule.params).map(([name, value]) => [name, asValue(value)]));
  const why = t(key, params);
  return problem.within === undefined ? `${problem.path}: ${why}` : `${problem.path}: ${problem.within}: ${why}`;
}

export function definitionProblemLines(error: DefinitionFileError, t: Tr): string[] {
  const lines = error.problems.map((p) => `${error.file}: ${problemText(p, t)}`);
  return error.more > 0 ? [...lines, t("operator.reasons.definition.more", { file: error.file, count: error.more })] : lines;
}
