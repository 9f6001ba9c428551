import path from "node:path";
import { z } from "zod";
import { DossierNotFoundError, writeDossier } from "../app/evidence/dossier.js";
import { dataDirFor } from "../app/generated-files.js";
import type { Text } from "../domain/conversation/text.js";
import { createTranslator } from "../i18n/translator.js";
import type { Db } from "../persistence/database.js";
import { parseDatabaseUrl } from "../persistence/database-url.js";
import type { Command } from "./command-table.js";
import { checkFlags } from "./flag-check.js";
import { OperatorError, reason } from "./operator-text.js";
import { loadCliConfig, withDatabase } from "./with-database.js";

/** `report dossier --agency <name|id> --period <id> --out <file.zip> [--json]` (docs/operator-commands.md). */

const dossierFlags = z.object({
  agency: z.string({ error: "operator.reasons.dossierAgencyRequired" }).trim().min(1, "operator.reasons.notEmpty"),
  period: z.string({ error: "operator.reasons.periodRequired" }).trim().min(1, "operator.reasons.notEmpty"),
  out: z
    .string({ error: "operator.reasons.zipRequired" })
    .trim()
    .min(1, "operator.reasons.notEmpty")
    .refine((file) => file.toLowerCase().endsWith(".zip"), "operator.reasons.mustBeZip"),
});

const agencyFlagError = (key: string, vars: Record<string, string | number>) => new OperatorError("operator.common.flagProblem", { flag: "--agency", reason: reason(key, vars) });

/** An agency by id, or by its exact name when that names one agency only (names repeat across provinces). */
async function agencyIdOf(db: Db, query: string): Promise<string> {
  const byId = await db.agency.findUnique({ where: { id: query }, select: { id: true } });
  if (byId !== null) return byId.id;
  const byName = await db.agency.findMany({ where: { name: query }, select: { id: true, province: { select: { name: true } } } });
  const [only] = byName;
  if (only !== undefined && byName.length === 1) return only.id;
  if (byName.length > 1) throw agencyFlagError("operator.report.dossier.ambiguous", { given: query, count: byName.length, provinces: byName.map((a) => a.province.name).join(", ") });
  throw agencyFlagError("operator.report.dossier.noAgency", { given: query });
}

/**
 * One agency's dossier (hồ sơ) as the chat sends it to its lead: the operator's way to hand an agency its package, or
 * to take one to the province. The ZIP is written under a temporary name beside `--out` and renamed when complete.
 * Its texts (the summary workbook) are in the run's language.
 */
export const DOSSIER_COMMAND: Command = {
  words: "dossier",
  options: { agency: { type: "string" }, period: { type: "string" }, out: { type: "string" } },
  async run(context) {
    const { t, locale } = context;
    if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: t("operator.report.dossier.usage") });
    const flags = checkFlags(dossierFlags, context.values, t);
    const config = loadCliConfig();
    const dataDir = dataDirFor(parseDatabaseUrl(config.DATABASE_URL));
    const translator = await createTranslator();
    const render = (text: Text): string => translator.text(locale, text);
    const summary = await withDatabase(async (db) => {
      const agencyId = await agencyIdOf(db, flags.agency);
      try {
        return await writeDossier(db, { agencyId, periodId: flags.period, locale, render, dataDir, now: new Date() }, path.resolve(flags.out));
      } catch (error) {
        if (error instanceof DossierNotFoundError) throw agencyFlagError("operator.report.dossier.none", { given: flags.agency, periodId: flags.period });
        throw error;
      }
    });
    const left = summary.notIncluded === 0 ? "" : t("operator.report.dossier.notIncluded", { count: summary.notIncluded });
    context.emit(summary, [t("operator.report.dossier.written", { agency: summary.agencyName, period: summary.periodName, files: summary.files, bytes: String(summary.sizeBytes), file: summary.file }) + left]);
  },
};
