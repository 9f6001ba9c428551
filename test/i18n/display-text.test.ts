import { describe, expect, it } from "vitest";
import { literal, t } from "../../src/domain/conversation/text.js";
import { createTranslator } from "../../src/i18n/translator.js";

describe("what one person wrote, shown to another", () => {
  it("when a name and a note carry a right-to-left override and zero-width characters, then the rendered reply shows neither", async () => {
    const translator = await createTranslator();
    const reply = translator.reply("vi", {
      paragraphs: [
        t("answer.overwriteConfirm", { id: "P1.1.1", name: "Lan\u202Egnas\u200B", when: new Date("2024-11-05T03:00:00Z"), old: "Có", new: "Không" }),
        literal("ghi chú\u2066 của\u200D Bảo\u2069"),
      ],
    });
    expect(reply.text).toContain("Langnas trả lời");
    expect(reply.text).toContain("ghi chú của Bảo");
    expect(reply.text).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069]/);
  });
});
