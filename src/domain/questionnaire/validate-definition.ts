import { definitionSchema, type ChoiceOption, type Criterion, type IndexDefinition } from "./definition-schema.js";
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
  if (!parsed.ok) return parsed;
  const problems = checkRules(parsed.data);
  return problems.length === 0 ? { ok: true, definition: parsed.data } : { ok: false, problems };
}

const fmt = (hundredths: number): string => String(hundredths / 100);

function checkRules(def: IndexDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (path: string, reason: string): void => void problems.push({ path, reason });
  const seenIds = new Map<string, string>();
  const claimId = (id: string, path: string): void => {
    const first = seenIds.get(id);
    if (first !== undefined) add(`${path}.id`, `duplicate id "${id}" (first used at ${first})`);
    else seenIds.set(id, path);
  };
  const checkScore = (value: number, path: string): void => {
    if (!hasAtMostTwoDecimals(value)) add(path, `must have at most 2 decimals (${value})`);
  };

  checkScore(def.maxScore, "maxScore");

  def.levels.forEach((level, i) => {
    const path = `levels[${i}]`;
    claimId(level.id, path);
    checkScore(level.minScore, `${path}.minScore`);
    if (i === 0 && level.minScore !== 0) add(`${path}.minScore`, `the first level must start at 0 (${level.minScore})`);
    const previous = def.levels[i - 1];
    if (previous && level.minScore <= previous.minScore) {
      add(`${path}.minScore`, `must be greater than the previous level's minScore (${level.minScore} ≤ ${previous.minScore})`);
    }
    if (level.minScore > def.maxScore) add(`${path}.minScore`, `greater than the file's maxScore (${level.minScore} > ${def.maxScore})`);
  });

  let pillarsTotal = 0;
  def.pillars.forEach((pillar, p) => {
    const pillarPath = `pillars[${p}]`;
    claimId(pillar.id, pillarPath);
    checkScore(pillar.maxScore, `${pillarPath}.maxScore`);
    if (!/^P\d+$/.test(pillar.id)) add(`${pillarPath}.id`, `must look like P<n> ("${pillar.id}")`);
    pillarsTotal += toHundredths(pillar.maxScore);

    let criteriaTotal = 0;
    pillar.indicators.forEach((indicator, i) => {
      const indicatorPath = `${pillarPath}.indicators[${i}]`;
      claimId(indicator.id, indicatorPath);
      if (!/^P\d+\.\d+$/.test(indicator.id) || !indicator.id.startsWith(`${pillar.id}.`)) {
        add(`${indicatorPath}.id`, `must look like ${pillar.id}.<m> ("${indicator.id}")`);
      }
      indicator.criteria.forEach((criterion, c) => {
        const criterionPath = `${indicatorPath}.criteria[${c}]`;
        claimId(criterion.id, criterionPath);
        if (!/^P\d+\.\d+\.\d+$/.test(criterion.id) || !criterion.id.startsWith(`${indicator.id}.`)) {
          add(`${criterionPath}.id`, `must look like ${indicator.id}.<k> ("${criterion.id}")`);
        }
        checkScore(criterion.maxScore, `${criterionPath}.maxScore`);
        criteriaTotal += toHundredths(criterion.maxScore);
        checkAnswer(criterion, `${criterionPath}.answer`, add, checkScore);
      });
    });
    if (criteriaTotal !== toHundredths(pillar.maxScore)) {
      add(
        `${pillarPath}.maxScore`,
        `must equal the sum of its criteria's maxScore (${pillar.maxScore} ≠ ${fmt(criteriaTotal)})`,
      );
    }
  });
  if (pillarsTotal !== toHundredths(def.maxScore)) {
    add("maxScore", `must equal the sum of the pillars' maxScore (${def.maxScore} ≠ ${fmt(pillarsTotal)})`);
  }
  return problems;
}

type Add = (path: string, reason: string) => void;

function checkAnswer(criterion: Criterion, path: string, add: Add, checkScore: (v: number, p: string) => void): void {
  const max = toHundredths(criterion.maxScore);
  const capped = (score: number, at: string): void => {
    checkScore(score, at);
    if (toHundredths(score) > max) add(at, `greater than the criterion's maxScore (${score} > ${criterion.maxScore})`);
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
          add(`${path}.options`, `the best option's score must equal the criterion's maxScore (${fmt(best)} ≠ ${criterion.maxScore})`);
        }
      } else {
        const sum = scores.reduce((a, b) => a + b, 0);
        if (sum < max) {
          add(`${path}.options`, `the options' scores must add up to at least the criterion's maxScore (${fmt(sum)} < ${criterion.maxScore})`);
        }
      }
      return;
    }
    case "number": {
      if (spec.max !== undefined && spec.max < spec.min) add(`${path}.max`, `must not be less than min (${spec.max} < ${spec.min})`);
      if ((spec.bands === undefined) === (spec.linear === undefined)) {
        add(path, `needs exactly one of "bands" or "linear"`);
        return;
      }
      if (spec.bands === undefined) return;
      spec.bands.forEach((band, b) => {
        const bandPath = `${path}.bands[${b}]`;
        capped(band.score, `${bandPath}.score`);
        const previous = spec.bands?.[b - 1];
        if (b === 0 && band.from !== spec.min) add(`${bandPath}.from`, `the first band must start at min (${band.from} ≠ ${spec.min})`);
        if (previous && band.from <= previous.from) add(`${bandPath}.from`, `bands must be sorted by "from" ascending (${band.from} ≤ ${previous.from})`);
        if (previous && band.score < previous.score) add(`${bandPath}.score`, `band scores must never decrease (${band.score} < ${previous.score})`);
      });
      const last = spec.bands[spec.bands.length - 1];
      if (last && toHundredths(last.score) !== max) {
        add(`${path}.bands[${spec.bands.length - 1}].score`, `the last band's score must equal the criterion's maxScore (${last.score} ≠ ${criterion.maxScore})`);
      }
      return;
    }
  }
}

function checkOptions(options: readonly ChoiceOption[], path: string, add: Add, capped: (score: number, at: string) => void): void {
  if (options.length < 2) add(`${path}.options`, `needs at least 2 options (${options.length})`);
  const seen = new Set<string>();
  options.forEach((option, o) => {
    const optionPath = `${path}.options[${o}]`;
    if (seen.has(option.id)) add(`${optionPath}.id`, `duplicate option id "${option.id}"`);
    seen.add(option.id);
    capped(option.score, `${optionPath}.score`);
  });
}
