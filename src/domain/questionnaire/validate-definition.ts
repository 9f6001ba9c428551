import { SCHEMA_MESSAGES, definitionSchema, type ChoiceOption, type Criterion, type IndexDefinition } from "./definition-schema.js";
import { checkShape, type FileProblem } from "./json-path.js";
import { hasAtMostTwoDecimals, toHundredths } from "./hundredths.js";

/** One problem in a definition file: where (a JSON path) and why. */
export type DefinitionProblem = FileProblem;

export type DefinitionValidation =
  | { readonly ok: true; readonly definition: IndexDefinition }
  | { readonly ok: false; readonly problems: readonly DefinitionProblem[] };

/** The one-line form operators see: `pillars[1].maxScore: must equal … (18 ≠ 17)`. */
export function formatProblem(problem: DefinitionProblem): string {
  return `${problem.path}: ${problem.reason}`;
}

/**
 * Validates parsed JSON against every rule of docs/definition-format.md.
 * Shape errors are reported first; the cross-field rules run only on a well-shaped file,
 * because they would mostly repeat the shape errors in other words.
 */
export function validateDefinition(input: unknown): DefinitionValidation {
  const parsed = checkShape(definitionSchema, input);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(withSchemaRule) };
  const problems = checkRules(parsed.data);
  return problems.length === 0 ? { ok: true, definition: parsed.data } : { ok: false, problems };
}

const SCHEMA_CODES = new Map<string, string>(Object.entries(SCHEMA_MESSAGES).map(([code, message]) => [message, code]));

/** A shape problem whose message is one of the schema's own gets that message's code as its rule. */
function withSchemaRule(problem: DefinitionProblem): DefinitionProblem {
  const code = problem.rule === undefined ? SCHEMA_CODES.get(problem.reason) : undefined;
  return code === undefined ? problem : { ...problem, rule: { code, params: {} } };
}

const fmt = (hundredths: number): string => String(hundredths / 100);

type Params = Readonly<Record<string, string | number>>;

/** Each rule's English line; the code and its values go with it so a command can say it in the operator's language. */
const RULES = {
  duplicateId: (p: Params) => `duplicate id "${p.id}" (first used at ${p.first})`,
  twoDecimals: (p: Params) => `must have at most 2 decimals (${p.value})`,
  firstLevelZero: (p: Params) => `the first level must start at 0 (${p.value})`,
  levelNotAscending: (p: Params) => `must be greater than the previous level's minScore (${p.value} ≤ ${p.previous})`,
  levelAboveMax: (p: Params) => `greater than the file's maxScore (${p.value} > ${p.max})`,
  pillarId: (p: Params) => `must look like P<n> ("${p.id}")`,
  indicatorId: (p: Params) => `must look like ${p.pillar}.<m> ("${p.id}")`,
  criterionId: (p: Params) => `must look like ${p.indicator}.<k> ("${p.id}")`,
  pillarSum: (p: Params) => `must equal the sum of its criteria's maxScore (${p.value} ≠ ${p.sum})`,
  totalSum: (p: Params) => `must equal the sum of the pillars' maxScore (${p.value} ≠ ${p.sum})`,
  aboveCriterionMax: (p: Params) => `greater than the criterion's maxScore (${p.value} > ${p.max})`,
  bestOption: (p: Params) => `the best option's score must equal the criterion's maxScore (${p.best} ≠ ${p.max})`,
  optionsSum: (p: Params) => `the options' scores must add up to at least the criterion's maxScore (${p.sum} < ${p.max})`,
  maxBelowMin: (p: Params) => `must not be less than min (${p.max} < ${p.min})`,
  bandsOrLinear: () => `needs exactly one of "bands" or "linear"`,
  firstBand: (p: Params) => `the first band must start at min (${p.from} ≠ ${p.min})`,
  bandsOrder: (p: Params) => `bands must be sorted by "from" ascending (${p.from} ≤ ${p.previous})`,
  bandsDecrease: (p: Params) => `band scores must never decrease (${p.score} < ${p.previous})`,
  lastBand: (p: Params) => `the last band's score must equal the criterion's maxScore (${p.score} ≠ ${p.max})`,
  fewOptions: (p: Params) => `needs at least 2 options (${p.count})`,
  duplicateOption: (p: Params) => `duplicate option id "${p.id}"`,
} as const;

export type DefinitionRule = keyof typeof RULES;

function checkRules(def: IndexDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add: Add = (path, code, params = {}) => void problems.push({ path, reason: RULES[code](params), rule: { code, params } });
  const seenIds = new Map<string, string>();
  const claimId = (id: string, path: string): void => {
    const first = seenIds.get(id);
    if (first !== undefined) add(`${path}.id`, "duplicateId", { id, first });
    else seenIds.set(id, path);
  };
  const checkScore = (value: number, path: string): void => {
    if (!hasAtMostTwoDecimals(value)) add(path, "twoDecimals", { value });
  };

  checkScore(def.maxScore, "maxScore");

  def.levels.forEach((level, i) => {
    const path = `levels[${i}]`;
    claimId(level.id, path);
    checkScore(level.minScore, `${path}.minScore`);
    if (i === 0 && level.minScore !== 0) add(`${path}.minScore`, "firstLevelZero", { value: level.minScore });
    const previous = def.levels[i - 1];
    if (previous && level.minScore <= previous.minScore) {
      add(`${path}.minScore`, "levelNotAscending", { value: level.minScore, previous: previous.minScore });
    }
    if (level.minScore > def.maxScore) add(`${path}.minScore`, "levelAboveMax", { value: level.minScore, max: def.maxScore });
  });

  let pillarsTotal = 0;
  def.pillars.forEach((pillar, p) => {
    const pillarPath = `pillars[${p}]`;
    claimId(pillar.id, pillarPath);
    checkScore(pillar.maxScore, `${pillarPath}.maxScore`);
    if (!/^P\d+$/.test(pillar.id)) add(`${pillarPath}.id`, "pillarId", { id: pillar.id });
    pillarsTotal += toHundredths(pillar.maxScore);

    let criteriaTotal = 0;
    pillar.indicators.forEach((indicator, i) => {
      const indicatorPath = `${pillarPath}.indicators[${i}]`;
      claimId(indicator.id, indicatorPath);
      if (!/^P\d+\.\d+$/.test(indicator.id) || !indicator.id.startsWith(`${pillar.id}.`)) {
        add(`${indicatorPath}.id`, "indicatorId", { pillar: pillar.id, id: indicator.id });
      }
      indicator.criteria.forEach((criterion, c) => {
        const criterionPath = `${indicatorPath}.criteria[${c}]`;
        claimId(criterion.id, criterionPath);
        if (!/^P\d+\.\d+\.\d+$/.test(criterion.id) || !criterion.id.startsWith(`${indicator.id}.`)) {
          add(`${criterionPath}.id`, "criterionId", { indicator: indicator.id, id: criterion.id });
        }
        checkScore(criterion.maxScore, `${criterionPath}.maxScore`);
        criteriaTotal += toHundredths(criterion.maxScore);
        checkAnswer(criterion, `${criterionPath}.answer`, add, checkScore);
      });
    });
    if (criteriaTotal !== toHundredths(pillar.maxScore)) {
      add(`${pillarPath}.maxScore`, "pillarSum", { value: pillar.maxScore, sum: fmt(criteriaTotal) });
    }
  });
  if (pillarsTotal !== toHundredths(def.maxScore)) {
    add("maxScore", "totalSum", { value: def.maxScore, sum: fmt(pillarsTotal) });
  }
  return problems;
}

type Add = (path: string, code: DefinitionRule, params?: Params) => void;

function checkAnswer(criterion: Criterion, path: string, add: Add, checkScore: (v: number, p: string) => void): void {
  const max = toHundredths(criterion.maxScore);
  const capped = (score: number, at: string): void => {
    checkScore(score, at);
    if (toHundredths(score) > max) add(at, "aboveCriterionMax", { value: score, max: criterion.maxScore });
  };
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return;
    case "choice":
    case "multi": {
      checkOptions(spec.options, path, add, capped);
      if (spec.options.length === 0) return;
      const scores = spec.options.map((o) => toHundredths(o.score));
      if (spec.type === "choice") {
        const best = Math.max(...scores);
        if (best !== max) {
          add(`${path}.options`, "bestOption", { best: fmt(best), max: criterion.maxScore });
        }
      } else {
        const sum = scores.reduce((a, b) => a + b, 0);
        if (sum < max) {
          add(`${path}.options`, "optionsSum", { sum: fmt(sum), max: criterion.maxScore });
        }
      }
      return;
    }
    case "number": {
      if (spec.max !== undefined && spec.max < spec.min) add(`${path}.max`, "maxBelowMin", { max: spec.max, min: spec.min });
      if ((spec.bands === undefined) === (spec.linear === undefined)) {
        add(path, "bandsOrLinear");
        return;
      }
      if (spec.bands === undefined) return;
      spec.bands.forEach((band, b) => {
        const bandPath = `${path}.bands[${b}]`;
        capped(band.score, `${bandPath}.score`);
        const previous = spec.bands?.[b - 1];
        if (b === 0 && band.from !== spec.min) add(`${bandPath}.from`, "firstBand", { from: band.from, min: spec.min });
        if (previous && band.from <= previous.from) add(`${bandPath}.from`, "bandsOrder", { from: band.from, previous: previous.from });
        if (previous && band.score < previous.score) add(`${bandPath}.score`, "bandsDecrease", { score: band.score, previous: previous.score });
      });
      const last = spec.bands[spec.bands.length - 1];
      if (last && toHundredths(last.score) !== max) {
        add(`${path}.bands[${spec.bands.length - 1}].score`, "lastBand", { score: last.score, max: criterion.maxScore });
      }
      return;
    }
  }
}

function checkOptions(options: readonly ChoiceOption[], path: string, add: Add, capped: (score: number, at: string) => void): void {
  if (options.length < 2) add(`${path}.options`, "fewOptions", { count: options.length });
  const seen = new Set<string>();
  options.forEach((option, o) => {
    const optionPath = `${path}.options[${o}]`;
    if (seen.has(option.id)) add(`${optionPath}.id`, "duplicateOption", { id: option.id });
    seen.add(option.id);
    capped(option.score, `${optionPath}.score`);
  });
}
