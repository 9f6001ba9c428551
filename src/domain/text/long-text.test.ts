import { describe, expect, it } from "vitest";
import { parseCommand } from "../conversation/input.js";
import { step } from "../conversation/step.js";
import { initialState } from "../conversation/state.js";
import { contextOf, personOf, sessionOf, shippedDefinition } from "../../../test/support/conversation-engine.js";
import { foldText } from "../conversation/text.js";
import { normalizeReply } from "../conversation/reading/normalize.js";
import { readPlainYesNo } from "../conversation/reading/yes-no.js";
import { replyVocabulary } from "../../i18n/reply-vocabulary.js";

const vocabulary = replyVocabulary();
const plainReply = (text: string): string => normalizeReply(text, vocabulary).plain;
const yesNo = (text: string): boolean | null => readPlainYesNo(text, vocabulary);
import { cutText } from "./cut-text.js";

/**
 * Issue 26, item 10: text handling must be linear. A run of dots between two letters made the trailing-punctuation
 * regex of foldText retry from every position (100,000 characters: tens of seconds), and stripping particles one
 * array copy at a time was quadratic in the number of words. Generous bounds, far above the linear cost (milliseconds)
 * and far below the quadratic one (seconds), so the test is about the shape, not the machine.
 */
const LONG = 100_000;
const elapsedMs = (work: () => unknown): number => {
  const start = performance.now();
  work();
  return performance.now() - start;
};

describe("text handling on long messages", () => {
  it.each<[string, string]>([
    ["dots between letters", `x${".".repeat(LONG)}x`],
    ["dots and spaces", `x${". ".repeat(LONG / 2)}x`],
    ["particles", `có ${"a ".repeat(LONG / 2)}`],
    ["commas", "a,".repeat(LONG / 2)],
  ])("when %s make up 100,000 characters, then folding, reading yes/no and parsing a command stay fast", (_case, text) => {
    expect(elapsedMs(() => foldText(text))).toBeLessThan(1000);
    expect(elapsedMs(() => plainReply(text))).toBeLessThan(1000);
    expect(elapsedMs(() => yesNo(text))).toBeLessThan(1000);
    expect(elapsedMs(() => parseCommand(text))).toBeLessThan(1000);
  });

  it("when punctuation surrounds a word, then folding still trims it from both ends", () => {
    expect(foldText(`  ...Điểm!!! "`)).toBe("diem");
    expect(foldText(`x${".".repeat(10)}x`)).toBe(`x${".".repeat(10)}x`);
    expect(plainReply("Dạ, có ạ!")).toBe("co");
    expect(plainReply(`dạ có ${"ạ ".repeat(1000)}`)).toBe("co");
  });

  it("when a linked person sends 4,096 dots between letters, then the step answers in a bounded time", () => {
    const ctx = contextOf({ person: personOf("lead"), session: sessionOf(shippedDefinition()) });
    expect(elapsedMs(() => step(initialState(), { kind: "text", text: `x${".".repeat(4094)}x` }, ctx))).toBeLessThan(1000);
  });
});

describe("cutText", () => {
  it.each<[string, string, number, string]>([
    ["a short text", "abc", 5, "abc"],
    ["a plain cut", "abcdef", 4, "abcd"],
    ["a cut inside an emoji", "ab😀cd", 3, "ab"],
    ["a cut right after an emoji", "ab😀cd", 4, "ab😀"],
  ])("when it is %s, then the result ends on a whole character", (_case, text, max, expected) => {
    expect(cutText(text, max)).toBe(expected);
  });
});
