import path from "node:path";
import type { Logger } from "pino";
import type { Channel, OutboundMessage } from "../channels/channel.js";
import { dossierMessage, type DossierContext, type DossierRequester } from "./evidence/dossier-message.js";
import type { SessionView } from "../domain/conversation/context.js";
import type { Effect, Reply } from "../domain/conversation/effects.js";
import { t } from "../domain/conversation/text.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { ProvinceView } from "../domain/results/province-view.js";
import type { Translator } from "../i18n/translator.js";
import type { Db } from "../persistence/db-client.js";
import { writeProvinceWorkbook } from "./province-report.js";
import { captionFrom, renderScoreCardFile, scoreCardData } from "./score-card.js";

/** Where generated files go when the caller names no data directory (the service and chat pass theirs). */
export const DEFAULT_DATA_DIR = path.resolve("data");

export interface ResultMessagesDeps {
  readonly db: Db;
  readonly translator: Translator;
  readonly dataDir: string;
  readonly logger?: Pick<Logger, "error"> | undefined;
}

/** What the app loaded for this message: whose results a picture or a report may show. */
export interface ResultScope {
  /** Where the message came from and who sent it (their role grant): what a dossier may hold and how it is sent. */
  readonly channel?: Channel;
  readonly requester?: DossierRequester | null;
  readonly agencyName: string | null;
  readonly session: SessionView | null;
  /** The supervisor's own province (from their role grant), with the view the engine saw. */
  readonly province: { readonly id: string; readonly view: ProvinceView } | null;
}

/**
 * Turns the engine's effects into the messages to queue for this chat, in order, doing the slow work (rendering the
 * score card, building the workbook) before the caller opens its transaction:
 * - a reply asking for the score card becomes a photo whose caption is the reply (cut to fit), followed by the whole
 *   reply as text when the caption could not hold it;
 * - an export becomes a document;
 * - every other reply stays a reply.
 * If a picture or a report cannot be made, the text still goes out (and the failure is logged).
 */
export async function resultMessages(
  deps: ResultMessagesDeps,
  effects: readonly Effect[],
  locale: Locale,
  scope: ResultScope,
  now: Date,
): Promise<OutboundMessage[]> {
  const messages: OutboundMessage[] = [];
  for (const effect of effects) {
    if (effect.kind === "reply") messages.push(...(await replyMessages(deps, effect.reply, locale, scope, now)));
    else if (effect.kind === "export") messages.push(await exportMessage(deps, effect.caption, locale, scope, now));
    else if (effect.kind === "dossier") messages.push(await dossierMessage(deps, effect.agencyId, locale, dossierContext(scope), now));
  }
  return messages;
}

async function replyMessages(deps: ResultMessagesDeps, reply: Reply, locale: Locale, scope: ResultScope, now: Date): Promise<OutboundMessage[]> {
  const rendered = deps.translator.reply(locale, reply);
  const text: OutboundMessage = { kind: "reply", reply: rendered };
  if (reply.image?.kind !== "score-card" || scope.session === null) return [text];
  let file: string;
  try {
    file = await renderScoreCardFile(deps.dataDir, scoreCardData(deps.translator, locale, scope.session, scope.agencyName ?? ""), now);
  } catch (error) {
    deps.logger?.error({ err: error }, "score card rendering failed; sending the text only");
    return [text];
  }
  const render = (p: Parameters<Translator["text"]>[1]) => deps.translator.text(locale, p);
  const { caption, complete } = captionFrom(reply.paragraphs.map(render), reply.image.summary.map(render));
  const withChoices = rendered.choices.length > 0;
  return complete && !withChoices ? [{ kind: "photo", file, caption }] : [{ kind: "photo", file, caption }, text];
}

function dossierContext(scope: ResultScope): DossierContext {
  return {
    channel: scope.channel ?? "console",
    requester: scope.requester ?? null,
    assessmentId: scope.session?.assessmentId ?? null,
    supervisorPeriodId: scope.province?.view.period?.id ?? null,
  };
}

async function exportMessage(deps: ResultMessagesDeps, caption: Parameters<Translator["text"]>[1], locale: Locale, scope: ResultScope, now: Date): Promise<OutboundMessage> {
  const province = scope.province;
  const period = province?.view.period ?? null;
  try {
    if (province === null || period === null) throw new Error("export without a supervisor's province and period");
    const report = await writeProvinceWorkbook(deps, { provinceId: province.id, provinceName: province.view.provinceName, periodId: period.id, locale, now });
    return { kind: "document", file: report.file, fileName: report.fileName, caption: deps.translator.text(locale, caption) };
  } catch (error) {
    deps.logger?.error({ err: error }, "province report failed");
    return { kind: "reply", reply: deps.translator.reply(locale, { paragraphs: [t("results.export.failed")] }) };
  }
}
