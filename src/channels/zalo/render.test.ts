import { describe, expect, it } from "vitest";
import type { RenderedReply } from "../../i18n/translator.js";
import { renderForZalo, ZALO_TEXT_LIMIT_CHARS } from "./render.js";

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
