import { describe, expect, it } from "vitest";
import { checkAnswerValue, type AnswerProblem } from "./answer-value.js";
import type { AnswerSpec, Criterion } from "./definition-schema.js";

const criterionOf = (id: string, answer: AnswerSpec): Criterion => ({
  id,
  question: { vi: id, en: id },
  maxScore: 2,
  evidence: "none",
  answer,
});

const option = (id: string, score: number) => ({ id, label: { vi: id, en: id }, score });

const YESNO = criterionOf("P1.1.1", { type: "yesno" });
const CHOICE = criterionOf("P1.1.2", { type: "choice", options: [option("a", 0), option("b", 1), option("c", 2)] });
const MULTI = criterionOf("P1.1.3", { type: "multi", options: [option("a", 1), option("b", 1), option("c", 0.5)] });
const PERCENT = criterionOf("P1.1.4", {
  type: "number",
  unit: "percent",
  min: 0,
  max: 100,
  bands: [
    { from: 0, score: 0 },
    { from: 50, score: 2 },
  ],
});
const COUNT = criterionOf("P1.1.5", { type: "number", unit: "count", min: 1, linear: { target: 10 } });

describe("checkAnswerValue", () => {
  it.each<[string, Criterion, unknown]>([
    ["a yes/no gets true", YESNO, true],
    ["a yes/no gets false", YESNO, false],
    ["a choice gets a known option", CHOICE, "b"],
    ["a multi gets no options", MULTI, []],
    ["a multi gets distinct known options", MULTI, ["c", "a"]],
    ["a number gets its min", PERCENT, 0],
    ["a number gets its max", PERCENT, 100],
    ["a number gets a decimal inside the range", PERCENT, 45.5],
    ["a number without max gets a large value", COUNT, 1_000_000],
  ])("when %s, then the value is accepted unchanged", (_case, criterion, value) => {
    expect(checkAnswerValue(criterion, value)).toEqual({ ok: true, value });
  });

  it.each<[string, Criterion, unknown, AnswerProblem]>([
    ["a yes/no gets the string \"true\"", YESNO, "true", { code: "expected-yes-no" }],
    ["a yes/no gets 1", YESNO, 1, { code: "expected-yes-no" }],
    ["a yes/no gets null", YESNO, null, { code: "expected-yes-no" }],
    ["a choice gets an array", CHOICE, ["a"], { code: "expected-one-option", options: ["a", "b", "c"] }],
    ["a choice gets a number", CHOICE, 1, { code: "expected-one-option", options: ["a", "b", "c"] }],
    ["a choice gets an unknown option", CHOICE, "d", { code: "unknown-option", value: "d", options: ["a", "b", "c"] }],
    ["a choice gets an option id in the wrong case", CHOICE, "A", { code: "unknown-option", value: "A", options: ["a", "b", "c"] }],
    ["a multi gets a single string", MULTI, "a", { code: "expected-option-list" }],
    ["a multi gets an array with a number", MULTI, ["a", 2], { code: "expected-option-list" }],
    ["a multi gets an unknown option", MULTI, ["a", "z"], { code: "unknown-option", value: "z" }],
    ["a multi gets the same option twice", MULTI, ["a", "b", "a"], { code: "repeated-option" }],
    ["a number gets a numeric string", PERCENT, "45", { code: "expected-number" }],
    ["a number gets NaN", PERCENT, Number.NaN, { code: "expected-number" }],
    ["a number gets Infinity", PERCENT, Number.POSITIVE_INFINITY, { code: "expected-number" }],
    ["a number gets a value below min", PERCENT, -0.5, { code: "below-minimum", value: -0.5, minimum: 0 }],
    ["a number gets a value above max", PERCENT, 100.01, { code: "above-maximum", value: 100.01, maximum: 100 }],
    ["a number with min 1 gets 0", COUNT, 0, { code: "below-minimum", value: 0, minimum: 1 }],
    ["a number gets a boolean", COUNT, true, { code: "expected-number" }],
  ])("when %s, then it is rejected with a problem code and its details", (_case, criterion, value, problem) => {
    expect(checkAnswerValue(criterion, value)).toEqual({ ok: false, problem });
  });
});
