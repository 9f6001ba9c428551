import { column } from "./sql/columns.js";
import type { Row } from "./sql/driver.js";

/**
 * The rows a session is built from (session-loader.ts), and their column readers: shared with previous-result.ts,
 * which scores an earlier period from the same rows.
 */

/** A period with the agency's assessment in it, if there is one yet. */
export interface AgencyPeriodRow {
  id: string;
  name: string;
  entryOpens: Date;
  entryCloses: Date;
  definitionId: string;
  checksum: string;
  assessmentId: string | null;
  status: string | null;
  submittedAt: Date | null;
  submittedByName: string | null;
  /** Evidence items in the assessment (most have none, and then they are not counted per criterion). */
  evidence: number | null;
}

export function agencyPeriodRow(row: Row): AgencyPeriodRow {
  const { text, textOrNull, date, dateOrNull, numberOrNull } = column;
  return {
    id: text(row, "id"),
    name: text(row, "name"),
    entryOpens: date(row, "entryOpens"),
    entryCloses: date(row, "entryCloses"),
    definitionId: text(row, "definitionId"),
    checksum: text(row, "checksum"),
    assessmentId: textOrNull(row, "assessmentId"),
    status: textOrNull(row, "status"),
    submittedAt: dateOrNull(row, "submittedAt"),
    submittedByName: textOrNull(row, "submittedByName"),
    evidence: numberOrNull(row, "evidence"),
  };
}

export interface AnswerRow {
  assessmentId: string;
  criterionId: string;
  value: string | null;
  note: string | null;
  answeredById: string;
  answeredAt: Date;
  answeredByName: string | null;
}

export function answerRow(row: Row): AnswerRow {
  const { text, textOrNull, date } = column;
  return {
    assessmentId: text(row, "assessmentId"),
    criterionId: text(row, "criterionId"),
    value: textOrNull(row, "value"),
    note: textOrNull(row, "note"),
    answeredById: text(row, "answeredById"),
    answeredAt: date(row, "answeredAt"),
    answeredByName: textOrNull(row, "answeredByName"),
  };
}
