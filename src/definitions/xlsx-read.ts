import { readFile } from "node:fs/promises";
import type ExcelJS from "exceljs";
import { readError } from "../shared/read-json-file.js";
import { TranslatableUserError, UserError } from "../shared/user-error.js";
import type { FileProblem, ProblemRule } from "../domain/questionnaire/json-path.js";
import { validateDefinition, type DefinitionValidation } from "../domain/questionnaire/validate-definition.js";
import { asBands, asIsoDate, asNumber, asOfficial, asOneOf, asText, type Converted, type Plain, type ReadCell } from "./xlsx-cells.js";
import {
  ANSWER_TYPES,
  CRITERION_COLUMNS,
  EVIDENCE_KINDS,
  GENERAL_ROWS,
  INDICATOR_COLUMNS,
  LEVEL_COLUMNS,
  NUMBER_UNITS,
  OPTION_COLUMNS,
  PILLAR_COLUMNS,
  SHEET,
} from "./xlsx-layout.js";
import { WorkbookPackageError, describePackageProblem, prepareWorkbookPackage } from "./xlsx-package.js";
import { CellPlaces } from "./xlsx-places.js";
import { labelledValues, requireSheet, tableRows, type TableRow } from "./xlsx-sheets.js";

/**
 * Turns a definition workbook (docs/definition-workbook.md) into a definition, held to every rule of the JSON format.
 * Problems name the cell (`Tiêu chí!F12`) instead of a JSON path, all of them at once; a workbook whose layout is not
 * the template's (missing sheet, moved column) is reported on its own, since its cells cannot be trusted.
 */
export function definitionFromWorkbook(workbook: ExcelJS.Workbook): DefinitionValidation {
  const layout: FileProblem[] = [];
  const sheets = Object.values(SHEET).slice(1).map((name) => requireSheet(workbook, name, layout));
  const [general, levels, pillars, indicators, criteria, options] = sheets;
  if (!general || !levels || !pillars || !indicators || !criteria || !options) return { ok: false, problems: layout };
  const read = {
    general: labelledValues(general, Object.values(GENERAL_ROWS), layout),
    levels: tableRows(levels, LEVEL_COLUMNS, layout),
    pillars: tableRows(pillars, PILLAR_COLUMNS, layout),
    indicators: tableRows(indicators, INDICATOR_COLUMNS, layout),
    criteria: tableRows(criteria, CRITERION_COLUMNS, layout),
    options: tableRows(options, OPTION_COLUMNS, layout),
  };
  if (layout.length > 0) return { ok: false, problems: layout };

  const places = new CellPlaces();
  const raw = assemble(places, read);
  const validation = validateDefinition(raw);
  const problems = [...places.problems, ...(validation.ok ? [] : places.locate(validation.problems, `${SHEET.general}!A1`))];
  return problems.length === 0 && validation.ok ? validation : { ok: false, problems: sortByCell(problems) };
}

/** Reads a workbook file; a file that cannot be read or is no workbook is a UserError naming the file. */
export async function readDefinitionWorkbook(file: string): Promise<DefinitionValidation> {
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    throw readError(file, error);
  }
  let prepared: Buffer;
  try {
    prepared = prepareWorkbookPackage(buffer);
  } catch (error) {
    if (error instanceof WorkbookPackageError) throw new UserError(`${file}: ${describePackageProblem(error.problem)}`);
    throw error;
  }
  try {
    await workbook.xlsx.load(prepared as unknown as ArrayBuffer);
  } catch (error) {
    // The package is a sound zip of the right size: what failed is the reader, and its own words are the best clue.
    const detail = error instanceof Error ? error.message : String(error);
    throw new TranslatableUserError("operator.reasons.workbookUnreadable", { file, detail }, `${file}: the workbook could not be read (${detail})`);
  }
  return definitionFromWorkbook(workbook);
}

interface Sheets {
  readonly general: readonly ReadCell[];
  readonly levels: readonly TableRow[];
  readonly pillars: readonly TableRow[];
  readonly indicators: readonly TableRow[];
  readonly criteria: readonly TableRow[];
  readonly options: readonly TableRow[];
}

type Json = Record<string, unknown>;

/** Cells of a row by column name. */
function cellsOf<K extends string>(columns: Readonly<Record<K, unknown>>, row: TableRow): Record<K, ReadCell> {
  const named = {} as Record<K, ReadCell>;
  (Object.keys(columns) as K[]).forEach((key, i) => {
    const cell = row.cells[i];
    if (cell) named[key] = cell;
  });
  return named;
}

function assemble(places: CellPlaces, sheets: Sheets): Json {
  const [id, titleVi, titleEn, decision, issuedOn, official, noteVi, noteEn, maxScore] = sheets.general as ReadCell[];
  if (!id || !titleVi || !titleEn || !decision || !issuedOn || !official || !noteVi || !noteEn || !maxScore) throw new Error("general sheet misread");
  places.place("(root)", `${SHEET.general}!A1`);
  places.place("levels", `${SHEET.levels}!A1`);
  places.place("pillars", `${SHEET.pillars}!A1`);
  places.place("source", decision.at);
  return {
    id: places.field("id", id, asText),
    title: places.localized("title", titleVi, titleEn),
    source: {
      decision: places.field("source.decision", decision, asText),
      issuedOn: issuedOn.value === null ? places.problem(issuedOn.at, "is required (a date like 24/10/2024)", "source.issuedOn", { code: "dateRequired", params: {} }) : places.field("source.issuedOn", issuedOn, asIsoDate),
      official: places.field("source.official", official, asOfficial),
      note: places.localized("source.note", noteVi, noteEn),
    },
    maxScore: places.field("maxScore", maxScore, asNumber),
    levels: sheets.levels.map((row, i) => {
      const c = cellsOf(LEVEL_COLUMNS, row);
      const path = `levels[${i}]`;
      places.place(path, c.id.at);
      return { id: places.field(`${path}.id`, c.id, asText), name: places.localized(`${path}.name`, c.nameVi, c.nameEn), minScore: places.field(`${path}.minScore`, c.minScore, asNumber) };
    }),
    pillars: assemblePillars(places, sheets),
  };
}

/**
 * Where a child row goes: the part of its id before the last dot is its parent's id (`P1.2` → `P1`). A row whose
 * parent is missing is reported and left out, and so are its own children, silently: one mistake, one line.
 */
function parentOf(places: CellPlaces, idCell: ReadCell, parents: ReadonlyMap<string, { path: string; children: Json[] }>, parentSheet: string, dropped: Set<string>) {
  if (idCell.value === null) return places.problem(idCell.at, "is required", undefined, { code: "required", params: {} });
  const id = asText(idCell.value);
  if (!id.ok) return places.problem(idCell.at, id.reason, undefined, id.rule);
  const dot = id.value.lastIndexOf(".");
  const parentId = id.value.slice(0, Math.max(dot, 0));
  const parent = parents.get(parentId);
  if (parent) return parent;
  if (!dropped.has(parentId)) {
    const reason = dot < 0 ? "the part before the last dot must name" : `there is no "${parentId}" in`;
    const rule: ProblemRule = { code: dot < 0 ? "noParentPart" : "noParent", params: { parent: parentId, sheet: parentSheet, id: id.value } };
    places.problem(idCell.at, `${reason} the sheet "${parentSheet}" that this row belongs to ("${id.value}")`, undefined, rule);
  }
  dropped.add(id.value);
  return undefined;
}

function assemblePillars(places: CellPlaces, sheets: Sheets): Json[] {
  const pillarParents = new Map<string, { path: string; children: Json[] }>();
  const pillars = sheets.pillars.map((row, p) => {
    const c = cellsOf(PILLAR_COLUMNS, row);
    const path = `pillars[${p}]`;
    places.place(path, c.id.at);
    places.place(`${path}.indicators`, c.id.at);
    const id = places.field(`${path}.id`, c.id, asText);
    const indicators: Json[] = [];
    if (id !== undefined && !pillarParents.has(id)) pillarParents.set(id, { path, children: indicators });
    return { id, name: places.localized(`${path}.name`, c.nameVi, c.nameEn), maxScore: places.field(`${path}.maxScore`, c.maxScore, asNumber), indicators };
  });

  const dropped = new Set<string>();
  const indicatorParents = new Map<string, { path: string; children: Json[] }>();
  for (const row of sheets.indicators) {
    const c = cellsOf(INDICATOR_COLUMNS, row);
    const pillar = parentOf(places, c.id, pillarParents, SHEET.pillars, dropped);
    if (!pillar) continue;
    const path = `${pillar.path}.indicators[${pillar.children.length}]`;
    places.place(path, c.id.at);
    places.place(`${path}.criteria`, c.id.at);
    const id = places.field(`${path}.id`, c.id, asText) ?? "";
    const criteria: Json[] = [];
    if (!indicatorParents.has(id)) indicatorParents.set(id, { path, children: criteria });
    pillar.children.push({ id, name: places.localized(`${path}.name`, c.nameVi, c.nameEn), criteria });
  }

  const optionLists = new Map<string, { path: string; options: Json[] }>();
  for (const row of sheets.criteria) {
    const c = cellsOf(CRITERION_COLUMNS, row);
    const indicator = parentOf(places, c.id, indicatorParents, SHEET.indicators, dropped);
    if (!indicator) continue;
    const path = `${indicator.path}.criteria[${indicator.children.length}]`;
    places.place(path, c.id.at);
    const id = places.field(`${path}.id`, c.id, asText) ?? "";
    const answer = assembleAnswer(places, `${path}.answer`, c);
    if (answer.options && !optionLists.has(id)) optionLists.set(id, { path: `${path}.answer`, options: answer.options });
    const help = c.helpVi.value === null && c.helpEn.value === null ? undefined : places.localized(`${path}.help`, c.helpVi, c.helpEn);
    indicator.children.push({
      id,
      question: places.localized(`${path}.question`, c.questionVi, c.questionEn),
      help,
      maxScore: places.field(`${path}.maxScore`, c.maxScore, asNumber),
      evidence: places.field(`${path}.evidence`, c.evidence, asOneOf(EVIDENCE_KINDS)),
      answer: answer.spec,
    });
  }
  assembleOptions(places, sheets.options, optionLists, dropped);
  return pillars;
}

type CriterionCells = Record<keyof typeof CRITERION_COLUMNS, ReadCell>;

const NUMBER_ONLY = ["unit", "min", "max", "bands", "linearTarget"] as const;

function assembleAnswer(places: CellPlaces, path: string, c: CriterionCells): { spec: Json | undefined; options?: Json[] } {
  places.place(path, c.type.at);
  if (c.type.value === null) {
    places.problem(c.type.at, "is required (one of yesno, choice, multi, number)", path, { code: "typeRequired", params: {} });
    return { spec: undefined };
  }
  const converted = asOneOf(ANSWER_TYPES)(c.type.value);
  if (!converted.ok) {
    places.problem(c.type.at, converted.reason, path, converted.rule);
    return { spec: undefined };
  }
  const type = converted.value;
  if (type !== "number") {
    for (const key of NUMBER_ONLY) {
      if (c[key].value !== null) places.problem(c[key].at, `only number answers have this column (this criterion's type is ${type}); leave it blank`, undefined, { code: "numberOnly", params: { type } });
    }
  }
  if (type === "yesno") return { spec: { type } };
  if (type === "choice" || type === "multi") {
    const options: Json[] = [];
    return { spec: { type, options }, options };
  }
  const linearTarget = places.field(`${path}.linear.target`, c.linearTarget, asNumber);
  places.place(`${path}.linear`, c.linearTarget.at);
  return {
    spec: {
      type,
      unit: places.field(`${path}.unit`, c.unit, asOneOf(NUMBER_UNITS)),
      min: places.field(`${path}.min`, c.min, asNumber),
      max: places.field(`${path}.max`, c.max, asNumber),
      // Unreadable bands are reported on their cell; an empty list keeps "bands or linear" from being reported too.
      bands: c.bands.value === null ? undefined : (places.field(`${path}.bands`, c.bands, asBands) ?? []),
      linear: c.linearTarget.value === null ? undefined : { target: linearTarget },
    },
  };
}

function assembleOptions(places: CellPlaces, rows: readonly TableRow[], lists: ReadonlyMap<string, { path: string; options: Json[] }>, dropped: ReadonlySet<string>): void {
  for (const row of rows) {
    const c = cellsOf(OPTION_COLUMNS, row);
    const criterionId = c.criterion.value === null ? undefined : asText(c.criterion.value);
    if (!criterionId?.ok) {
      if (criterionId) places.problem(c.criterion.at, criterionId.reason, undefined, criterionId.rule);
      else places.problem(c.criterion.at, "is required (the id of a choice or multi criterion)", undefined, { code: "optionCriterionRequired", params: {} });
      continue;
    }
    const list = lists.get(criterionId.value);
    if (!list && dropped.has(criterionId.value)) continue;
    if (!list) {
      places.problem(c.criterion.at, `no criterion "${criterionId.value}" of type choice or multi in the sheet "${SHEET.criteria}"`, undefined, { code: "noOptionCriterion", params: { id: criterionId.value, sheet: SHEET.criteria } });
      continue;
    }
    const path = `${list.path}.options[${list.options.length}]`;
    places.place(path, c.id.at);
    list.options.push({
      id: places.field(`${path}.id`, c.id, asText),
      label: places.localized(`${path}.label`, c.labelVi, c.labelEn),
      score: places.field(`${path}.score`, c.score, asNumber),
      // Workbooks made before the keywords column have no cell here: the option simply has none.
      ...(c.keywords === undefined ? {} : keywordsField(places.field(`${path}.keywords`, c.keywords, asKeywords))),
    });
  }
}

/** "đám mây; cloud; viettel": the words of one option, separated by semicolons, blanks dropped. */
function asKeywords(value: Plain): Converted<string[]> {
  const text = asText(value);
  if (!text.ok) return text;
  return { ok: true, value: text.value.split(";").map((k) => k.trim()).filter((k) => k !== "") };
}

function keywordsField(keywords: string[] | undefined): { keywords?: string[] } {
  return keywords === undefined || keywords.length === 0 ? {} : { keywords };
}

const SHEET_ORDER: readonly string[] = Object.values(SHEET);

/** Problems in reading order: sheet by sheet as the workbook has them, then row by row, then column by column. */
function sortByCell(problems: readonly FileProblem[]): FileProblem[] {
  const key = (p: FileProblem): [number, number, number] => {
    const match = /^(.*)!([A-Z]+)(\d+)$/.exec(p.path);
    if (!match) return [SHEET_ORDER.length, 0, 0];
    const [, sheet = "", letters = "", row = "0"] = match;
    const column = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    return [SHEET_ORDER.indexOf(sheet), Number(row), column];
  };
  return problems
    .map((p, i) => ({ p, i, k: key(p) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map(({ p }) => p);
}
