import type { IndexDefinition, Locale } from "../questionnaire/definition-schema.js";
import { fromHundredths } from "../questionnaire/hundredths.js";
import { lines, localized, t, type Text } from "../conversation/text.js";
import type { ResultChange } from "./history.js";

/** A signed change of points ("+2,5", "-1", "không đổi"); the number itself is formatted by the translator. */
export function deltaText(deltaH: number): Text {
  if (deltaH > 0) return t("results.delta.up", { value: fromHundredths(deltaH) });
  if (deltaH < 0) return t("results.delta.down", { value: fromHundredths(-deltaH) });
  return t("results.delta.same");
}

/** The "change since the earlier period" paragraph of the score reply. */
export function historyParagraph(change: ResultChange, definition: IndexDefinition, locale: Locale): Text {
  const { previous } = change;
  const names = new Map(definition.pillars.map((p) => [p.id, localized(p.name, locale)]));
  const rows: Text[] = [
    t(previous.submitted ? "results.history.title" : "results.history.titleDraft", { period: previous.periodName }),
    t("results.history.total", {
      previous: fromHundredths(previous.totalH),
      current: fromHundredths(previous.totalH + change.totalDeltaH),
      delta: deltaText(change.totalDeltaH),
    }),
    ...change.pillars.map((p) =>
      p.previousH === null || p.deltaH === null
        ? t("results.history.pillarNew", { id: p.id, name: names.get(p.id) ?? p.id })
        : t("results.history.pillar", {
            id: p.id,
            name: names.get(p.id) ?? p.id,
            previous: fromHundredths(p.previousH),
            current: fromHundredths(p.scoreH),
            delta: deltaText(p.deltaH),
          }),
    ),
  ];
  if (!change.sameDefinition) rows.push(t("results.history.otherDefinition", { previous: previous.definitionId, current: definition.id }));
  return lines(rows);
}

/** Long texts (questions) cut with an ellipsis so a list stays readable in a chat bubble. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
