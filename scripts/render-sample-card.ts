/**
 * Renders the sample score card shown in the README (a fictional agency, the shipped 2024 reference definition, a
 * change since 2023), through the same code as `/score`:
 *
 *   tsx scripts/render-sample-card.ts [out.png]    default test/fixtures/results/score-card.png
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { scoreCardData } from "../src/app/score-card.js";
import type { AnswerView, SessionView } from "../src/domain/conversation/context.js";
import type { AnswerValue } from "../src/domain/questionnaire/answer-value.js";
import { listCriteria } from "../src/domain/questionnaire/definition-index.js";
import { loadDefinitionFile } from "../src/definitions/definition-files.js";
import { createTranslator } from "../src/i18n/translator.js";
import { renderScoreCardPng } from "../src/results/render-score-card.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.resolve(process.argv[2] ?? path.join(root, "test", "fixtures", "results", "score-card.png"));
const definition = loadDefinitionFile(path.join(root, "definitions", "press-dx-1827-2024.json"));

const answers = new Map<string, AnswerView>();
listCriteria(definition).forEach(({ criterion }, i) => {
  const spec = criterion.answer;
  const value: AnswerValue | undefined =
    spec.type === "yesno" ? i % 4 !== 0 : spec.type === "choice" ? spec.options[Math.min(spec.options.length - 1, 1 + (i % 2))]?.id : spec.type === "multi" ? spec.options.slice(0, 2).map((o) => o.id) : spec.unit === "percent" ? 60 : 5;
  if (value !== undefined && i < 40) {
    answers.set(criterion.id, { value, note: null, answeredById: "p", answeredByName: "", answeredAt: new Date(), evidenceCount: 1 });
  }
});
const session: SessionView = {
  assessmentId: "sample",
  periodName: "Năm 2024",
  entryOpens: new Date("2024-11-01T00:00:00+07:00"),
  entryCloses: new Date("2024-11-15T23:59:59+07:00"),
  status: "draft",
  submittedAt: null,
  submittedByName: null,
  definition,
  answers,
  previous: {
    periodName: "Năm 2023",
    definitionId: "press-dx-951-2023",
    submitted: true,
    totalH: 5175,
    maxH: 10000,
    pillars: [
      { id: "P1", scoreH: 850, maxH: 1800 },
      { id: "P2", scoreH: 1350, maxH: 2400 },
      { id: "P3", scoreH: 1100, maxH: 2000 },
      { id: "P4", scoreH: 1275, maxH: 2300 },
      { id: "P5", scoreH: 600, maxH: 1500 },
    ],
  },
};
const translator = await createTranslator();
writeFileSync(out, await renderScoreCardPng(scoreCardData(translator, "vi", session, "Báo Điện tử Mẫu")));
console.log(`wrote ${out}`);
