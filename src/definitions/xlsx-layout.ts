/**
 * The layout of a definition workbook (docs/definition-workbook.md), shared by the writer and the reader so the two
 * cannot drift apart. Sheet and column titles are Vietnamese for the officers who fill them in; each title ends with
 * the JSON field it becomes, so the workbook and the JSON format explain each other. The reader checks every title:
 * a moved or renamed column is reported instead of being read as another field.
 */

export const SHEET = {
  instructions: "Hướng dẫn",
  general: "Thông tin chung",
  levels: "Mức xếp loại",
  pillars: "Trụ cột",
  indicators: "Chỉ số thành phần",
  criteria: "Tiêu chí",
  options: "Phương án",
} as const;

/** One column of a table sheet: its title in row 1 and the width it is written with. */
export interface Column {
  readonly title: string;
  readonly width: number;
}

const column = (title: string, width = 14): Column => ({ title, width });

export const LEVEL_COLUMNS = {
  id: column("Mã mức (id)"),
  nameVi: column("Tên mức – tiếng Việt (name.vi)", 26),
  nameEn: column("Tên mức – tiếng Anh (name.en)", 26),
  minScore: column("Điểm từ (minScore)"),
} as const;

export const PILLAR_COLUMNS = {
  id: column("Mã trụ cột (id)"),
  nameVi: column("Tên trụ cột – tiếng Việt (name.vi)", 40),
  nameEn: column("Tên trụ cột – tiếng Anh (name.en)", 40),
  maxScore: column("Điểm tối đa (maxScore)"),
} as const;

export const INDICATOR_COLUMNS = {
  id: column("Mã chỉ số (id)"),
  nameVi: column("Tên chỉ số – tiếng Việt (name.vi)", 40),
  nameEn: column("Tên chỉ số – tiếng Anh (name.en)", 40),
} as const;

export const CRITERION_COLUMNS = {
  id: column("Mã tiêu chí (id)"),
  questionVi: column("Câu hỏi – tiếng Việt (question.vi)", 50),
  questionEn: column("Câu hỏi – tiếng Anh (question.en)", 50),
  maxScore: column("Điểm tối đa (maxScore)"),
  type: column("Kiểu trả lời (answer.type)", 16),
  unit: column("Đơn vị (answer.unit)"),
  min: column("Nhỏ nhất (answer.min)"),
  max: column("Lớn nhất (answer.max)"),
  bands: column("Ngưỡng điểm (answer.bands)", 24),
  linearTarget: column("Mục tiêu tuyến tính (answer.linear.target)", 18),
  evidence: column("Minh chứng (evidence)"),
  helpVi: column("Hướng dẫn – tiếng Việt (help.vi)", 40),
  helpEn: column("Hướng dẫn – tiếng Anh (help.en)", 40),
} as const;

export const OPTION_COLUMNS = {
  criterion: column("Mã tiêu chí (criterion id)"),
  id: column("Mã phương án (id)"),
  labelVi: column("Nội dung – tiếng Việt (label.vi)", 40),
  labelEn: column("Nội dung – tiếng Anh (label.en)", 40),
  score: column("Điểm (score)"),
} as const;

/** The rows of the general sheet: label in column A, value in column B, from row 2 on, in this order. */
export const GENERAL_ROWS = {
  id: "Mã bộ chỉ số (id)",
  titleVi: "Tên – tiếng Việt (title.vi)",
  titleEn: "Tên – tiếng Anh (title.en)",
  decision: "Quyết định (source.decision)",
  issuedOn: "Ngày ban hành (source.issuedOn)",
  official: "Văn bản chính thức (source.official)",
  noteVi: "Ghi chú – tiếng Việt (source.note.vi)",
  noteEn: "Ghi chú – tiếng Anh (source.note.en)",
  maxScore: "Tổng điểm tối đa (maxScore)",
} as const;

export const ANSWER_TYPES = ["yesno", "choice", "multi", "number"] as const;
export const NUMBER_UNITS = ["percent", "count", "vnd"] as const;
export const EVIDENCE_KINDS = ["required", "optional", "none"] as const;
export const OFFICIAL_VALUES = ["có", "không"] as const;

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
