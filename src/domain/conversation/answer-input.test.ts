import { describe, expect, it } from "vitest";
import type { AnswerValue } from "../questionnaire/answer-value.js";
import { listCriteria } from "../questionnaire/definition-index.js";
import type { Criterion, IndexDefinition } from "../questionnaire/definition-schema.js";
import { replyVocabulary } from "../../i18n/reply-vocabulary.js";
import { describeAnswer } from "./answer-input.js";
import { readAnswer } from "./reading/read-answer.js";
import { shippedDefinition, tinyDefinition } from "../../../test/support/conversation-engine.js";
import { t, type Text } from "./text.js";

const shipped = shippedDefinition();
const tiny = tinyDefinition();

function criterion(definition: IndexDefinition, id: string): Criterion {
  const found = listCriteria(definition).find((e) => e.criterion.id === id);
  if (!found) throw new Error(`no criterion ${id}`);
  return found.criterion;
}

const vocabulary = replyVocabulary();

/** The reply reader's verdict in the shape these cases were first written in. */
function parseTypedAnswer(c: Criterion, input: string): { ok: true; value: AnswerValue } | { ok: false; error?: Text; candidates?: readonly string[] } {
  const reading = readAnswer(c, input, vocabulary);
  switch (reading.kind) {
    case "answer":
      return { ok: true, value: reading.value };
    case "clarify":
      return { ok: false, candidates: reading.candidates };
    case "hedge":
      return { ok: false, error: t("answer.hedge") };
    case "invalid":
      return { ok: false, error: reading.error };
  }
}

const yesNo = criterion(shipped, "P1.1.1");
/** a: Chưa ban hành · b: Đã ban hành, chưa giao việc cụ thể · c: Đã ban hành, giao rõ việc và thời hạn */
const choice = criterion(shipped, "P1.1.2");
/** percent, 0–100 */
const percent = criterion(shipped, "P1.1.3");
/** count 0–500, vnd from 1000 (no max), percent 10–90 */
const count = criterion(tiny, "P2.1.1");
const vnd = criterion(tiny, "P2.1.2");
const narrowPercent = criterion(tiny, "P2.1.3");

describe("parseTypedAnswer: yes/no", () => {
  it.each<[string, boolean]>([
    ["có", true],
    ["Có", true],
    ["co", true],
    ["1", true],
    ["yes", true],
    ["Đã có", true],
    ["rồi", true],
    ["không", false],
    ["Khong", false],
    ["2", false],
    ["no", false],
    ["chưa", false],
    ["Chưa có", false],
  ])("when %j is typed to a yes/no question, then the answer is %s", (input, value) => {
    expect(parseTypedAnswer(yesNo, input)).toEqual({ ok: true, value });
  });

  it.each(["3", "0"])("when %j is typed to a yes/no question, then it asks again with answer.invalidYesNo", (input) => {
    expect(parseTypedAnswer(yesNo, input)).toEqual({ ok: false, error: t("answer.invalidYesNo") });
  });

  it.each(["có lẽ", "maybe"])("when the hedge %j is typed to a yes/no question, then nothing is read and it says so (answer.hedge)", (input) => {
    expect(parseTypedAnswer(yesNo, input)).toEqual({ ok: false, error: t("answer.hedge") });
  });
});

describe("parseTypedAnswer: one choice", () => {
  it.each<[string, string]>([
    ["1", "a"],
    ["3", "c"],
    [" 2 ", "b"],
    ["Chưa ban hành", "a"],
    ["chua ban hanh", "a"],
    ["CHƯA BAN HÀNH", "a"],
    ["da ban hanh, giao ro viec va thoi han", "c"],
    ["Đã ban hành, giao rõ việc và thời hạn.", "c"],
  ])("when %j is typed, then option %s is chosen", (input, id) => {
    expect(parseTypedAnswer(choice, input)).toEqual({ ok: true, value: id });
  });

  it.each(["0", "4", "99", "ban hanh xong", "hội thảo", ""])(
    "when %j is typed (out of range or no label holds it), then it asks again with answer.invalidChoice for 3 options",
    (input) => {
      expect(parseTypedAnswer(choice, input)).toEqual({ ok: false, error: t("answer.invalidChoice", { count: 3 }) });
    },
  );

  it.each<[string, string]>([
    ["giao rõ việc", "c"],
    ["chưa giao việc cụ thể", "b"],
    ["giao ro viec a", "c"],
  ])("when %j (a part of one label, as whole words) is typed, then option %s is chosen", (input, id) => {
    expect(parseTypedAnswer(choice, input)).toEqual({ ok: true, value: id });
  });

  it.each<[string, readonly string[]]>([
    ["đã ban hành", ["b", "c"]],
    // "ban hành" says it was issued: never "Chưa ban hành" (not issued), but either of the other two.
    ["ban hành", ["b", "c"]],
  ])("when %j is part of several labels, then nothing is chosen and the reply asks which (candidates %j)", (input, candidates) => {
    expect(parseTypedAnswer(choice, input)).toEqual({ ok: false, candidates });
  });

  it("when an English label is typed, then the option is found too", () => {
    const option = choice.answer.type === "choice" ? choice.answer.options[2] : undefined;
    expect(option).toBeDefined();
    expect(parseTypedAnswer(choice, option?.label.en ?? "")).toEqual({ ok: true, value: "c" });
  });
});

describe("parseTypedAnswer: numbers", () => {
  it.each<[string, string, number, Criterion]>([
    ["percent", "45", 45, percent],
    ["percent", "45%", 45, percent],
    ["percent", "45,5", 45.5, percent],
    ["percent", "0", 0, percent],
    ["percent", "100", 100, percent],
    ["percent 10–90", "12,5", 12.5, narrowPercent],
    ["count 0–500", "500", 500, count],
    ["vnd", "1.500.000", 1_500_000, vnd],
    ["vnd", "2 000 000 đồng", 2_000_000, vnd],
  ])("when a %s question gets %j within range, then %d is accepted", (_unit, input, value, c) => {
    expect(parseTypedAnswer(c, input)).toEqual({ ok: true, value });
  });

  it.each<[string, Criterion, string, Text]>([
    ["a percent below 0", percent, "-5", t("answer.belowMin.percent", { min: 0 })],
    ["a percent above 100", percent, "100,5", t("answer.aboveMax.percent", { max: 100 })],
    ["a percent below a minimum of 10", narrowPercent, "9,9", t("answer.belowMin.percent", { min: 10 })],
    ["a percent above a maximum of 90", narrowPercent, "91%", t("answer.aboveMax.percent", { max: 90 })],
    ["a count above 500", count, "1.000", t("answer.aboveMax.count", { max: 500 })],
    ["a negative count", count, "-1", t("answer.belowMin.count", { min: 0 })],
    ["an amount under 1000 dong", vnd, "999", t("answer.belowMin.vnd", { min: 1000 })],
    ["a word for a percent", percent, "abc", t("answer.notANumber.percent")],
    ["a word for a count", count, "nhiều", t("answer.notANumber.count")],
    ["two numbers for an amount", vnd, "4 5", t("answer.notANumber.vnd")],
  ])("when %s is typed, then the error names the right rule", (_case, c, input, error) => {
    expect(parseTypedAnswer(c, input)).toEqual({ ok: false, error });
  });

});

describe("describeAnswer", () => {
  const multi = criterion(shipped, "P1.2.3");
  it.each<[string, Criterion, AnswerValue, Text]>([
    ["yes", yesNo, true, t("answer.yes")],
    ["no", yesNo, false, t("answer.no")],
    ["an option", choice, "a", { kind: "literal", text: "Chưa ban hành" }],
    ["several options in definition order", multi, ["c", "a"], { kind: "literal", text: "Quảng cáo trực tuyến; Dịch vụ truyền thông, sự kiện trực tuyến" }],
    ["no option", multi, [], t("answer.noneSelected")],
    ["a percentage", percent, 45.5, t("answer.number.percent", { value: 45.5 })],
  ])("when reading back %s, then it shows the right text", (_case, c, value, expected) => {
    expect(describeAnswer(c, value, "vi")).toEqual(expected);
  });
});
