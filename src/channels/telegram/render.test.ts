import { beforeAll, describe, expect, it } from "vitest";
import { loadDefinitionFile, SHIPPED_DEFINITIONS_DIR } from "../../definitions/definition-files.js";
import { choicesFor } from "../../domain/conversation/question-reply.js";
import { literal } from "../../domain/conversation/text.js";
import { listCriteria } from "../../domain/questionnaire/definition-index.js";
import { createTranslator, type RenderedReply, type Translator } from "../../i18n/translator.js";
import { byteLength, CALLBACK_DATA_LIMIT_BYTES, decodeCallbackData } from "./callback-data.js";
import { renderForTelegram, TELEGRAM_BUTTON_LABEL_LIMIT_CHARS, TELEGRAM_TEXT_LIMIT_CHARS } from "./render.js";

const reply = (text: string, choices: RenderedReply["choices"] = [], questionId?: string): RenderedReply => ({ text, choices, questionId });
const yesNo = [
  { value: "yes", label: "Có", selected: false },
  { value: "no", label: "Không", selected: false },
];

describe("renderForTelegram", () => {
  it("when a reply has no choices, then it is plain text without keyboard and without parse mode", () => {
    expect(renderForTelegram(reply("Xin chào <b>*_"))).toEqual([{ text: "Xin chào <b>*_" }]);
  });

  it("when a yes/no question is rendered, then both buttons share one row and carry the question id", () => {
    const [message] = renderForTelegram(reply("P1.1.1 …", yesNo, "P1.1.1"));
    expect(message?.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "Có", callback_data: "1|P1.1.1|yes" },
          { text: "Không", callback_data: "1|P1.1.1|no" },
        ],
      ],
    });
  });

  it("when options have long labels, then each gets a row of its own and ticked ones show a check mark", () => {
    const [message] = renderForTelegram(
      reply(
        "P2.1.1",
        [
          { value: "a", label: "Trang thông tin điện tử tổng hợp", selected: true },
          { value: "b", label: "Có báo/tạp chí điện tử được cấp phép", selected: false },
          { value: "done", label: "Xong", selected: false },
        ],
        "P2.1.1",
      ),
    );
    expect(message?.reply_markup?.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([
      ["✓ Trang thông tin điện tử tổng hợp"],
      ["Có báo/tạp chí điện tử được cấp phép"],
      ["Xong"],
    ]);
  });

  it("when a label is too long for a button, then the button is cut and the text lists every option in full", () => {
    const long = `Phương án ${"rất dài ".repeat(20)}`.trim();
    const [message] = renderForTelegram(reply("Chọn một:", [{ value: "a", label: long, selected: false }, { value: "b", label: "Ngắn", selected: false }], "P3.1.1"));
    const [first] = message?.reply_markup?.inline_keyboard[0] ?? [];
    expect(first?.text.length).toBeLessThanOrEqual(TELEGRAM_BUTTON_LABEL_LIMIT_CHARS + 3);
    expect(first?.text).toMatch(/^1\. Phương án .*…$/);
    expect(message?.text).toContain(`1. ${long}`);
  });

  it("when the text is over 4,096 characters, then it is split and only the last message carries the keyboard", () => {
    const text = Array.from({ length: 200 }, (_, i) => `Đoạn ${i}: ${"chữ ".repeat(8)}`).join("\n");
    const messages = renderForTelegram(reply(text, yesNo, "confirm"));
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT_CHARS);
    expect(messages.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
    expect(messages.at(-1)?.reply_markup?.inline_keyboard.flat()).toHaveLength(2);
  });

  it("when the choices cannot be buttons (no question id, or an id too long for 64 bytes), then they are numbered lines", () => {
    for (const questionId of [undefined, `P${"9".repeat(70)}`]) {
      const messages = renderForTelegram(reply("Chọn:", yesNo, questionId));
      expect(messages).toEqual([{ text: "Chọn:\n\n1. Có\n2. Không" }]);
    }
  });

  it("when a reply with choices has no text, then the keyboard still has a message to sit on", () => {
    expect(renderForTelegram(reply("", yesNo, "confirm"))[0]?.text).not.toBe("");
  });
});

describe("rendering every criterion of the 2024 reference questionnaire", () => {
  let translator: Translator;
  beforeAll(async () => {
    translator = await createTranslator();
  });
  const definition = loadDefinitionFile(`${SHIPPED_DEFINITIONS_DIR}/press-dx-1827-2024.json`);
  const entries = listCriteria(definition);

  it("when the definition is listed, then it has the 43 criteria of decision 1827", () => {
    expect(entries).toHaveLength(43);
  });

  it.each(entries.flatMap((entry) => (["vi", "en"] as const).map((locale) => [entry.criterion.id, locale, entry] as const)))(
    "when %s is asked in %s, then every button's callback data fits in 64 bytes and names the criterion",
    (id, locale, entry) => {
      const rendered = translator.reply(locale, { paragraphs: [literal(entry.criterion.question[locale] || entry.criterion.question.vi)], choices: choicesFor(entry, locale), questionId: id });
      const messages = renderForTelegram(rendered);
      const buttons = messages.flatMap((m) => m.reply_markup?.inline_keyboard.flat() ?? []);
      expect(buttons).toHaveLength(rendered.choices.length);
      for (const button of buttons) {
        const data = "callback_data" in button ? button.callback_data : "";
        expect(byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT_BYTES);
        expect(decodeCallbackData(data)?.questionId).toBe(id);
      }
    },
  );
});
