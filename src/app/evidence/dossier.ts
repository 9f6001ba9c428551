import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { ZipEntryData } from "archiver";
import { pipeline } from "node:stream/promises";
import { literal, t } from "../../domain/conversation/text.js";
import { criterionFolder, DOSSIER_SUMMARY_NAME, dossierFileName, evidenceEntryName } from "../../domain/evidence/dossier-names.js";
import type { Locale } from "../../domain/questionnaire/definition-schema.js";
import { fromHundredths } from "../../domain/questionnaire/hundredths.js";
import type { Db } from "../../persistence/database.js";
import { loadPeriodResults, type AgencyResult, type EvidenceRecord, type PeriodResults } from "../../persistence/results-store.js";
import { setWidths, toVietnamCell, writeTable } from "../../results/export-workbook.js";
import { answersTable, levelLabel, statusLabel, type Render } from "../../results/report-table.js";

/** What a dossier holds, for the caller's message or summary. */
export interface DossierSummary {
  /** Absolute path of the ZIP written. */
  readonly file: string;
  /** The name the recipient sees (`ho-so-<agency>.zip`). */
  readonly fileName: string;
  readonly agencyName: string;
  readonly periodName: string;
  readonly sizeBytes: number;
  /** Stored files put in the ZIP. */
  readonly files: number;
  /** Evidence on file that is not in the ZIP: links, files not fetched from Telegram yet, files missing on disk. */
  readonly notIncluded: number;
}

export interface DossierRequest {
  readonly agencyId: string;
  readonly periodId: string;
  /** When set, an agency outside this province is not found (the supervisor's scope). */
  readonly provinceId?: string;
  readonly locale: Locale;
  readonly render: Render;
  /** The data directory evidence refs (`file:evidence/…`) are relative to. */
  readonly dataDir: string;
  readonly now: Date;
}

/** The agency is not in the period's scope (unknown, a demo agency, or of another province). */
export class DossierNotFoundError extends Error {
  override name = "DossierNotFoundError";
}

/** One stored file on its way into the ZIP. */
interface PlannedFile {
  readonly source: string;
  readonly name: string;
}

/**
 * Writes one agency's dossier (hồ sơ) for a period to `out`: `00-tong-hop.xlsx` — every criterion in the definition's
 * order with its answer, points, note, evidence (named by where it is in the ZIP), who answered and when, then the
 * total and the level — and one folder per criterion code holding its stored files.
 *
 * Built streaming: the workbook (a few hundred kB) is the only thing held whole; each evidence file is opened only
 * when the archiver reaches it and flows to disk in chunks, and stored as is (PDF, JPEG and Office files are
 * compressed already: deflating them again would cost seconds of CPU for a few percent). The ZIP is written under a
 * temporary name and renamed when complete, so a failure leaves nothing that looks finished.
 */
export async function writeDossier(db: Db, request: DossierRequest, out: string): Promise<DossierSummary> {
  const results = await loadPeriodResults(db, request.periodId, { agencyId: request.agencyId, ...(request.provinceId === undefined ? {} : { provinceId: request.provinceId }) });
  const agency = results.agencies[0];
  if (agency === undefined) throw new DossierNotFoundError(`agency ${request.agencyId} is not part of period ${request.periodId} in this scope`);
  const { planned, cells, notIncluded } = await planFiles(agency, request);
  const workbook = await summaryWorkbook(results, agency, request, cells);

  const { default: archiver } = await import("archiver");
  const archive = archiver("zip", { zlib: { level: 6 } });
  // A file that vanished between planning and reading must fail the dossier, not silently leave a hole in it.
  archive.on("warning", (error: Error) => archive.destroy(error));
  const partial = `${out}.${randomBytes(6).toString("hex")}.part`;
  const written = pipeline(archive, createWriteStream(partial, { flags: "wx" }));
  try {
    archive.append(workbook, { name: DOSSIER_SUMMARY_NAME, date: request.now });
    for (const file of planned) {
      const entry: ZipEntryData = { name: file.name, store: true, date: request.now };
      archive.file(file.source, entry);
    }
    await Promise.all([archive.finalize(), written]);
    await rename(partial, out);
  } catch (error) {
    archive.abort();
    await written.catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  return {
    file: out,
    fileName: dossierFileName(agency.name),
    agencyName: agency.name,
    periodName: results.period.name,
    sizeBytes: (await stat(out)).size,
    files: planned.length,
    notIncluded,
  };
}

/**
 * Where each stored file goes in the ZIP and what the workbook's evidence cell says for each criterion. A ref is
 * followed only inside `<dataDir>/evidence`, whatever the database holds.
 */
async function planFiles(agency: AgencyResult, request: DossierRequest): Promise<{ planned: PlannedFile[]; cells: Map<string, string>; notIncluded: number }> {
  const root = path.join(path.resolve(request.dataDir), "evidence") + path.sep;
  const planned: PlannedFile[] = [];
  const cells = new Map<string, string>();
  let notIncluded = 0;
  for (const [criterionId, record] of agency.answers) {
    const folder = criterionFolder(criterionId);
    const lines: string[] = [];
    let index = 0;
    for (const evidence of record.evidence) {
      const source = storedPath(evidence, root);
      const present = source !== null && (await stat(source).then((s) => s.isFile(), () => false));
      if (present) {
        const name = `${folder}/${evidenceEntryName(index, evidence.fileName, path.extname(source).slice(1))}`;
        index += 1;
        planned.push({ source, name });
        lines.push(name);
        continue;
      }
      notIncluded += 1;
      lines.push(request.render(notIncludedLine(evidence)));
    }
    if (lines.length > 0) cells.set(criterionId, lines.join("\n"));
  }
  return { planned, cells, notIncluded };
}

function storedPath(evidence: EvidenceRecord, root: string): string | null {
  if (!evidence.ref.startsWith("file:")) return null;
  const resolved = path.resolve(root, "..", evidence.ref.slice("file:".length));
  return resolved.startsWith(root) ? resolved : null;
}

function notIncludedLine(evidence: EvidenceRecord) {
  if (evidence.kind === "link") return t("evidence2.dossier.link", { url: literal(evidence.ref) });
  const name = literal(evidence.fileName ?? evidence.ref);
  return evidence.ref.startsWith("telegram:") ? t("evidence2.dossier.notFetched", { name }) : t("evidence2.dossier.missing", { name });
}

/** `00-tong-hop.xlsx`: the criteria sheet (with the total and level under it) and a sheet about the dossier. */
async function summaryWorkbook(results: PeriodResults, agency: AgencyResult, request: DossierRequest, cells: ReadonlyMap<string, string>): Promise<Buffer> {
  const { render, locale } = request;
  // Loaded on first use, as for the reports: most service processes never build one.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  workbook.created = request.now;
  const sheet = workbook.addWorksheet(render(t("evidence2.dossier.sheet")), { views: [{ state: "frozen", ySplit: 1, xSplit: 1 }] });
  writeTable(sheet, answersTable(results, agency, render, locale, (id) => cells.get(id) ?? null));
  const total = sheet.addRow([render(t("results.export.totalRow")), null, null, null, levelLabel(render, agency, locale), fromHundredths(agency.score.totalH), fromHundredths(agency.score.maxH)]);
  total.font = { bold: true };
  for (const column of [6, 7]) sheet.getColumn(column).numFmt = "0.00";
  sheet.getColumn(11).numFmt = "dd/mm/yyyy hh:mm";
  setWidths(sheet, [10, 24, 24, 60, 30, 8, 8, 30, 40, 20, 18]);
  for (const column of [4, 5, 8, 9]) sheet.getColumn(column).alignment = { wrapText: true, vertical: "top" };

  const about = workbook.addWorksheet(render(t("results.export.sheet.about")));
  const rows: [string, string | number | Date | null][] = [
    [render(t("evidence2.dossier.title")), agency.name],
    [render(t("results.export.col.province")), agency.province],
    [render(t("results.export.about.period")), results.period.name],
    [render(t("results.export.col.status")), statusLabel(render, agency.status)],
    [render(t("results.export.col.total", { max: fromHundredths(agency.score.maxH) })), fromHundredths(agency.score.totalH)],
    [render(t("results.export.col.level")), levelLabel(render, agency, locale)],
    [render(t("results.export.about.generatedAt")), toVietnamCell(request.now)],
    [render(t("results.export.about.note")), render(t("results.export.about.times"))],
  ];
  for (const row of rows) about.addRow(row);
  about.getColumn(2).numFmt = "dd/mm/yyyy hh:mm";
  about.getColumn(2).alignment = { wrapText: true, vertical: "top", horizontal: "left" };
  setWidths(about, [34, 80]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
