import { describe, expect, it } from "vitest";
import { loadDefinitionFile, shippedDefinitionFiles } from "../../definitions/definition-files.js";
import { listCriteria } from "../../domain/questionnaire/definition-index.js";
import { byteLength, CALLBACK_DATA_LIMIT_BYTES, CallbackDataError, decodeCallbackData, encodeCallbackData, type CallbackChoice } from "./callback-data.js";

describe("callback data codec", () => {
  it.each<CallbackChoice>([
    { questionId: "P1.1.1", value: "yes" },
    { questionId: "P2.1.3", value: "c" },
    { questionId: "P5.2.4", value: "done" },
    { questionId: "menu", value: "score" },
    { questionId: "confirm", value: "no" },
    { questionId: "P1.1.1", value: "a|b" },
    { questionId: "Tiêu chí 1", value: "lựa chọn" },
  ])("when %j is encoded, then it decodes to the same choice", (choice) => {
    const data = encodeCallbackData(choice);
    expect(byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT_BYTES);
    expect(decodeCallbackData(data)).toEqual(choice);
  });

  it("when every choice of every shipped definition is encoded, then each fits in 64 bytes and round-trips", () => {
    let count = 0;
    for (const file of shippedDefinitionFiles()) {
      for (const { criterion } of listCriteria(loadDefinitionFile(file))) {
        const spec = criterion.answer;
        const values = spec.type === "yesno" ? ["yes", "no"] : spec.type === "number" ? [] : [...spec.options.map((o) => o.id), "done"];
        for (const value of values) {
          const data = encodeCallbackData({ questionId: criterion.id, value });
          expect(byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT_BYTES);
          expect(decodeCallbackData(data)).toEqual({ questionId: criterion.id, value });
          count += 1;
        }
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it("when the data takes exactly 64 bytes, then it is accepted; one byte more is refused", () => {
    const questionId = "P9.99.99";
    const fixed = byteLength(`1|${questionId}|`);
    const exact = { questionId, value: "v".repeat(CALLBACK_DATA_LIMIT_BYTES - fixed) };
    expect(byteLength(encodeCallbackData(exact))).toBe(64);
    expect(() => encodeCallbackData({ questionId, value: `${exact.value}v` })).toThrow(CallbackDataError);
  });

  it("when multi-byte characters push the data over 64 bytes though it has fewer than 64 characters, then it is refused", () => {
    const value = "đ".repeat(30); // 30 characters, 60 bytes
    expect(() => encodeCallbackData({ questionId: "P1.1.1", value })).toThrow(/bytes/);
  });

  it.each<[string, CallbackChoice]>([
    ["an empty question id", { questionId: "", value: "yes" }],
    ["an empty value", { questionId: "P1.1.1", value: "" }],
    ["a separator in the question id", { questionId: "P1|1", value: "yes" }],
    ["a control character", { questionId: "P1.1.1", value: "a\nb" }],
  ])("when a choice has %s, then encoding refuses it", (_case, choice) => {
    expect(() => encodeCallbackData(choice)).toThrow(CallbackDataError);
  });

  it.each<[string, unknown]>([
    ["an empty string", ""],
    ["plain text", "hello"],
    ["another version", "2|P1.1.1|yes"],
    ["an unversioned old format", "P1.1.1:yes"],
    ["a missing value", "1|P1.1.1|"],
    ["a missing question id", "1||yes"],
    ["only a version", "1|"],
    ["a control character", "1|P1.1.1|y\u0000es"],
    ["more than 64 bytes", `1|P1.1.1|${"x".repeat(60)}`],
    ["a number", 42],
    ["undefined", undefined],
    ["an object", { questionId: "P1.1.1", value: "yes" }],
  ])("when the data is %s, then decoding gives null", (_case, data) => {
    expect(decodeCallbackData(data)).toBeNull();
  });
});
