import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { AnswerValue } from "./answer-value.js";
import type { AnswerSpec, Criterion, IndexDefinition, LocalizedText } from "./definition-schema.js";
import { listCriteria } from "./definition-index.js";
import { criterionScoreH, levelFor, mostMissingPoints, scoreAssessment, scoreToJson } from "./scoring.js";
import { formatProblem, validateDefinition } from "./validate-definition.js";

const text = (vi: string): LocalizedText => ({ vi, en: vi });

const option = (id: string, score: number) => ({ id, label: text(id), score });

function criterionOf(id: string, maxScore: number, answer: AnswerSpec): Criterion {
  return { id, question: text(`Câu ${id}`), maxScore, evidence: "none", answer };
}

const yesno = (id: string, maxScore: number): Criterion => criterionOf(id, maxScore, { type: "yesno" });

const withId = (c: Criterion, id: string): Criterion => ({ ...c, id });

/** Sums in hundredths so building a fixture does not itself drift. */
const sumOf = (scores: readonly number[]): number => scores.reduce((acc, s) => acc + Math.round(s * 100), 0) / 100;

/**
 * A definition from a pillar → indicator → criteria outline; maxima are the sums, levels default to one at 0.
 * Every fixture is run through validateDefinition, so the tests never score a file the product would reject.
 */
function definitionOf(
  outline: Record<string, Record<string, readonly Criterion[]>>,
  levels: IndexDefinition["levels"] = [{ id: "only", name: text("Duy nhất"), minScore: 0 }],
): IndexDefinition {
  const pillars = Object.entries(outline).map(([pillarId, indicators]) => {
    const list = Object.entries(indicators).map(([indicatorId, criteria]) => ({ id: indicatorId, name: text(indicatorId), criteria: [...criteria] }));
    return { id: pillarId, name: text(pillarId), maxScore: sumOf(list.flatMap((i) => i.criteria.map((c) => c.maxScore))), indicators: list };
  });
  const draft: IndexDefinition = {
    id: "scoring-test",
    title: text("Thử"),
    source: { decision: "0/TEST", issuedOn: "2024-01-01", official: false, note: text("thử") },
    maxScore: sumOf(pillars.map((p) => p.maxScore)),
    levels,
    pillars,
  };
  const result = validateDefinition(draft);
  if (!result.ok) throw new Error(`test fixture is invalid:\n${result.problems.map(formatProblem).join("\n")}`);
  return result.definition;
}

function loadShipped(file: string): IndexDefinition {
  const url = new URL(`../../../definitions/${file}`, import.meta.url);
  const result = validateDefinition(JSON.parse(readFileSync(fileURLToPath(url), "utf8")));
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.definition;
}

const DX_2024 = loadShipped("press-dx-1827-2024.json");
const DX_2023 = loadShipped("press-dx-951-2023.json");

/** The answer that earns a criterion's full marks. */
function bestAnswer(c: Criterion): AnswerValue {
  const spec = c.answer;
  switch (spec.type) {
    case "yesno":
      return true;
    case "choice": {
      const best = [...spec.options].sort((a, b) => b.score - a.score)[0];
      if (best === undefined) throw new Error(`${c.id} has no options`);
      return best.id;
    }
    case "multi":
      return spec.options.map((o) => o.id);
    case "number": {
      if (spec.linear) return spec.linear.target;
      const last = spec.bands?.[spec.bands.length - 1];
      if (last === undefined) throw new Error(`${c.id} has no bands`);
      return last.from;
    }
  }
}

function fullMarks(d: IndexDefinition): Map<string, AnswerValue> {
  return new Map(listCriteria(d).map(({ criterion }) => [criterion.id, bestAnswer(criterion)]));
}

const YESNO = yesno("P1.1.1", 2);
const CHOICE = criterionOf("P1.1.2", 3, { type: "choice", options: [option("a", 0), option("b", 1.5), option("c", 3)] });
const MULTI = criterionOf("P1.1.3", 2, {
  type: "multi",
  options: [option("a", 1), option("b", 1), option("c", 0.5), option("d", 0.5)],
});
const BANDS = criterionOf("P1.1.4", 4, {
  type: "number",
  unit: "percent",
  min: 0,
  max: 100,
  bands: [
    { from: 0, score: 0 },
    { from: 30, score: 1 },
    { from: 60, score: 2.5 },
    { from: 90, score: 4 },
  ],
});
const LINEAR_3 = criterionOf("P1.1.5", 2, { type: "number", unit: "count", min: 0, linear: { target: 3 } });
const LINEAR_PERCENT = criterionOf("P1.1.6", 2, { type: "number", unit: "percent", min: 0, max: 100, linear: { target: 100 } });
const LINEAR_HALF = criterionOf("P1.1.7", 1, { type: "number", unit: "count", min: 0, linear: { target: 2 } });

// The criteria above must form a valid definition, otherwise the vectors below would prove nothing.
definitionOf({ P1: { "P1.1": [YESNO, CHOICE, MULTI, BANDS, LINEAR_3, LINEAR_PERCENT, LINEAR_HALF] } });

describe("criterionScoreH", () => {
  // [situation, expected hundredths, criterion, answer value]
  it.each<[string, number, Criterion, AnswerValue | undefined]>([
    ["a yes/no worth 2 is answered yes", 200, YESNO, true],
    ["a yes/no worth 2 is answered no", 0, YESNO, false],
    ["a yes/no is unanswered", 0, YESNO, undefined],
    ["a choice picks the worst option", 0, CHOICE, "a"],
    ["a choice picks the middle option (1.5)", 150, CHOICE, "b"],
    ["a choice picks the best option", 300, CHOICE, "c"],
    ["a multi picks nothing", 0, MULTI, []],
    ["a multi picks one half-point option", 50, MULTI, ["c"]],
    ["a multi picks 1 + 0.5", 150, MULTI, ["a", "c"]],
    ["a multi picks options adding to exactly maxScore", 200, MULTI, ["a", "b"]],
    ["a multi picks options adding to 2.5, above maxScore 2", 200, MULTI, ["a", "b", "c"]],
    ["a multi picks every option (3), above maxScore 2", 200, MULTI, ["a", "b", "c", "d"]],
    ["a banded number is at min", 0, BANDS, 0],
    ["a banded number is just below the second band", 0, BANDS, 29.99],
    ["a banded number is exactly on the second band's boundary", 100, BANDS, 30],
    ["a banded number is between the second and third band", 100, BANDS, 45],
    ["a banded number is exactly on the third band's boundary", 250, BANDS, 60],
    ["a banded number is just below the last band", 250, BANDS, 89.99],
    ["a banded number is exactly on the last band's boundary", 400, BANDS, 90],
    ["a banded number is above the last band", 400, BANDS, 100],
    ["a linear number (max 2, target 3) is 0", 0, LINEAR_3, 0],
    ["a linear number (max 2, target 3) is 1: 0.666… rounds up", 67, LINEAR_3, 1],
    ["a linear number (max 2, target 3) is 1.5", 100, LINEAR_3, 1.5],
    ["a linear number (max 2, target 3) is 2: 1.333… rounds down", 133, LINEAR_3, 2],
    ["a linear number (max 2, target 3) is at target", 200, LINEAR_3, 3],
    ["a linear number (max 2, target 3) is above target", 200, LINEAR_3, 7],
    ["a linear percentage worth 2 is 45.5%", 91, LINEAR_PERCENT, 45.5],
    ["a linear percentage worth 2 is 33.333%", 67, LINEAR_PERCENT, 33.333],
    ["a linear percentage worth 2 is 100%", 200, LINEAR_PERCENT, 100],
    ["a linear number (max 1, target 2) is 0.29: exactly 0.145 rounds half up", 15, LINEAR_HALF, 0.29],
    ["a linear number (max 1, target 2) is 1.15: exactly 0.575 rounds half up", 58, LINEAR_HALF, 1.15],
  ])("when %s, then the criterion scores %i hundredths", (_case, expected, criterion, value) => {
    expect(criterionScoreH(criterion, value)).toBe(expected);
  });
});

describe("scoreAssessment", () => {
  const def = definitionOf(
    {
      P1: { "P1.1": [YESNO, CHOICE], "P1.2": [withId(MULTI, "P1.2.1"), withId(BANDS, "P1.2.2")] },
      P2: { "P2.1": [withId(LINEAR_3, "P2.1.1")] },
    },
    [
      { id: "low", name: text("Thấp"), minScore: 0 },
      { id: "high", name: text("Cao"), minScore: 6 },
    ],
  );

  it("when nothing is answered, then every total is 0, nothing counts as answered and the first level applies", () => {
    const score = scoreAssessment(def, new Map());
    expect(score).toMatchObject({ totalH: 0, maxH: 1300, answered: 0, criteria: 5, level: { id: "low" } });
    expect(score.pillars.map((p) => [p.id, p.scoreH, p.answered])).toEqual([
      ["P1", 0, 0],
      ["P2", 0, 0],
    ]);
  });

  it.each<[string, Record<string, AnswerValue>, { total: number; answered: number; level: string; p1: number; p11: number; p12: number; p2: number }]>([
    [
      "some criteria are answered",
      { "P1.1.1": true, "P1.2.2": 45 },
      { total: 300, answered: 2, level: "low", p1: 300, p11: 200, p12: 100, p2: 0 },
    ],
    [
      "an answer scores 0 (it still counts as answered)",
      { "P1.1.1": false, "P1.1.2": "a", "P1.2.1": [] },
      { total: 0, answered: 3, level: "low", p1: 0, p11: 0, p12: 0, p2: 0 },
    ],
    [
      "every criterion is answered in part",
      { "P1.1.1": true, "P1.1.2": "b", "P1.2.1": ["a", "c"], "P1.2.2": 60, "P2.1.1": 1 },
      { total: 200 + 150 + 150 + 250 + 67, answered: 5, level: "high", p1: 750, p11: 350, p12: 400, p2: 67 },
    ],
    [
      "every criterion gets its best answer",
      { "P1.1.1": true, "P1.1.2": "c", "P1.2.1": ["a", "b", "c", "d"], "P1.2.2": 100, "P2.1.1": 3 },
      { total: 1300, answered: 5, level: "high", p1: 1100, p11: 500, p12: 600, p2: 200 },
    ],
  ])("when %s, then indicators, pillars and total add up", (_case, answers, expected) => {
    const score = scoreAssessment(def, new Map(Object.entries(answers)));
    expect(score.totalH).toBe(expected.total);
    expect(score.answered).toBe(expected.answered);
    expect(score.level.id).toBe(expected.level);
    expect(score.pillars.map((p) => p.scoreH)).toEqual([expected.p1, expected.p2]);
    expect(score.pillars[0]?.indicators.map((i) => i.scoreH)).toEqual([expected.p11, expected.p12]);
    expect(score.pillars.map((p) => p.maxH)).toEqual([1100, 200]);
    expect(score.pillars[0]?.indicators.map((i) => i.maxH)).toEqual([500, 600]);
  });

  it("when many 0.1 and 0.2 criteria are all answered yes, then the sums are exact with no floating drift", () => {
    const tenths = Array.from({ length: 10 }, (_, k) => yesno(`P1.1.${k + 1}`, 0.1));
    const fifths = Array.from({ length: 10 }, (_, k) => yesno(`P1.2.${k + 1}`, 0.2));
    const thirty = Array.from({ length: 30 }, (_, k) => yesno(`P2.1.${k + 1}`, 0.1));
    const d = definitionOf({ P1: { "P1.1": tenths, "P1.2": fifths }, P2: { "P2.1": thirty } });
    // Guard: summing these in floating point really does drift, so this test can catch it.
    expect([...tenths, ...fifths, ...thirty].reduce((acc, c) => acc + c.maxScore, 0)).not.toBe(6);

    const json = scoreToJson(d, scoreAssessment(d, fullMarks(d)));
    expect(json.total).toBe(6);
    expect(json.maxScore).toBe(6);
    expect(json.pillars.map((p) => p.score)).toEqual([3, 3]);
    expect(json.pillars[0]?.indicators.map((i) => i.score)).toEqual([1, 2]);
  });

  it("when a 0.1 and a 0.2 criterion are both answered yes, then the total is exactly 0.3", () => {
    const d = definitionOf({ P1: { "P1.1": [yesno("P1.1.1", 0.1), yesno("P1.1.2", 0.2)] } });
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(scoreToJson(d, scoreAssessment(d, fullMarks(d))).total).toBe(0.3);
  });

  it.each([
    ["press-dx-1827-2024", 43, DX_2024],
    ["press-dx-951-2023", 42, DX_2023],
  ] as const)("when every criterion of %s gets its best answer, then the total is 100 and all %i are answered", (_id, count, d) => {
    const score = scoreAssessment(d, fullMarks(d));
    expect(score.totalH).toBe(10_000);
    expect(score.answered).toBe(count);
    expect(score.level.id).toBe("excellent");
    for (const pillar of score.pillars) expect(pillar.scoreH).toBe(pillar.maxH);
  });

  it.each<[string, number, string, Record<string, AnswerValue>]>([
    // 3 + 3 + 2 + 2 = 10 points of yes/no answered "no", and P2.1.4 (linear, 2 points) at 99.5% → 1.99.
    ["ten points are lost and P2.1.4 is 99.5%", 8999, "Tốt", { "P1.1.1": false, "P1.2.1": false, "P2.2.2": false, "P2.2.4": false, "P2.1.4": 99.5 }],
    ["exactly ten points are lost", 9000, "Xuất sắc", { "P1.1.1": false, "P1.2.1": false, "P2.2.2": false, "P2.2.4": false }],
  ])("when on the 2024 index %s, then the total is %i hundredths and the level is %s", (_case, totalH, levelVi, overrides) => {
    const answers = new Map([...fullMarks(DX_2024), ...Object.entries(overrides)]);
    const score = scoreAssessment(DX_2024, answers);
    expect(score.totalH).toBe(totalH);
    expect(score.level.name.vi).toBe(levelVi);
  });
});

describe("levelFor", () => {
  it.each<[string, number, string, string, IndexDefinition]>([
    ["2024", 0, "weak", "Yếu", DX_2024],
    ["2024", 4999, "weak", "Yếu", DX_2024],
    ["2024", 5000, "average", "Trung bình", DX_2024],
    ["2024", 5999, "average", "Trung bình", DX_2024],
    ["2024", 6000, "fair", "Khá", DX_2024],
    ["2024", 6999, "fair", "Khá", DX_2024],
    ["2024", 7000, "good", "Tốt", DX_2024],
    ["2024", 8000, "good", "Tốt", DX_2024],
    ["2024", 8999, "good", "Tốt", DX_2024],
    ["2024", 9000, "excellent", "Xuất sắc", DX_2024],
    ["2024", 10_000, "excellent", "Xuất sắc", DX_2024],
    ["2023", 0, "weak", "Yếu", DX_2023],
    ["2023", 4999, "weak", "Yếu", DX_2023],
    ["2023", 5000, "average", "Trung bình", DX_2023],
    ["2023", 5999, "average", "Trung bình", DX_2023],
    ["2023", 6000, "fair", "Khá", DX_2023],
    ["2023", 6999, "fair", "Khá", DX_2023],
    ["2023", 7000, "good", "Tốt", DX_2023],
    ["2023", 7999, "good", "Tốt", DX_2023],
    ["2023", 8000, "excellent", "Xuất sắc", DX_2023],
    ["2023", 10_000, "excellent", "Xuất sắc", DX_2023],
  ])("when the %s total is %i hundredths, then the level is %s (%s)", (_index, totalH, id, vi, d) => {
    const level = levelFor(d, totalH);
    expect(level.id).toBe(id);
    expect(level.name.vi).toBe(vi);
  });
});

describe("mostMissingPoints", () => {
  const A = criterionOf("P1.1.1", 3, { type: "choice", options: [option("a", 0), option("b", 1), option("c", 3)] });
  const B = yesno("P1.1.2", 2);
  const C = yesno("P1.1.3", 2);
  const D = yesno("P2.1.1", 1);
  const E = yesno("P2.1.2", 2);
  const d = definitionOf({ P1: { "P1.1": [A, B, C] }, P2: { "P2.1": [D, E] } });

  it.each<[string, Record<string, AnswerValue>, number, Array<[string, number, boolean]>]>([
    [
      "some are partial, unanswered, full and zero",
      { "P1.1.1": "b", "P1.1.3": true, "P2.1.1": false, "P2.1.2": false },
      Infinity,
      // [id, missing hundredths, answered]: ties (200) keep the definition's order; C at full marks is left out.
      [
        ["P1.1.1", 200, true],
        ["P1.1.2", 200, false],
        ["P2.1.2", 200, true],
        ["P2.1.1", 100, true],
      ],
    ],
    [
      "nothing is answered",
      {},
      Infinity,
      [
        ["P1.1.1", 300, false],
        ["P1.1.2", 200, false],
        ["P1.1.3", 200, false],
        ["P2.1.2", 200, false],
        ["P2.1.1", 100, false],
      ],
    ],
    [
      "a limit of 2 is given",
      {},
      2,
      [
        ["P1.1.1", 300, false],
        ["P1.1.2", 200, false],
      ],
    ],
    ["everything is at full marks", { "P1.1.1": "c", "P1.1.2": true, "P1.1.3": true, "P2.1.1": true, "P2.1.2": true }, Infinity, []],
  ])("when %s, then criteria come most-missing first", (_case, answers, limit, expected) => {
    const missing = mostMissingPoints(d, new Map(Object.entries(answers)), limit);
    expect(missing.map((m) => [m.criterion.id, m.missingH, m.answered])).toEqual(expected);
  });

  it("when a criterion is listed, then it carries its pillar, indicator and current score", () => {
    const [first] = mostMissingPoints(d, new Map<string, AnswerValue>([["P1.1.1", "b"]]), 1);
    expect(first).toMatchObject({ pillarId: "P1", indicatorId: "P1.1", scoreH: 100, missingH: 200, answered: true });
  });
});

describe("scoreToJson", () => {
  it("when an assessment is scored, then the JSON has the contract's shape with points, not hundredths", () => {
    const d = definitionOf(
      { P1: { "P1.1": [YESNO, CHOICE], "P1.2": [withId(LINEAR_PERCENT, "P1.2.1")] }, P2: { "P2.1": [yesno("P2.1.1", 1.5)] } },
      [
        { id: "weak", name: { vi: "Yếu", en: "Weak" }, minScore: 0 },
        { id: "good", name: { vi: "Tốt", en: "Good" }, minScore: 5 },
      ],
    );
    const answers = new Map<string, AnswerValue>([
      ["P1.1.1", true],
      ["P1.1.2", "b"],
      ["P1.2.1", 45.5],
    ]);
    expect(scoreToJson(d, scoreAssessment(d, answers))).toEqual({
      definition: "scoring-test",
      total: 4.41,
      maxScore: 8.5,
      level: { id: "weak", name: { vi: "Yếu", en: "Weak" } },
      answered: 3,
      criteria: 4,
      pillars: [
        {
          id: "P1",
          score: 4.41,
          maxScore: 7,
          indicators: [
            { id: "P1.1", score: 3.5, maxScore: 5 },
            { id: "P1.2", score: 0.91, maxScore: 2 },
          ],
        },
        { id: "P2", score: 0, maxScore: 1.5, indicators: [{ id: "P2.1", score: 0, maxScore: 1.5 }] },
      ],
    });
  });
});
