import { workbookText } from "./workbook-texts.js";

/**
 * The layout of a definition workbook (docs/definition-workbook.md), shared by the writer and the reader so the two
 * cannot drift apart. Sheet and column titles are Vietnamese for the officers who fill them in; each title ends with
 * the JSON field it becomes, so the workbook and the JSON format explain each other. The reader checks every title:
 * a moved or renamed column is reported instead of being read as another field.
 */

export const SHEET = {
  instructions: workbookText("sheet.instructions"),
  general: workbookText("sheet.general"),
  levels: workbookText("sheet.levels"),
  pillars: workbookText("sheet.pillars"),
  indicators: workbookText("sheet.indicators"),
  criteria: workbookText("sheet.criteria"),
  options: workbookText("sheet.options"),
} as const;

/** One column of a table sheet: its title in row 1 and the width it is written with. */
export interface Column {
  readonly title: string;
  readonly width: number;
}

const column = (title: string, width = 14): Column => ({ title, width });

export const LEVEL_COLUMNS = {
  id: column(workbookText("column.level.id")),
  nameVi: column(workbookText("column.level.nameVi"), 26),
  nameEn: column(workbookText("column.level.nameEn"), 26),
  minScore: column(workbookText("column.level.minScore")),
} as const;

export const PILLAR_COLUMNS = {
  id: column(workbookText("column.pillar.id")),
  nameVi: column(workbookText("column.pillar.nameVi"), 40),
  nameEn: column(workbookText("column.pillar.nameEn"), 40),
  maxScore: column(workbookText("column.pillar.maxScore")),
} as const;

export const INDICATOR_COLUMNS = {
  id: column(workbookText("column.indicator.id")),
  nameVi: column(workbookText("column.indicator.nameVi"), 40),
  nameEn: column(workbookText("column.indicator.nameEn"), 40),
} as const;

export const CRITERION_COLUMNS = {
  id: column(workbookText("column.criterion.id")),
  questionVi: column(workbookText("column.criterion.questionVi"), 50),
  questionEn: column(workbookText("column.criterion.questionEn"), 50),
  maxScore: column(workbookText("column.criterion.maxScore")),
  type: column(workbookText("column.criterion.type"), 16),
  unit: column(workbookText("column.criterion.unit")),
  min: column(workbookText("column.criterion.min")),
  max: column(workbookText("column.criterion.max")),
  bands: column(workbookText("column.criterion.bands"), 24),
  linearTarget: column(workbookText("column.criterion.linearTarget"), 18),
  evidence: column(workbookText("column.criterion.evidence")),
  helpVi: column(workbookText("column.criterion.helpVi"), 40),
  helpEn: column(workbookText("column.criterion.helpEn"), 40),
} as const;

export const OPTION_COLUMNS = {
  criterion: column(workbookText("column.option.criterion")),
  id: column(workbookText("column.option.id")),
  labelVi: column(workbookText("column.option.labelVi"), 40),
  labelEn: column(workbookText("column.option.labelEn"), 40),
  score: column(workbookText("column.option.score")),
  keywords: column(workbookText("column.option.keywords"), 30),
} as const;

/** The rows of the general sheet: label in column A, value in column B, from row 2 on, in this order. */
export const GENERAL_ROWS = {
  id: workbookText("general.row.id"),
  titleVi: workbookText("general.row.titleVi"),
  titleEn: workbookText("general.row.titleEn"),
  decision: workbookText("general.row.decision"),
  issuedOn: workbookText("general.row.issuedOn"),
  official: workbookText("general.row.official"),
  noteVi: workbookText("general.row.noteVi"),
  noteEn: workbookText("general.row.noteEn"),
  maxScore: workbookText("general.row.maxScore"),
} as const;

export const ANSWER_TYPES = ["yesno", "choice", "multi", "number"] as const;
export const NUMBER_UNITS = ["percent", "count", "vnd"] as const;
export const EVIDENCE_KINDS = ["required", "optional", "none"] as const;
export const OFFICIAL_VALUES = [workbookText("official.yes"), workbookText("official.no")] as const;

/** How the cells of the bands column separate bands (`;`) and a band's start from its score (`:`). */
export const BAND_SEPARATOR = ";";
export const BAND_PAIR_SEPARATOR = ":";

/** Column letter of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let letters = "";
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}

/** 1-based column numbers of a column set, in the order they are declared. */
export function columnNumbers<K extends string>(columns: Readonly<Record<K, Column>>): Record<K, number> {
  const numbers = {} as Record<K, number>;
  (Object.keys(columns) as K[]).forEach((key, i) => (numbers[key] = i + 1));
  return numbers;
}
