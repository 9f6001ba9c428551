import path from "node:path";
import { z } from "zod";
import type { Text } from "../domain/conversation/text.js";
import { formatVietnamDateTime } from "../domain/periods/period-file.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { fromHundredths } from "../domain/questionnaire/hundredths.js";
import type { AgencyStatus } from "../domain/results/province-view.js";
import { rankByGroup } from "../domain/results/ranking.js";
import { createTranslator } from "../i18n/translator.js";
import { AGENCY_GROUPS } from "../persistence/agency-store.js";
import type { Db } from "../persistence/db-client.js";
import { findProvince } from "../persistence/province-store.js";
import { loadPeriodResults, type AgencyResult, type PeriodResults } from "../persistence/results-store.js";
import { buildCsv } from "../results/export-csv.js";
import { buildWorkbook } from "../results/export-workbook.js";
import { groupLabel, type Render } from "../results/report-table.js";
import { isMainModule, runProgram, type CliIo, type Command, type CommandContext } from "./command-table.js";
import { checkFlags, formatFromOut } from "./flag-check.js";
import { OperatorError, type Tr } from "./operator-text.js";
import { DOSSIER_COMMAND } from "./report-dossier.js";
import { asFlagError, withDatabase } from "./with-database.js";
import { writeAtomically } from "./write-atomically.js";

/**
 * `report …` (docs/operator-commands.md): results of a period for provinces and the national level. Labels inside
 * the files and the JSON (groups, levels) are in the run's language, DEFAULT_LOCALE unless `--lang` says otherwise.
 * - `report export --period <id> [--province <name>] [--format xlsx|csv] --out <file> [--json]` (the format from
 *   --out's extension when not given)
 * - `report national --period <id> [--json]`: agencies ranked within their ranking group (khối)
 * - `report dossier --agency <name|id> --period <id> --out <file.zip>`: one agency's dossier (report-dossier.ts)
 */
const FORMATS = ["xlsx", "csv"] as const;

export const periodFlag = z.string({ error: "operator.reasons.periodRequired" }).trim().min(1, "operator.reasons.notEmpty");

const exportFlags = z.object({
  period: periodFlag,
  province: z.string().trim().min(1, "operator.reasons.provinceNotEmpty").optional(),
  format: z.enum(FORMATS, { error: (issue) => (issue.input === undefined ? "operator.reasons.formatCsvRequired" : "operator.reasons.formatCsv") }),
  out: z.string({ error: "operator.reasons.outRequired" }).trim().min(1, "operator.reasons.notEmpty"),
});

const nationalFlags = z.object({ period: periodFlag });

const STATUS_KEYS: Readonly<Record<AgencyStatus, string>> = {
  "not-started": "operator.report.status.notStarted",
  "in-progress": "operator.report.status.inProgress",
  submitted: "operator.report.status.submitted",
};

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

function nationalLines(view: ReturnType<typeof nationalView>, t: Tr): string[] {
  const lines = [t("operator.report.national.heading", { name: view.period.name, id: view.period.id, definition: view.period.definition, submitted: view.submitted, agencies: view.agencies })];
  for (const group of view.groups) {
    lines.push("", t("operator.report.national.group", { label: group.label, group: group.group, submitted: group.submitted, agencies: group.agencies }));
    for (const a of group.ranking) {
      const rank = a.rank === null ? "  -" : String(a.rank).padStart(3);
      const score =
        a.rank === null
          ? t("operator.report.national.unranked", { status: t(STATUS_KEYS[a.status]), answered: a.answered, criteria: a.criteria })
          : t("operator.report.national.score", { total: a.total, maxScore: a.maxScore, level: a.level?.name ?? "" }).trimEnd();
      lines.push(`${rank}. ${a.name} (${a.province}) — ${score}`);
    }
  }
  return lines;
}

async function renderIn(locale: Locale): Promise<Render> {
  const translator = await createTranslator();
  return (text: Text) => translator.text(locale, text);
}

/** The period's results; an unknown or demo period is the operator's mistake, told in their language. */
async function periodResults(db: Db, periodId: string, provinceId?: string): Promise<PeriodResults> {
  const period = await db.assessmentPeriod.findUnique({ where: { id: periodId }, select: { demo: true } });
  if (period === null) throw new OperatorError("operator.report.noPeriod", { id: periodId });
  if (period.demo) throw new OperatorError("operator.report.demoPeriod", { id: periodId });
  return loadPeriodResults(db, periodId, provinceId === undefined ? {} : { provinceId });
}

function noArguments(context: CommandContext, usageKey: string): void {
  if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t(usageKey) });
}

const COMMANDS: readonly Command[] = [
  {
    words: "export",
    options: { period: { type: "string" }, province: { type: "string" }, format: { type: "string" }, out: { type: "string" } },
    async run(context) {
      noArguments(context, "operator.report.export.usage");
      const flags = checkFlags(exportFlags, formatFromOut(context.values, FORMATS), context.t);
      const out = path.resolve(flags.out);
      const { locale } = context;
      const render = await renderIn(locale);
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
      const scope = summary.province ?? context.t("operator.report.export.allProvinces");
      context.emit(summary, [context.t("operator.report.export.written", { count: summary.agencies, scope, period: summary.period.name, file: summary.file })]);
    },
  },
  {
    words: "national",
    options: { period: { type: "string" } },
    async run(context) {
      noArguments(context, "operator.report.national.usage");
      const flags = checkFlags(nationalFlags, context.values, context.t);
      const render = await renderIn(context.locale);
      const results = await withDatabase((db) => periodResults(db, flags.period));
      const view = nationalView(results, render, context.locale);
      context.emit(view, context.json ? [] : nationalLines(view, context.t));
    },
  },
  DOSSIER_COMMAND,
];

/** Runs `report` with these arguments; the exit code is returned (tests run it in-process). */
export function report(argv: string[], io?: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  return runProgram("report", COMMANDS, argv, io, env);
}

if (isMainModule(import.meta.url)) process.exitCode = await report(process.argv.slice(2));
