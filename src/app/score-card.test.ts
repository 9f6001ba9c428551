import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerView } from "../domain/conversation/context.js";
import { answerOf, sessionOf, shippedDefinition } from "../../test/support/conversation-engine.js";
import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import { createTranslator, type Translator } from "../i18n/translator.js";
import { renderScoreCardPng } from "../results/render-score-card.js";
import { buildScoreCardSvg, escapeXml, SCORE_CARD_WIDTH, scoreCardHeight, type ScoreCardData } from "../results/score-card-svg.js";
import { captionFrom, PHOTO_CAPTION_LIMIT_CHARS, scoreCardData } from "./score-card.js";

const definition = shippedDefinition();
const AGENCY = "Báo <Tuổi Trẻ> & \"Đời sống\"";

/** Every yes/no criterion answered "yes": a known, partial score. */
function session(previous?: Parameters<typeof sessionOf>[1]) {
  const answers = new Map<string, AnswerView>();
  for (const { criterion } of listCriteria(definition)) {
    if (criterion.answer.type === "yesno") answers.set(criterion.id, answerOf(true as AnswerValue));
  }
  return sessionOf(definition, { periodName: "Năm 2024", answers, ...previous });
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("the score card", () => {
  let translator: Translator;
  let data: ScoreCardData;
  beforeAll(async () => {
    translator = await createTranslator();
    data = scoreCardData(translator, "vi", session(), AGENCY);
  });

  it("when the data is built, then it holds the agency, the period, the total, the level and every pillar in Vietnamese", () => {
    expect(data).toMatchObject({ agency: AGENCY, period: "Năm 2024", title: "KẾT QUẢ TỰ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ BÁO CHÍ" });
    expect(data.totalText).toMatch(/^\d+(,\d+)?\/100$/);
    expect(data.levelText).toMatch(/^Mức: /);
    expect(data.pillars.map((p) => p.name)).toEqual(definition.pillars.map((p) => p.name.vi));
    expect(data.footer).toContain("1827/QĐ-BTTTT");
    expect(data.pillars.every((p) => p.deltaText === undefined)).toBe(true);
  });

  it("when the SVG is built, then it names the agency and the pillars, escaped, and nothing unescaped slips through", () => {
    const svg = buildScoreCardSvg(data);
    expect(svg).toContain(escapeXml(AGENCY));
    expect(svg).toContain("Báo &lt;Tuổi Trẻ&gt; &amp; &quot;Đời sống&quot;");
    expect(svg).not.toContain("<Tuổi");
    for (const pillar of definition.pillars) expect(svg).toContain(escapeXml(pillar.name.vi.slice(0, 40)));
    expect(svg).toContain("Hạ tầng số, nền tảng số và an toàn thông tin");
  });

  it("when it is rendered, then it is a valid PNG of the SVG's size, in well under a second", async () => {
    const started = performance.now();
    const png = await renderScoreCardPng(data);
    const elapsed = performance.now() - started;
    expect(pngSize(png)).toEqual({ width: SCORE_CARD_WIDTH, height: scoreCardHeight(data) });
    expect(elapsed).toBeLessThan(1000);
  });

  it("when only one diacritic of the agency's name differs, then the pictures differ (text is drawn with the shipped font)", async () => {
    const [a, b] = await Promise.all([renderScoreCardPng({ ...data, agency: "Báo Hà Nội" }), renderScoreCardPng({ ...data, agency: "Báo Ha Nội" })]);
    expect(a.equals(b)).toBe(false);
  });

  it("when there is an earlier result, then the card shows the total and pillar changes", () => {
    const withHistory = scoreCardData(
      translator,
      "vi",
      session({ previous: { periodName: "Năm 2023", definitionId: "press-dx-951-2023", submitted: true, totalH: 1000, maxH: 10000, pillars: [{ id: "P1", scoreH: 0, maxH: 1800 }] } }),
      AGENCY,
    );
    expect(withHistory.totalDeltaText).toMatch(/^\+\d+(,\d+)? so với Năm 2023$/);
    expect(withHistory.pillars[0]?.deltaText).toMatch(/^\+\d+(,\d+)? so với Năm 2023$/);
    expect(withHistory.pillars[1]?.deltaText).toBeUndefined();
    expect(buildScoreCardSvg(withHistory)).toContain("so với Năm 2023");
  });

  it("when the reader chose English, then the card is in English with decimal points", () => {
    const english = scoreCardData(translator, "en", session(), "Agency");
    expect(english.levelText).toMatch(/^Level: /);
    expect(english.pillars[0]?.name).toBe("Strategy");
    expect(english.completionText).toMatch(/criteria answered/);
  });
});

describe("the photo caption", () => {
  it("when the whole text fits, then it is the caption and nothing follows", () => {
    expect(captionFrom(["a", "b"], ["a"])).toEqual({ caption: "a\n\nb", complete: true });
  });

  it("when it does not fit, then the summary is the caption and the whole text follows separately", () => {
    const long = "x".repeat(PHOTO_CAPTION_LIMIT_CHARS);
    expect(captionFrom(["title", "total", long, "completion"], ["title", "total", "completion"])).toEqual({ caption: "title\n\ntotal\n\ncompletion", complete: false });
  });

  it("when even the summary is too long, then it is cut with an ellipsis within the limit", () => {
    const { caption, complete } = captionFrom(["y".repeat(PHOTO_CAPTION_LIMIT_CHARS + 10)], ["z".repeat(PHOTO_CAPTION_LIMIT_CHARS + 10)]);
    expect(complete).toBe(false);
    expect(caption).toHaveLength(PHOTO_CAPTION_LIMIT_CHARS);
    expect(caption.endsWith("…")).toBe(true);
  });
});
