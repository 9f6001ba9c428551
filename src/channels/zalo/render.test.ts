import { describe, expect, it } from "vitest";
import type { RenderedReply } from "../../i18n/translator.js";
import { renderForZalo, splitText, ZALO_TEXT_LIMIT_CHARS } from "./render.js";

const reply = (text: string, labels: string[] = [], selected: number[] = []): RenderedReply => ({
  text,
  choices: labels.map((label, i) => ({ value: `v${i}`, label, selected: selected.includes(i) })),
  questionId: labels.length > 0 ? "P1.1.2" : undefined,
});

describe("rendering replies for Zalo", () => {
  it("when a reply has choices, then they follow the text as numbered lines, ticked ones marked", () => {
    expect(renderForZalo(reply("Câu 2/43 · P1.1.2", ["Chưa có", "Đang xây dựng", "Đã ban hành"], [1]))).toEqual([
      "Câu 2/43 · P1.1.2\n\n1. Chưa có\n2. ✓ Đang xây dựng\n3. Đã ban hành",
    ]);
  });

  it("when a reply has no choices, then it is the text alone", () => {
    expect(renderForZalo(reply("Đã lưu."))).toEqual(["Đã lưu."]);
  });

  it("when a reply is empty, then nothing is sent (the platform refuses empty texts)", () => {
    expect(renderForZalo(reply(""))).toEqual([]);
  });

  it("when a long question list exceeds 2,000 characters, then it is split between lines and every piece fits", () => {
    const labels = Array.from({ length: 60 }, (_, i) => `Phương án số ${i + 1} với mô tả khá dài để vượt giới hạn của Zalo`);
    const pieces = renderForZalo(reply("Chọn các phương án phù hợp:", labels));
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT_CHARS);
    const lines = pieces.flatMap((p) => p.split("\n")).filter((l) => l !== "");
    expect(lines).toHaveLength(61);
    expect(lines.slice(1).map((l) => Number(l.split(".")[0]))).toEqual(labels.map((_, i) => i + 1));
  });
});

describe("splitting text on line boundaries", () => {
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
    const pieces = splitText(lines.join("\n"));
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2000);
    expect(pieces.join("\n").split("\n")).toEqual(lines);
  });
});
