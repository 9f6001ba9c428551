import { describe, expect, it } from "vitest";
import { displayText, storableText } from "./clean-text.js";

describe("cleaning text people send", () => {
  it.each([
    ["ghi\u0000chú", "ghichú"],
    ["a\uD800b", "ab"],
    ["a\uDC00b", "ab"],
    ["tail\uD83D", "tail"],
    ["emoji 😀 kept", "emoji 😀 kept"],
    ["Nguyễn Thị Lan", "Nguyễn Thị Lan"],
  ])("when %j is stored, then it becomes %j", (given, stored) => {
    expect(storableText(given)).toBe(stored);
  });

  it.each([
    ["Lan\u202Egpj.exe", "Langpj.exe"],
    ["Bảo\u200B\u200C\u200D", "Bảo"],
    ["\u2066Minh\u2069 \u200Fx\u200E", "Minh x"],
    ["\uFEFFTrần\u2060", "Trần"],
    ["Nguyễn Thị Lan 😀", "Nguyễn Thị Lan 😀"],
  ])("when %j is shown to someone else, then it reads %j", (given, shown) => {
    expect(displayText(given)).toBe(shown);
  });
});
