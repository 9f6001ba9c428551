import { describe, expect, it } from "vitest";
import { splitText } from "./split-text.js";
import { TELEGRAM_TEXT_LIMIT_CHARS } from "./telegram/render.js";
import { ZALO_TEXT_LIMIT_CHARS } from "./zalo/render.js";

const graphemes = (text: string): string[] => Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment);

describe("splitText (from the Telegram renderer)", () => {
  it("when the text fits, then it is one piece, unchanged", () => {
    expect(splitText("Câu 1/43\n\nCó hay không?", 4096)).toEqual(["Câu 1/43\n\nCó hay không?"]);
  });

  it("when the text is longer than the limit, then it breaks between lines and no piece exceeds the limit", () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Dòng ${i + 1}: ${"nội dung ".repeat(3)}`.trim());
    const pieces = splitText(lines.join("\n"), TELEGRAM_TEXT_LIMIT_CHARS);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT_CHARS);
    // Every line survives whole, in order.
    expect(pieces.join("\n").split("\n")).toEqual(lines);
  });

  it("when one line alone is longer than the limit, then it breaks at a space", () => {
    const pieces = splitText(`${"ab ".repeat(10)}end`, 10);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(10);
    expect(pieces.join(" ").replace(/\s+/g, " ")).toBe(`${"ab ".repeat(10)}end`);
  });

  it("when a long line has no space, then it breaks hard, never inside an emoji", () => {
    const pieces = splitText(`${"x".repeat(9)}😀${"y".repeat(5)}`, 10);
    expect(pieces).toEqual(["x".repeat(9), `😀${"y".repeat(5)}`]);
  });

  it.each(["", "\n\n", "   \n  "])("when the text is blank (%j), then there are no pieces", (text) => {
    expect(splitText(text, 10)).toEqual([]);
  });
});

describe("splitText (from the Zalo renderer)", () => {
  it.each<[string, string, number, string[]]>([
    ["fits exactly", "abcd\nefgh", 9, ["abcd\nefgh"]],
    ["one character over", "abcd\nefghi", 9, ["abcd", "efghi"]],
    ["blank lines at the cut are dropped", "abcd\n\n\nefgh", 6, ["abcd", "efgh"]],
    ["a long line is cut at its last space", "aaa bbb ccc", 8, ["aaa bbb", "ccc"]],
    ["a line with no space is cut hard", "abcdefghij", 4, ["abcd", "efgh", "ij"]],
    ["an emoji is never cut in half", "abc😀def", 4, ["abc", "😀de", "f"]],
    ["only whitespace gives nothing", " \n \n", 10, []],
  ])("when %s, then the pieces are as expected", (_case, text, limit, expected) => {
    expect(splitText(text, limit)).toEqual(expected);
  });

  it("when text is split at the real limit, then joining the pieces keeps every line and no piece exceeds 2,000", () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Dòng ${i + 1}: ${"đ".repeat(i % 40)}`);
    const pieces = splitText(lines.join("\n"), ZALO_TEXT_LIMIT_CHARS);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2000);
    expect(pieces.join("\n").split("\n")).toEqual(lines);
  });
});

describe("splitText at the platforms' limits", () => {
  it.each([
    ["Telegram", TELEGRAM_TEXT_LIMIT_CHARS],
    ["Zalo", ZALO_TEXT_LIMIT_CHARS],
  ])("when a %s text is exactly at the limit, then it is one piece; one character more, then two", (_platform, limit) => {
    const exact = "a".repeat(limit - 1) + "b";
    expect(splitText(exact, limit)).toEqual([exact]);
    expect(splitText(`${exact}c`, limit)).toEqual([exact, "c"]);
  });

  it.each([
    ["Telegram", TELEGRAM_TEXT_LIMIT_CHARS],
    ["Zalo", ZALO_TEXT_LIMIT_CHARS],
  ])("when a %s text has an emoji across the limit, then the emoji goes whole to the next piece", (_platform, limit) => {
    const text = `${"a".repeat(limit - 1)}😀tail`;
    expect(splitText(text, limit)).toEqual(["a".repeat(limit - 1), "😀tail"]);
  });

  it.each([
    ["Telegram", TELEGRAM_TEXT_LIMIT_CHARS],
    ["Zalo", ZALO_TEXT_LIMIT_CHARS],
  ])("when a %s text in decomposed Vietnamese has no space, then no letter loses its marks at a cut", (_platform, limit) => {
    // "Việt" with the dot below and the circumflex as combining marks (NFD), as some keyboards and copies send it.
    const word = "Vie\u0323\u0302t".normalize("NFD");
    const text = word.repeat(Math.ceil((limit * 2) / word.length) + 1);
    const pieces = splitText(text, limit);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(limit);
      // No piece starts with a bare combining mark (a mark cut off its letter).
      expect(piece).not.toMatch(/^\p{M}/u);
    }
    expect(pieces.join("")).toBe(text);
    expect(pieces.flatMap(graphemes)).toEqual(graphemes(text));
  });

  it("when a family emoji (one grapheme of 11 units) crosses the cut, then it stays whole", () => {
    const family = "👨‍👩‍👧‍👦";
    expect(splitText(`abcdefgh${family}`, 12)).toEqual(["abcdefgh", family]);
  });

  it("when one grapheme is longer than the limit, then it is cut between code points, never inside a surrogate pair", () => {
    const pieces = splitText("👨‍👩‍👧‍👦", 4);
    for (const piece of pieces) expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    expect(pieces.join("")).toBe("👨‍👩‍👧‍👦");
  });

  it("when paragraphs are long, then the cut falls between paragraphs rather than after the last line that fits", () => {
    const first = `${"a".repeat(30)}\n${"b".repeat(30)}`;
    const second = `${"c".repeat(30)}\n${"d".repeat(30)}`;
    expect(splitText(`${first}\n\n${second}`, 100)).toEqual([first, second]);
  });

  it("when the only blank line is early in the piece, then the cut is at the last line that fits (no tiny message)", () => {
    expect(splitText(`Hi\n\n${"a".repeat(40)}\n${"b".repeat(40)}\n${"c".repeat(40)}`, 90)).toEqual([`Hi\n\n${"a".repeat(40)}\n${"b".repeat(40)}`, "c".repeat(40)]);
  });

  it("when a line is indented, then its indentation survives a cut before it", () => {
    expect(splitText(`${"a".repeat(8)}\n  - item`, 10)).toEqual(["a".repeat(8), "  - item"]);
  });

  it.each([0, 1, 2.5, Number.NaN])("when the limit is %s, then it is refused", (limit) => {
    expect(() => splitText("abc", limit)).toThrow(RangeError);
  });
});
