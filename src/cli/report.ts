import path from "node:path";
import { z } from "zod";
import type { Text } from "../domain/conversation/text.js";
import { formatVietnamDateTime } from "../domain/periods/period-file.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { fromHundredths } from "../domain/questionnaire/hundredths.js";
import { rankByGroup } from "../domain/results/ranking.js";
import { createTranslator } from "../i18n/translator.js";
import { AGENCY_GROUPS } from "../persistence/agency-store.js";
import type { Db } from "../persistence/db-client.js";
import { findProvince } from "../persistence/province-store.js";
import { loadPeriodResults, type AgencyResult, type PeriodResults } from "../persistence/results-store.js";
import { buildCsv } from "../results/export-csv.js";
import { buildWorkbook } from "../results/export-workbook.js";
import { groupLabel, type Render } from "../results/report-table.js";
import { UserError, checkFlags, formatFromOut, parseFlags, printJson, runCli } from "./cli-support.js";
import { asFlagError, loadCliConfig, withDatabase } from "./with-database.js";
import { writeAtomically } from "./write-atomically.js";
import { DOSSIER_USAGE, runDossier } from "./report-dossier.js";

/**
 * `report …` (docs/operator-commands.md): results of a period for provinces and the national level.
 * - `report export --period <id> [--province <name>] [--format xlsx|csv] --out <file> [--json]` (the format from
 *   --out's extension when not given)
 * - `report national --period <id> [--json]`: agencies ranked within their ranking group (khối)
 * - `report dossier --agency <name|id> --period <id> --out <file.zip>`: one agency's dossier (report-dossier.ts)
 */
const USAGE = "report export --period <id> [--province <name>] [--format xlsx|csv] --out <file> [--json] | report national --period <id> [--json]";
const FORMATS = ["xlsx", "csv"] as const;

const periodFlag = z.string({ error: "is required (the period id, see admin list periods)" }).trim().min(1, "must not be empty");

const exportFlags = z.object({
  period: periodFlag,
  province: z.string().trim().min(1, "must not be empty (the province's name)").optional(),
  format: z.enum(FORMATS, {
    error: (issue) => (issue.input === undefined ? "is required: xlsx or csv (or give --out a name ending in .xlsx or .csv)" : `must be xlsx or csv (got "${String(issue.input)}")`),
  }),
  out: z.string({ error: "is required (the file to write)" }).trim().min(1, "must not be empty"),
});

const nationalFlags = z.object({ period: periodFlag });

await runCli(async () => {
  const [subcommand, ...rest] = process.argv.slice(2);
  if (subcommand === "export") return runExport(rest);
  if (subcommand === "national") return runNational(rest);
  if (subcommand === "dossier") return runDossier(rest);
  throw new UserError(`usage: ${USAGE} | ${DOSSIER_USAGE}`);
});

async function runExport(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    period: { type: "string" },
    province: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
  });
  noArguments(positionals);
  const flags = checkFlags(exportFlags, formatFromOut(values, FORMATS));
  const out = path.resolve(flags.out);
  const { locale, render } = await reader();
  const summary = await withDatabase(async (db) => {
    const province = flags.province === undefined ? null : await findProvince(db, flags.province).catch(asFlagError("--province"));
    const results = await periodResults(db, flags.period, province?.id);
    const bytes =
      flags.format === "csv"
        ? Buffer.from(buildCsv(results, render, locale), "utf8")
        : await buildWorkbook(results, { render, locale, scope: province?.name ?? null, generatedAt: new Date() });
    await writeAtomically(out, bytes);
    return { file: out, format: flags.format, period: { id: results.period.id, name: results.period.name }, province: province?.name ?? null, agencies: results.agencies.length };
  });
  if (values.json === true) printJson(summary);
  else console.log(`wrote ${summary.agencies} agencies (${summary.province ?? "all provinces"}, ${summary.period.name}) to ${summary.file}`);
}

async function runNational(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { period: { type: "string" }, json: { type: "boolean" } });
  noArguments(positionals);
  const flags = checkFlags(nationalFlags, values);
  const { locale, render } = await reader();
  const results = await withDatabase((db) => periodResults(db, flags.period));
  const view = nationalView(results, render, locale);
  if (values.json === true) return printJson(view);
  console.log(`${view.period.name} (${view.period.id}, ${view.period.definition}): ${view.submitted}/${view.agencies} agencies submitted`);
  for (const group of view.groups) {
    console.log(`\n${group.label} [${group.group}]: ${group.submitted}/${group.agencies} submitted`);
    for (const a of group.ranking) {
      const rank = a.rank === null ? "  -" : String(a.rank).padStart(3);
      const score = a.rank === null ? `${a.status}, ${a.answered}/${a.criteria} answered` : `${a.total}/${a.maxScore} ${a.level?.name ?? ""}`;
      console.log(`${rank}. ${a.name} (${a.province}) — ${score}`);
    }
  }
}

/** The national view: every agency of the period, ranked within its group (submitted results only). */
function nationalView(results: PeriodResults, render: Render, locale: Locale) {
  const rows = results.agencies.map((agency) => ({ ...agency, submitted: agency.status === "submitted", totalH: agency.score.totalH }));
  const groups = rankByGroup(rows, AGENCY_GROUPS);
  return {
    period: { id: results.period.id, name: results.period.name, definition: results.definition.id },
    agencies: rows.length,
    submitted: rows.filter((r) => r.submitted).length,
    groups: groups.map((group) => ({
      group: group.group,
      label: groupLabel(render, group.group),
      agencies: group.agencies.length,
      submitted: group.agencies.filter((a) => a.submitted).length,
      ranking: group.agencies.map((a) => agencyJson(a, a.rank, locale)),
    })),
  };
}

function agencyJson(agency: AgencyResult, rank: number | null, locale: Locale) {
  return {
    rank,
    id: agency.id,
    name: agency.name,
    province: agency.province,
    status: agency.status,
    total: fromHundredths(agency.score.totalH),
    maxScore: fromHundredths(agency.score.maxH),
    // No level before the first answer: scoring nothing would say "Yếu".
    level:
      agency.status === "not-started"
        ? null
        : { id: agency.score.level.id, name: locale === "en" && agency.score.level.name.en !== "" ? agency.score.level.name.en : agency.score.level.name.vi },
    pillars: agency.score.pillars.map((p) => ({ id: p.id, score: fromHundredths(p.scoreH), maxScore: fromHundredths(p.maxH) })),
    answered: agency.score.answered,
    criteria: agency.score.criteria,
    submittedAt: agency.submittedAt === null ? null : formatVietnamDateTime(agency.submittedAt),
  };
}

async function reader(): Promise<{ locale: Locale; render: Render }> {
  const locale = loadCliConfig().DEFAULT_LOCALE;
  const translator = await createTranslator();
  return { locale, render: (text: Text) => translator.text(locale, text) };
}

async function periodResults(db: Db, periodId: string, provinceId?: string): Promise<PeriodResults> {
  return loadPeriodResults(db, periodId, provinceId === undefined ? {} : { provinceId });
}

function noArguments(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UserError(`unexpected "${positionals.join(" ")}"; usage: ${USAGE}`);
}
