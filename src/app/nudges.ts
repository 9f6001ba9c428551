import type { OutboundMessage } from "../channels/channel.js";
import type { Effect } from "../domain/conversation/effects.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { Translator } from "../i18n/translator.js";
import { StaleStateError } from "../persistence/conversation-store.js";
import type { Tx } from "../persistence/db-client.js";
import { nudgeKeyPrefix, nudgeRecipients } from "../persistence/results-store.js";
import { isUniqueViolation } from "../persistence/store-errors.js";

/**
 * Two supervisors nudged the same agency at the same moment and the other one committed first. It is a kind of stale
 * state: handle-inbound retries the message, and the retry sees the agency as nudged today.
 */
export class NudgeRaceError extends StaleStateError {
  override name = "NudgeRaceError";
}

export interface NudgeScope {
  readonly now: Date;
  readonly translator: Translator;
  readonly defaultLocale: Locale;
  /** The supervisor's own province: agencies elsewhere are never nudged, whatever the effect names. */
  readonly provinceId: string | null;
}

/**
 * Queues the supervisor's nudges inside the inbound transaction: one outbox row per reachable chat account of each
 * agency, in the recipient's language, under the dedupe key `nudge:<agency>:<Vietnam day>:<identity>`. An agency
 * nudged earlier the same day is skipped (and the unique key stops a concurrent duplicate). Returns the rows queued.
 */
export async function enqueueNudges(tx: Tx, effects: readonly Effect[], scope: NudgeScope): Promise<number> {
  const wanted = effects.flatMap((e) => (e.kind === "nudge" ? e.agencies : []));
  if (wanted.length === 0 || scope.provinceId === null) return 0;
  const own = new Set(
    (await tx.agency.findMany({ where: { id: { in: wanted.map((w) => w.agencyId) }, provinceId: scope.provinceId }, select: { id: true } })).map((a) => a.id),
  );
  const targets = wanted.filter((w) => own.has(w.agencyId));
  const recipients = await nudgeRecipients(tx, targets.map((w) => w.agencyId));
  let queued = 0;
  for (const target of targets) {
    const prefix = nudgeKeyPrefix(target.agencyId, scope.now);
    if (await tx.outboxMessage.findFirst({ where: { dedupeKey: { startsWith: prefix } }, select: { id: true } })) continue;
    for (const recipient of recipients.get(target.agencyId) ?? []) {
      const locale: Locale = recipient.locale === "en" || recipient.locale === "vi" ? recipient.locale : scope.defaultLocale;
      const message: OutboundMessage = { kind: "reply", reply: scope.translator.reply(locale, { paragraphs: [target.message] }) };
      try {
        await tx.outboxMessage.create({
          data: {
            channel: recipient.channel,
            chatId: recipient.chatId,
            identityId: recipient.identityId,
            payload: JSON.stringify(message),
            dedupeKey: `${prefix}${recipient.identityId}`,
            lane: "proactive",
            nextAttemptAt: scope.now,
            createdAt: scope.now,
          },
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new NudgeRaceError();
        throw error;
      }
      queued += 1;
    }
  }
  return queued;
}
