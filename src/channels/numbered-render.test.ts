import { describe, expect, it } from "vitest";
import { renderNumbered } from "./numbered-render.js";

const yesNo = [
  { value: "yes", label: "Có", selected: false },
  { value: "no", label: "Không", selected: false },
];

describe("choices as numbered lines", () => {
  it("when a reply has choices, then they follow the text as numbered lines", () => {
    expect(renderNumbered({ text: "Câu hỏi?", choices: yesNo, questionId: "P1.1.1" })).toBe("Câu hỏi?\n\n1. Có\n2. Không");
  });

  it("when the reply asks not to list them (a yes/no after the session's first), then only the text is sent", () => {
    expect(renderNumbered({ text: "Câu hỏi?", choices: yesNo, questionId: "P1.1.2", listed: false })).toBe("Câu hỏi?");
  });

  it("when a several-choice question is rendered, then “Xong” is not listed and ticked options carry a mark", () => {
    const choices = [
      { value: "a", label: "Một", selected: true },
      { value: "b", label: "Hai", selected: false },
      { value: "done", label: "Xong", selected: false },
    ];
    expect(renderNumbered({ text: "Chọn?", choices, questionId: "P1.2.3" })).toBe("Chọn?\n\n1. ✓ Một\n2. Hai");
  });
});
