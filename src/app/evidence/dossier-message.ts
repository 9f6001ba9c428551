import type { Logger } from "pino";
import type { Channel, OutboundMessage } from "../../channels/channel.js";
import { t, type Text } from "../../domain/conversation/text.js";
import type { Locale } from "../../domain/questionnaire/definition-schema.js";
import type { Translator } from "../../i18n/translator.js";
import type { Db } from "../../persistence/database.js";
import { TELEGRAM_UPLOAD_MAX_BYTES } from "../../domain/delivery/outbound-message.js";
import { generatedFilePath } from "../generated-files.js";
import { DossierNotFoundError, writeDossier } from "./dossier.js";

/** Who asked for a dossier, from their role grant (never from what the engine or the message named). */
export interface DossierRequester {
  readonly role: "member" | "lead" | "supervisor";
  readonly agencyId: string | null;
  readonly provinceId: string;
}

export interface DossierMessageDeps {
  readonly db: Db;
  readonly translator: Translator;
  readonly dataDir: string;
  readonly logger?: Pick<Logger, "error"> | undefined;
}

/** The conversation's facts the scope is checked against. */
export interface DossierContext {
  readonly channel: Channel;
  readonly requester: DossierRequester | null;
  /** A lead's open assessment. */
  readonly assessmentId: string | null;
  /** The period a supervisor's overview shows. */
  readonly supervisorPeriodId: string | null;
}

/**
 * The engine's "dossier" effect as a message: the ZIP as a document (Telegram sends it as a file up to 50 MB, beyond
 * that and on Zalo the adapter sends an expiring link, and the caption says which). The scope is decided here again:
 * a lead gets their own agency's dossier whatever the effect names, a supervisor only an agency of their own province
 * (another province's agency is "not found", as in the overview); anyone else gets nothing.
 */
export async function dossierMessage(deps: DossierMessageDeps, agencyId: string | null, locale: Locale, context: DossierContext, now: Date): Promise<OutboundMessage> {
  const say = (text: Text): OutboundMessage => ({ kind: "reply", reply: deps.translator.reply(locale, { paragraphs: [text] }) });
  const target = await targetOf(deps.db, agencyId, context);
  if (target === null) return say(t(context.requester?.role === "member" ? "evidence2.dossier.leadOnly" : "evidence2.dossier.notFound"));
  try {
    const out = await generatedFilePath(deps.dataDir, "exports", "zip", now);
    const render = (text: Text): string => deps.translator.text(locale, text);
    const dossier = await writeDossier(deps.db, { ...target, locale, render, dataDir: deps.dataDir, now }, out);
    const asLink = context.channel === "zalo" || (context.channel === "telegram" && dossier.sizeBytes > TELEGRAM_UPLOAD_MAX_BYTES);
    const vars = { agency: dossier.agencyName, period: dossier.periodName, files: dossier.files, megabytes: Math.max(0.1, Math.round(dossier.sizeBytes / 104_857.6) / 10) };
    const caption = [t("evidence2.dossier.caption", vars), ...(dossier.notIncluded > 0 ? [t("evidence2.dossier.notIncluded", { count: dossier.notIncluded })] : []), ...(asLink ? [t("evidence2.dossier.asLink")] : [])];
    return { kind: "document", file: dossier.file, fileName: dossier.fileName, caption: caption.map(render).join("\n") };
  } catch (error) {
    if (error instanceof DossierNotFoundError) return say(t("evidence2.dossier.notFound"));
    deps.logger?.error({ err: error }, "dossier failed");
    return say(t("evidence2.dossier.failed"));
  }
}

/** The agency and period the requester may have, or null. */
async function targetOf(db: Db, agencyId: string | null, context: DossierContext): Promise<{ agencyId: string; periodId: string; provinceId?: string } | null> {
  const requester = context.requester;
  if (requester?.role === "lead" && requester.agencyId !== null && context.assessmentId !== null) {
    if (agencyId !== null && agencyId !== requester.agencyId) return null;
    const assessment = await db.assessment.findUnique({ where: { id: context.assessmentId }, select: { agencyId: true, periodId: true } });
    return assessment === null || assessment.agencyId !== requester.agencyId ? null : { agencyId: assessment.agencyId, periodId: assessment.periodId };
  }
  if (requester?.role === "supervisor" && agencyId !== null && context.supervisorPeriodId !== null) {
    return { agencyId, periodId: context.supervisorPeriodId, provinceId: requester.provinceId };
  }
  return null;
}
