import { describeAnswer } from "../domain/conversation/answer-input.js";
import { localized, t, type Text } from "../domain/conversation/text.js";
import { listCriteria } from "../domain/questionnaire/definition-index.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { fromHundredths, toHundredths } from "../domain/questionnaire/hundredths.js";
import { criterionScoreH } from "../domain/questionnaire/scoring.js";
import type { AgencyStatus } from "../domain/results/province-view.js";
import type { AgencyResult, PeriodResults } from "../persistence/results-store.js";

/**
 * The report's tables, already in the reader's language, shared by the XLSX workbook and the CSV file. Scores are
 * numbers exactly as scoreAssessment gives them (hundredths turned into points once, here), never formatted text,
 * so a spreadsheet can sum and sort them.
 */
export type Cell = string | number | Date | null;

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** Renders a message key for the report's reader. */
export type Render = (text: Text) => string;

const GROUP_KEYS: Readonly<Record<string, string>> = {
  "central-newspaper": "results.group.centralNewspaper",
  "local-newspaper": "results.group.localNewspaper",
  magazine: "results.group.magazine",
  "science-journal": "results.group.scienceJournal",
  "radio-tv": "results.group.radioTv",
};

const STATUS_KEYS: Readonly<Record<AgencyStatus, string>> = {
  "not-started": "results.status.notStarted",
  "in-progress": "results.status.inProgress",
  submitted: "results.status.submitted",
};

const EVIDENCE_KEYS: Readonly<Record<string, string>> = {
  photo: "results.export.evidence.photo",
  document: "results.export.evidence.document",
  link: "results.export.evidence.link",
};

export function groupLabel(render: Render, group: string): string {
  const key = GROUP_KEYS[group];
  return key === undefined ? group : render(t(key));
}

export function statusLabel(render: Render, status: AgencyStatus): string {
  return render(t(STATUS_KEYS[status]));
}

/** The level reached, or a dash for an agency that has not started: scoring no answers would say "Yếu". */
export function levelLabel(render: Render, agency: AgencyResult, locale: Locale): string {
  return agency.status === "not-started" ? render(t("results.export.noLevel")) : localized(agency.score.level.name, locale);
}

/** Completion in percent, to one decimal. */
export function completionPercent(agency: AgencyResult): number {
  return agency.score.criteria === 0 ? 0 : Math.round((agency.score.answered / agency.score.criteria) * 1000) / 10;
}

/** One row per agency: identity, status, each pillar, total, level, completion, submission and last activity. */
export function summaryTable(results: PeriodResults, render: Render, locale: Locale): Table {
  const { definition } = results;
  const headers = [
    render(t("results.export.col.number")),
    render(t("results.export.col.agencyId")),
    render(t("results.export.col.agency")),
    render(t("results.export.col.province")),
    render(t("results.export.col.group")),
    render(t("results.export.col.status")),
    ...definition.pillars.map((p) => render(t("results.export.col.pillar", { id: p.id, name: localized(p.name, locale), max: p.maxScore }))),
    render(t("results.export.col.total", { max: definition.maxScore })),
    render(t("results.export.col.level")),
    render(t("results.export.col.completion")),
    render(t("results.export.col.answered")),
    render(t("results.export.col.submittedAt")),
    render(t("results.export.col.submittedBy")),
    render(t("results.export.col.lastActivity")),
  ];
  const rows = results.agencies.map((agency, i): Cell[] => [
    i + 1,
    agency.id,
    agency.name,
    agency.province,
    groupLabel(render, agency.group),
    statusLabel(render, agency.status),
    ...agency.score.pillars.map((p) => fromHundredths(p.scoreH)),
    fromHundredths(agency.score.totalH),
    levelLabel(render, agency, locale),
    completionPercent(agency),
    agency.score.answered,
    agency.submittedAt,
    agency.submittedByName,
    agency.lastActivity,
  ]);
  return { headers, rows };
}

/**
 * Every criterion of the definition for one agency: answer, score, note, evidence, who answered and when. The
 * dossier names its evidence by where the files are in its ZIP (`evidenceCell`); reports list what is on file.
 */
export function answersTable(results: PeriodResults, agency: AgencyResult, render: Render, locale: Locale, evidenceCell?: (criterionId: string) => string | null): Table {
  const headers = [
    render(t("results.export.col.criterion")),
    render(t("results.export.col.pillarName")),
    render(t("results.export.col.indicator")),
    render(t("results.export.col.question")),
    render(t("results.export.col.answer")),
    render(t("results.export.col.score")),
    render(t("results.export.col.max")),
    render(t("results.export.col.note")),
    render(t("results.export.col.evidence")),
    render(t("results.export.col.answeredBy")),
    render(t("results.export.col.answeredAt")),
  ];
  const rows = listCriteria(results.definition).map(({ criterion, pillar, indicator }): Cell[] => {
    const record = agency.answers.get(criterion.id);
    const value = record?.value ?? null;
    const evidence = (record?.evidence ?? []).map((e) => {
      const kind = EVIDENCE_KEYS[e.kind];
      const label = kind === undefined ? e.kind : render(t(kind));
      const caption = e.caption === null ? null : `“${e.caption}”`;
      return [`${label}:`, e.fileName, caption, e.ref, e.addedByName === "" ? null : `(${e.addedByName})`].filter((part) => part !== null && part !== "").join(" ");
    });
    return [
      criterion.id,
      `${pillar.id} ${localized(pillar.name, locale)}`,
      `${indicator.id} ${localized(indicator.name, locale)}`,
      localized(criterion.question, locale),
      value === null ? null : render(describeAnswer(criterion, value, locale)),
      fromHundredths(criterionScoreH(criterion, value ?? undefined)),
      fromHundredths(toHundredths(criterion.maxScore)),
      record?.note ?? null,
      evidenceCell !== undefined ? evidenceCell(criterion.id) : evidence.length === 0 ? null : evidence.join("\n"),
      value === null ? null : record?.answeredByName || null,
      value === null ? null : (record?.answeredAt ?? null),
    ];
  });
  return { headers, rows };
}
