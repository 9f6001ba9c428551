import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { AnswerSpec, Criterion, IndexDefinition, LocalizedText } from "./definition-schema.js";
import { listCriteria } from "./definition-index.js";
import { formatProblem, validateDefinition, type DefinitionProblem } from "./validate-definition.js";

const text = (vi: string): LocalizedText => ({ vi, en: `${vi} (en)` });

/**
 * A fresh, valid definition on every call (total 12), with one criterion of every answer kind:
 * P1.1.1 yesno 2, P1.1.2 choice 2, P1.2.1 multi 2, P1.2.2 number+bands 4, P2.1.1 number+linear 2.
 */
function validDefinition(): IndexDefinition {
  return {
    id: "small-test",
    title: text("Bộ nhỏ"),
    source: { decision: "1/QĐ-TEST", issuedOn: "2024-01-02", official: false, note: text("Ghi chú") },
    maxScore: 12,
    levels: [
      { id: "weak", name: text("Yếu"), minScore: 0 },
      { id: "average", name: text("Trung bình"), minScore: 5 },
      { id: "good", name: text("Tốt"), minScore: 9 },
    ],
    pillars: [
      {
        id: "P1",
        name: text("Trụ cột 1"),
        maxScore: 10,
        indicators: [
          {
            id: "P1.1",
            name: text("Chỉ số 1.1"),
            criteria: [
              { id: "P1.1.1", question: text("Có chiến lược?"), maxScore: 2, evidence: "required", answer: { type: "yesno" } },
              {
                id: "P1.1.2",
                question: text("Mức độ?"),
                help: text("Chọn một"),
                maxScore: 2,
                evidence: "optional",
                answer: {
                  type: "choice",
                  options: [
                    { id: "a", label: text("Chưa"), score: 0 },
                    { id: "b", label: text("Một phần"), score: 1 },
                    { id: "c", label: text("Đầy đủ"), score: 2 },
                  ],
                },
              },
            ],
          },
          {
            id: "P1.2",
            name: text("Chỉ số 1.2"),
            criteria: [
              {
                id: "P1.2.1",
                question: text("Những kênh nào?"),
                maxScore: 2,
                evidence: "none",
                answer: {
                  type: "multi",
                  options: [
                    { id: "a", label: text("Web"), score: 1 },
                    { id: "b", label: text("App"), score: 1 },
                    { id: "c", label: text("Podcast"), score: 0.5 },
                  ],
                },
              },
              {
                id: "P1.2.2",
                question: text("Tỷ lệ?"),
                maxScore: 4,
                evidence: "none",
                answer: {
                  type: "number",
                  unit: "percent",
                  min: 0,
                  max: 100,
                  bands: [
                    { from: 0, score: 0 },
                    { from: 50, score: 2 },
                    { from: 80, score: 4 },
                  ],
                },
              },
            ],
          },
        ],
      },
      {
        id: "P2",
        name: text("Trụ cột 2"),
        maxScore: 2,
        indicators: [
          {
            id: "P2.1",
            name: text("Chỉ số 2.1"),
            criteria: [
              {
                id: "P2.1.1",
                question: text("Bao nhiêu?"),
                maxScore: 2,
                evidence: "none",
                answer: { type: "number", unit: "count", min: 0, linear: { target: 3 } },
              },
            ],
          },
        ],
      },
    ],
  };
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`test setup: no item at [${index}]`);
  return item;
}

const criterion = (d: IndexDefinition, p: number, i: number, c: number): Criterion =>
  at(at(at(d.pillars, p).indicators, i).criteria, c);

type OptionsSpec = Extract<AnswerSpec, { type: "choice" | "multi" }>;
type NumberSpec = Extract<AnswerSpec, { type: "number" }>;

function optionsOf(c: Criterion): OptionsSpec {
  if (c.answer.type !== "choice" && c.answer.type !== "multi") throw new Error(`test setup: ${c.id} has no options`);
  return c.answer;
}

function numberOf(c: Criterion): NumberSpec {
  if (c.answer.type !== "number") throw new Error(`test setup: ${c.id} is not a number criterion`);
  return c.answer;
}

function bandsOf(c: Criterion): NonNullable<NumberSpec["bands"]> {
  const bands = numberOf(c).bands;
  if (bands === undefined) throw new Error(`test setup: ${c.id} has no bands`);
  return bands;
}

/** For mutations that break the typed shape on purpose (unknown or missing fields). */
const loose = (value: object): Record<string, unknown> => value as Record<string, unknown>;

const choiceCriterion = (d: IndexDefinition): Criterion => criterion(d, 0, 0, 1);
const multiCriterion = (d: IndexDefinition): Criterion => criterion(d, 0, 1, 0);
const bandsCriterion = (d: IndexDefinition): Criterion => criterion(d, 0, 1, 1);
const linearCriterion = (d: IndexDefinition): Criterion => criterion(d, 1, 0, 0);

const C0 = "pillars[0].indicators[0].criteria[0]";
const CHOICE = "pillars[0].indicators[0].criteria[1]";
const MULTI = "pillars[0].indicators[1].criteria[0]";
const BANDS = "pillars[0].indicators[1].criteria[1]";
const LINEAR = "pillars[1].indicators[0].criteria[0]";

function problemsOf(d: unknown): readonly DefinitionProblem[] {
  const result = validateDefinition(d);
  if (result.ok) throw new Error("expected the definition to be rejected, but it validated");
  return result.problems;
}

describe("validateDefinition", () => {
  it("when the definition follows every rule, then it validates and keeps its content", () => {
    const result = validateDefinition(validDefinition());
    expect(result).toEqual({ ok: true, definition: validDefinition() });
  });

  it("when a helper copy is mutated, then the next copy is still valid (cases are independent)", () => {
    const first = validDefinition();
    first.maxScore = 99;
    expect(validateDefinition(validDefinition()).ok).toBe(true);
  });

  // [rule, mutation, path, key part of the reason, how many problems in total]
  const ruleCases: Array<[string, (d: IndexDefinition) => void, string, string, number]> = [
    // Shape: unknown fields
    ["an unknown field at the root", (d) => void (loose(d).extra = 1), "(root)", 'unknown field "extra"', 1],
    ["an unknown field in source", (d) => void (loose(d.source).officail = true), "source", 'unknown field "officail"', 1],
    ["an unknown field in a criterion", (d) => void (loose(criterion(d, 0, 0, 0)).hint = "x"), C0, 'unknown field "hint"', 1],
    ["an unknown field in an answer", (d) => void (loose(criterion(d, 0, 0, 0).answer).options = []), `${C0}.answer`, 'unknown field "options"', 1],
    [
      "an unknown field in an option",
      (d) => void (loose(at(optionsOf(choiceCriterion(d)).options, 1)).points = 1),
      `${CHOICE}.answer.options[1]`,
      'unknown field "points"',
      1,
    ],
    [
      "a typo in a field name (band for bands)",
      (d) => {
        const spec = loose(numberOf(bandsCriterion(d)));
        spec.band = spec.bands;
        delete spec.bands;
      },
      `${BANDS}.answer`,
      'unknown field "band"',
      1,
    ],
    ["an answer without type", (d) => void delete loose(criterion(d, 0, 0, 0).answer).type, `${C0}.answer.type`, "Invalid discriminator value", 1],
    ["an unknown field in a localised text", (d) => void (loose(d.title).fr = "x"), "title", 'unknown field "fr"', 1],
    // Shape: missing required fields
    ["a criterion without question", (d) => void delete loose(criterion(d, 0, 0, 0)).question, `${C0}.question`, "is required", 1],
    ["a pillar without maxScore", (d) => void delete loose(at(d.pillars, 1)).maxScore, "pillars[1].maxScore", "is required", 1],
    ["a localised text without en", (d) => void delete loose(d.title).en, "title.en", "is required", 1],
    ["no levels", (d) => void delete loose(d).levels, "levels", "is required", 1],
    ["a criterion without evidence", (d) => void delete loose(criterion(d, 0, 0, 0)).evidence, `${C0}.evidence`, '"required"|"optional"|"none"', 1],
    ["a number answer without unit", (d) => void delete loose(numberOf(linearCriterion(d))).unit, `${LINEAR}.answer.unit`, "expected one of", 1],
    // Shape: other
    ["an empty vi title", (d) => void (d.title.vi = ""), "title.vi", "must not be empty", 1],
    ["a blank vi question", (d) => void (criterion(d, 0, 0, 0).question.vi = "   "), `${C0}.question.vi`, "must not be empty", 1],
    ["an unknown evidence value", (d) => void (loose(criterion(d, 0, 0, 0)).evidence = "maybe"), `${C0}.evidence`, "expected one of", 1],
    ["an unknown answer type", (d) => void (loose(criterion(d, 0, 0, 0).answer).type = "yes-no"), `${C0}.answer.type`, "'yesno' | 'choice' | 'multi' | 'number'", 1],
    ["a linear target of 0", (d) => void (loose(numberOf(linearCriterion(d))).linear = { target: 0 }), `${LINEAR}.answer.linear.target`, "greater than 0", 1],
    ["an issuedOn that is not a date", (d) => void (d.source.issuedOn = "24/10/2024"), "source.issuedOn", "must be a date", 1],
    ["an official flag that is a string", (d) => void (loose(d.source).official = "no"), "source.official", "expected boolean", 1],
    ["a file id with capitals", (d) => void (d.id = "Small Test"), "id", "lowercase letters", 1],
    // Ids
    [
      "two criteria with the same id",
      (d) => void (criterion(d, 0, 0, 1).id = "P1.1.1"),
      `${CHOICE}.id`,
      `duplicate id "P1.1.1" (first used at ${C0})`,
      1,
    ],
    ["two levels with the same id", (d) => void (at(d.levels, 2).id = "weak"), "levels[2].id", 'duplicate id "weak" (first used at levels[0])', 1],
    ["a level and a pillar sharing an id", (d) => void (at(d.levels, 0).id = "P2"), "pillars[1].id", 'duplicate id "P2" (first used at levels[0])', 1],
    ["a pillar id not like P<n>", (d) => void (at(d.pillars, 1).id = "Pillar2"), "pillars[1].id", 'must look like P<n> ("Pillar2")', 2],
    ["an indicator id not like P<n>.<m>", (d) => void (at(at(d.pillars, 1).indicators, 0).id = "P2.x"), "pillars[1].indicators[0].id", 'must look like P2.<m> ("P2.x")', 2],
    [
      "an indicator id under the wrong pillar",
      (d) => {
        at(at(d.pillars, 1).indicators, 0).id = "P1.3";
        criterion(d, 1, 0, 0).id = "P1.3.1";
      },
      "pillars[1].indicators[0].id",
      'must look like P2.<m> ("P1.3")',
      1,
    ],
    ["a criterion id not like P<n>.<m>.<k>", (d) => void (criterion(d, 1, 0, 0).id = "P2.1.a"), `${LINEAR}.id`, 'must look like P2.1.<k> ("P2.1.a")', 1],
    ["a criterion id under the wrong indicator", (d) => void (criterion(d, 0, 1, 0).id = "P1.1.3"), `${MULTI}.id`, 'must look like P1.2.<k> ("P1.1.3")', 1],
    // Scores ≥ 0 with at most 2 decimals
    ["a negative criterion maxScore", (d) => void (criterion(d, 0, 0, 0).maxScore = -2), `${C0}.maxScore`, "must be 0 or more", 1],
    ["a negative option score", (d) => void (at(optionsOf(choiceCriterion(d)).options, 0).score = -1), `${CHOICE}.answer.options[0].score`, "must be 0 or more", 1],
    ["a negative band score", (d) => void (at(bandsOf(bandsCriterion(d)), 0).score = -1), `${BANDS}.answer.bands[0].score`, "must be 0 or more", 1],
    ["a negative level minScore", (d) => void (at(d.levels, 0).minScore = -1), "levels[0].minScore", "must be 0 or more", 1],
    ["a negative file maxScore", (d) => void (d.maxScore = -12), "maxScore", "must be 0 or more", 1],
    ["an option score with 3 decimals", (d) => void (at(optionsOf(multiCriterion(d)).options, 2).score = 0.125), `${MULTI}.answer.options[2].score`, "must have at most 2 decimals (0.125)", 1],
    ["a band score with 3 decimals", (d) => void (at(bandsOf(bandsCriterion(d)), 1).score = 2.005), `${BANDS}.answer.bands[1].score`, "must have at most 2 decimals (2.005)", 1],
    ["a level minScore with 3 decimals", (d) => void (at(d.levels, 1).minScore = 5.555), "levels[1].minScore", "must have at most 2 decimals (5.555)", 1],
    [
      "a criterion maxScore with 3 decimals",
      (d) => void (criterion(d, 0, 0, 0).maxScore = 2.001),
      `${C0}.maxScore`,
      "must have at most 2 decimals (2.001)",
      1,
    ],
    // Caps against the criterion's maxScore
    [
      "an option scoring above the criterion's maxScore",
      (d) => void (at(optionsOf(choiceCriterion(d)).options, 1).score = 3),
      `${CHOICE}.answer.options[1].score`,
      "greater than the criterion's maxScore (3 > 2)",
      2, // the best option then no longer equals maxScore either
    ],
    [
      "a band scoring above the criterion's maxScore",
      (d) => void (at(bandsOf(bandsCriterion(d)), 2).score = 5),
      `${BANDS}.answer.bands[2].score`,
      "greater than the criterion's maxScore (5 > 4)",
      2,
    ],
    [
      "a choice whose best option is below maxScore",
      (d) => void (at(optionsOf(choiceCriterion(d)).options, 2).score = 1.5),
      `${CHOICE}.answer.options`,
      "the best option's score must equal the criterion's maxScore (1.5 ≠ 2)",
      1,
    ],
    [
      "bands whose last score is below maxScore",
      (d) => void (at(bandsOf(bandsCriterion(d)), 2).score = 3.5),
      `${BANDS}.answer.bands[2].score`,
      "the last band's score must equal the criterion's maxScore (3.5 ≠ 4)",
      1,
    ],
    [
      "multi options adding up to less than maxScore",
      (d) => {
        const options = optionsOf(multiCriterion(d)).options;
        at(options, 1).score = 0.25;
        at(options, 2).score = 0.5;
      },
      `${MULTI}.answer.options`,
      "must add up to at least the criterion's maxScore (1.75 < 2)",
      1,
    ],
    // Sums
    [
      "a pillar maxScore that is not the sum of its criteria",
      (d) => {
        at(d.pillars, 0).maxScore = 11;
        d.maxScore = 13;
      },
      "pillars[0].maxScore",
      "must equal the sum of its criteria's maxScore (11 ≠ 10)",
      1,
    ],
    ["a file maxScore that is not the sum of the pillars", (d) => void (d.maxScore = 13), "maxScore", "must equal the sum of the pillars' maxScore (13 ≠ 12)", 1],
    // Options
    ["two options with the same id", (d) => void (at(optionsOf(choiceCriterion(d)).options, 1).id = "a"), `${CHOICE}.answer.options[1].id`, 'duplicate option id "a"', 1],
    [
      "a choice with one option",
      (d) => void (optionsOf(choiceCriterion(d)).options = [{ id: "a", label: text("Có"), score: 2 }]),
      `${CHOICE}.answer.options`,
      "needs at least 2 options (1)",
      1,
    ],
    [
      "a multi with one option",
      (d) => void (optionsOf(multiCriterion(d)).options = [{ id: "a", label: text("Web"), score: 2 }]),
      `${MULTI}.answer.options`,
      "needs at least 2 options (1)",
      1,
    ],
    ["a choice with no options", (d) => void (optionsOf(choiceCriterion(d)).options = []), `${CHOICE}.answer.options`, "needs at least 2 options (0)", 1],
    // Levels
    ["two levels with the same minScore", (d) => void (at(d.levels, 2).minScore = 5), "levels[2].minScore", "must be greater than the previous level's minScore (5 ≤ 5)", 1],
    ["levels in descending order", (d) => void (at(d.levels, 2).minScore = 4), "levels[2].minScore", "(4 ≤ 5)", 1],
    ["a first level above 0", (d) => void (at(d.levels, 0).minScore = 1), "levels[0].minScore", "the first level must start at 0 (1)", 1],
    ["a level above the file's maxScore", (d) => void (at(d.levels, 2).minScore = 13), "levels[2].minScore", "greater than the file's maxScore (13 > 12)", 1],
    // Number answers
    [
      "a number answer with both bands and linear",
      (d) => void (numberOf(bandsCriterion(d)).linear = { target: 100 }),
      `${BANDS}.answer`,
      'needs exactly one of "bands" or "linear"',
      1,
    ],
    ["a number answer with neither bands nor linear", (d) => void delete numberOf(linearCriterion(d)).linear, `${LINEAR}.answer`, 'needs exactly one of "bands" or "linear"', 1],
    ["bands not sorted by from", (d) => void (at(bandsOf(bandsCriterion(d)), 2).from = 40), `${BANDS}.answer.bands[2].from`, 'sorted by "from" ascending (40 ≤ 50)', 1],
    ["a first band not starting at min", (d) => void (at(bandsOf(bandsCriterion(d)), 0).from = 10), `${BANDS}.answer.bands[0].from`, "the first band must start at min (10 ≠ 0)", 1],
    [
      "band scores that decrease",
      (d) => {
        const bands = bandsOf(bandsCriterion(d));
        at(bands, 0).score = 3;
      },
      `${BANDS}.answer.bands[1].score`,
      "band scores must never decrease (2 < 3)",
      1,
    ],
    ["a max below min", (d) => void (numberOf(bandsCriterion(d)).max = -1), `${BANDS}.answer.max`, "must not be less than min (-1 < 0)", 1],
  ];

  it.each(ruleCases.map(([rule, mutate, path, reason, count]) => [rule, path, reason, count, mutate] as const))(
    "when the file has %s, then the error names %s: %s",
    (_rule, path, reason, count, mutate) => {
    const d = validDefinition();
    mutate(d);
    const problems = problemsOf(d);
    expect(problems).toContainEqual(expect.objectContaining({ path, reason: expect.stringContaining(reason) }));
    expect(problems).toHaveLength(count);
    },
  );

  it.each<[string, unknown]>([
    ["null", null],
    ["an array", []],
    ["a string", "press-dx-1827-2024"],
  ])("when the file is %s instead of an object, then one error names the root", (_label, input) => {
    expect(problemsOf(input)).toEqual([{ path: "(root)", reason: expect.stringContaining("expected object") }]);
  });

  it("when an error is formatted, then it is one line: path, colon, reason", () => {
    const d = validDefinition();
    at(optionsOf(choiceCriterion(d)).options, 1).score = 3;
    const lines = problemsOf(d).map(formatProblem);
    expect(lines).toContain(`${CHOICE}.answer.options[1].score: greater than the criterion's maxScore (3 > 2)`);
    for (const line of lines) expect(line).not.toContain("\n");
  });

  it("when a rule is broken, then the problem carries the rule's code and values, for commands to say it in another language", () => {
    const d = validDefinition();
    at(optionsOf(choiceCriterion(d)).options, 1).score = 3;
    expect(problemsOf(d)).toContainEqual({
      path: `${CHOICE}.answer.options[1].score`,
      reason: "greater than the criterion's maxScore (3 > 2)",
      rule: { code: "aboveCriterionMax", params: { value: 3, max: 2 } },
    });
  });
});

const SHIPPED = [
  { file: "press-dx-1827-2024.json", id: "press-dx-1827-2024", criteria: 43 },
  { file: "press-dx-951-2023.json", id: "press-dx-951-2023", criteria: 42 },
] as const;

function loadShipped(file: string): IndexDefinition {
  const url = new URL(`../../../definitions/${file}`, import.meta.url);
  const result = validateDefinition(JSON.parse(readFileSync(fileURLToPath(url), "utf8")));
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.definition;
}

describe.each(SHIPPED)("shipped definition $file", ({ file, id, criteria }) => {
  it("when validated, then it has no problems", () => {
    const url = new URL(`../../../definitions/${file}`, import.meta.url);
    const result = validateDefinition(JSON.parse(readFileSync(fileURLToPath(url), "utf8")));
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  it(`when counted, then it has id ${id}, total 100, ${criteria} criteria and 10 indicators`, () => {
    const d = loadShipped(file);
    expect(d.id).toBe(id);
    expect(d.maxScore).toBe(100);
    expect(listCriteria(d)).toHaveLength(criteria);
    expect(d.pillars.flatMap((p) => p.indicators)).toHaveLength(10);
  });

  it("when read, then the pillar maxima are 18/24/20/23/15 and the source is not official", () => {
    const d = loadShipped(file);
    expect(d.pillars.map((p) => [p.id, p.maxScore])).toEqual([
      ["P1", 18],
      ["P2", 24],
      ["P3", 20],
      ["P4", 23],
      ["P5", 15],
    ]);
    expect(d.source.official).toBe(false);
  });

  it("when read, then every criterion has a question in both vi and en", () => {
    const missing = listCriteria(loadShipped(file))
      .filter(({ criterion }) => criterion.question.vi.trim() === "" || criterion.question.en.trim() === "")
      .map(({ criterion }) => criterion.id);
    expect(missing).toEqual([]);
  });
});
