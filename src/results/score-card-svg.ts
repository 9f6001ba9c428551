/**
 * The score card as SVG: one picture with the agency, the period, the total and level, a bar per pillar and the
 * completion. Pure string building, so what the PNG shows can be checked in tests without rendering; every text
 * comes in already translated and formatted (the caller owns wording and number formats).
 */
export interface ScoreCardPillar {
  readonly id: string;
  readonly name: string;
  readonly scoreText: string;
  /** 0..1 of the pillar's maximum. */
  readonly ratio: number;
  /** Change since the previous period, already formatted ("+2,5"), if there is one. */
  readonly deltaText?: string;
}

export interface ScoreCardData {
  readonly title: string;
  readonly agency: string;
  readonly period: string;
  readonly totalText: string;
  readonly levelText: string;
  readonly totalDeltaText?: string;
  readonly completionText: string;
  readonly footer: string;
  readonly pillars: readonly ScoreCardPillar[];
}

export const SCORE_CARD_WIDTH = 1000;
const ROW = 92;
const TOP = 300;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

/** Long names are cut with an ellipsis so they never run under the bar values. */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function scoreCardHeight(data: ScoreCardData): number {
  return TOP + data.pillars.length * ROW + 110;
}

export function buildScoreCardSvg(data: ScoreCardData): string {
  const height = scoreCardHeight(data);
  const barX = 60;
  const barWidth = SCORE_CARD_WIDTH - 2 * barX;
  const rows = data.pillars
    .map((pillar, i) => {
      const y = TOP + i * ROW;
      const filled = Math.max(0, Math.min(1, pillar.ratio)) * barWidth;
      const delta = pillar.deltaText ? `<text x="${SCORE_CARD_WIDTH - barX}" y="${y + 62}" class="delta" text-anchor="end">${escapeXml(pillar.deltaText)}</text>` : "";
      return [
        `<text x="${barX}" y="${y}" class="pillar">${escapeXml(`${pillar.id} · ${fit(pillar.name, 58)}`)}</text>`,
        `<text x="${SCORE_CARD_WIDTH - barX}" y="${y}" class="value" text-anchor="end">${escapeXml(pillar.scoreText)}</text>`,
        `<rect x="${barX}" y="${y + 14}" width="${barWidth}" height="26" rx="13" class="track"/>`,
        `<rect x="${barX}" y="${y + 14}" width="${filled.toFixed(1)}" height="26" rx="13" class="bar"/>`,
        delta,
      ].join("");
    })
    .join("\n");
  const totalDelta = data.totalDeltaText
    ? `<text x="${SCORE_CARD_WIDTH - 60}" y="240" class="delta" text-anchor="end">${escapeXml(data.totalDeltaText)}</text>`
    : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SCORE_CARD_WIDTH}" height="${height}" viewBox="0 0 ${SCORE_CARD_WIDTH} ${height}">
<style>
text { font-family: 'Be Vietnam Pro'; fill: #1b2a41; }
.title { font-size: 26px; fill: #5b6b82; }
.agency { font-size: 38px; font-weight: 700; }
.period { font-size: 24px; fill: #5b6b82; }
.total { font-size: 64px; font-weight: 700; fill: #0b5cab; }
.level { font-size: 34px; font-weight: 700; }
.pillar { font-size: 24px; }
.value { font-size: 24px; font-weight: 700; }
.delta { font-size: 20px; fill: #5b6b82; }
.footer { font-size: 18px; fill: #5b6b82; }
.track { fill: #e6ecf5; }
.bar { fill: #0b5cab; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<rect width="100%" height="12" fill="#c8102e"/>
<text x="60" y="62" class="title">${escapeXml(data.title)}</text>
<text x="60" y="110" class="agency">${escapeXml(fit(data.agency, 44))}</text>
<text x="60" y="146" class="period">${escapeXml(data.period)}</text>
<text x="60" y="212" class="total">${escapeXml(data.totalText)}</text>
<text x="${SCORE_CARD_WIDTH - 60}" y="205" class="level" text-anchor="end">${escapeXml(data.levelText)}</text>
${totalDelta}
${rows}
<text x="60" y="${height - 66}" class="period">${escapeXml(data.completionText)}</text>
<text x="60" y="${height - 30}" class="footer">${escapeXml(fit(data.footer, 95))}</text>
</svg>`;
}
