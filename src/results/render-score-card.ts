import { createRequire } from "node:module";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { buildScoreCardSvg, SCORE_CARD_WIDTH, type ScoreCardData } from "./score-card-svg.js";

/**
 * Renders the score card to PNG without a browser. The fonts ship with the project through npm (Be Vietnam Pro), and
 * system fonts are not loaded: resvg drops text when it finds no font and may pick a font without Vietnamese
 * diacritics otherwise, whatever the host has installed.
 */
const require = createRequire(import.meta.url);
const fontDir = path.dirname(require.resolve("@expo-google-fonts/be-vietnam-pro/package.json"));
export const SCORE_CARD_FONTS = [
  path.join(fontDir, "400Regular", "BeVietnamPro_400Regular.ttf"),
  path.join(fontDir, "700Bold", "BeVietnamPro_700Bold.ttf"),
];

export async function renderScoreCardPng(data: ScoreCardData): Promise<Buffer> {
  const svg = buildScoreCardSvg(data);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: SCORE_CARD_WIDTH },
    font: { fontFiles: SCORE_CARD_FONTS, loadSystemFonts: false, defaultFontFamily: "Be Vietnam Pro" },
  });
  return Buffer.from(resvg.render().asPng());
}
