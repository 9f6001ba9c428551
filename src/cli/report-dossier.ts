import path from "node:path";
import { z } from "zod";
import { DossierNotFoundError, writeDossier } from "../app/evidence/dossier.js";
import { dataDirFor } from "../app/generated-files.js";
import type { Text } from "../domain/conversation/text.js";
import { createTranslator } from "../i18n/translator.js";
import type { Db } from "../persistence/database.js";
import { parseDatabaseUrl } from "../persistence/database-url.js";
import { UserError, checkFlags, parseFlags, printJson } from "./cli-support.js";
import { loadCliConfig, withDatabase } from "./with-database.js";

/** `report dossier --agency <name|id> --period <id> --out <file.zip> [--json]` (docs/operator-commands.md). */
export const DOSSIER_USAGE = "report dossier --agency <name|id> --period <id> --out <file.zip> [--json]";

const dossierFlags = z.object({
  agency: z.string({ error: "is required (the agency's id or its exact name, see admin list agencies)" }).trim().min(1, "must not be empty"),
  period: z.string({ error: "is required (the period id, see admin list periods)" }).trim().min(1, "must not be empty"),
  out: z
    .string({ error: "is required (the ZIP file to write)" })
    .trim()
    .min(1, "must not be empty")
    .refine((file) => file.toLowerCase().endsWith(".zip"), "must name a .zip file"),
});

/**
 * One agency's dossier (hồ sơ) as the chat sends it to its lead: the operator's way to hand an agency its package, or
 * to take one to the province. The ZIP is written under a temporary name beside `--out` and renamed when complete.
 */
export async function runDossier(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { agency: { type: "string" }, period: { type: "string" }, out: { type: "string" }, json: { type: "boolean" } });
  if (positionals.length > 0) throw new UserError(`unexpected "${positionals.join(" ")}"; usage: ${DOSSIER_USAGE}`);
  const flags = checkFlags(dossierFlags, values);
  const config = loadCliConfig();
  const dataDir = dataDirFor(parseDatabaseUrl(config.DATABASE_URL));
  const translator = await createTranslator();
  const locale = config.DEFAULT_LOCALE;
  const render = (text: Text): string => translator.text(locale, text);
  const summary = await withDatabase(async (db) => {
    const agencyId = await agencyIdOf(db, flags.agency);
    try {
      return await writeDossier(db, { agencyId, periodId: flags.period, locale, render, dataDir, now: new Date() }, path.resolve(flags.out));
    } catch (error) {
      if (error instanceof DossierNotFoundError) throw new UserError(`--agency: "${flags.agency}" has no dossier in period ${flags.period} (a demo agency?)`);
      throw error;
    }
  });
  if (values.json === true) return printJson(summary);
  const left = summary.notIncluded === 0 ? "" : `; ${summary.notIncluded} pieces of evidence listed but not in the ZIP (links, or files not stored yet)`;
  console.log(`wrote the dossier of ${summary.agencyName} (${summary.periodName}): ${summary.files} files, ${summary.sizeBytes} bytes, to ${summary.file}${left}`);
}

/** An agency by id, or by its exact name when that names one agency only (names repeat across provinces). */
async function agencyIdOf(db: Db, query: string): Promise<string> {
  const byId = await db.agency.findUnique({ where: { id: query }, select: { id: true } });
  if (byId !== null) return byId.id;
  const byName = await db.agency.findMany({ where: { name: query }, select: { id: true, province: { select: { name: true } } } });
  const [only] = byName;
  if (only !== undefined && byName.length === 1) return only.id;
  if (byName.length > 1) throw new UserError(`--agency: "${query}" names ${byName.length} agencies (${byName.map((a) => a.province.name).join(", ")}); give its id (admin list agencies)`);
  throw new UserError(`--agency: no agency with id or name "${query}" (see admin list agencies)`);
}
