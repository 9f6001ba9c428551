import type { Channel } from "../channels/channel.js";
import { CHANNELS } from "../channels/channel.js";
import type { Effect } from "../domain/conversation/effects.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { leadOptOutNotice } from "../domain/reminders/content.js";
import type { Translator } from "../i18n/translator.js";
import type { Tx } from "../persistence/db-client.js";
import { enqueue, type OutboxEntry } from "../persistence/outbox-store.js";

/**
 * When a member turns their reminders off and no other member of their agency still gets them (reachable, with
 * reminders on), the agency's leads are told — on every chat account of theirs that can be reached, since by then
 * the leads' own reminders may well be off. Leads do not count as members here: they are the ones being warned.
 * Runs inside the inbound transaction, before the effect is applied, so it sees whether this message is the one
 * that makes the count drop to zero; it queues the notices and returns them.
 */
export async function queueLeadNoticesOnOptOut(
  tx: Tx,
  deps: { readonly translator: Translator; readonly defaultLocale: Locale },
  effects: readonly Effect[],
  actor: { readonly identityId: string; readonly personId: string | null },
  now: Date,
): Promise<OutboxEntry[]> {
  if (actor.personId === null || !effects.some((e) => e.kind === "set-reminders" && !e.enabled)) return [];
  const identity = await tx.chatIdentity.findUnique({ where: { id: actor.identityId } });
  if (!identity || !identity.reachable || !identity.remindersEnabled) return [];
  const grant = await tx.roleGrant.findFirst({ where: { personId: actor.personId }, orderBy: { createdAt: "desc" }, include: { agency: true, person: true } });
  if (!grant || grant.role !== "member" || grant.agencyId === null || grant.agency === null) return [];
  const members = await tx.roleGrant.findMany({ where: { agencyId: grant.agencyId, role: "member" }, select: { personId: true } });
  const stillReminded = await tx.chatIdentity.count({
    where: { personId: { in: members.map((m) => m.personId) }, id: { not: actor.identityId }, reachable: true, remindersEnabled: true },
  });
  if (stillReminded > 0) return [];
  const leads = await tx.roleGrant.findMany({ where: { agencyId: grant.agencyId, role: "lead", personId: { not: actor.personId } }, include: { person: true } });
  const notice = leadOptOutNotice({ name: grant.person.displayName, agencyName: grant.agency.name });
  const entries: OutboxEntry[] = [];
  for (const lead of leads) {
    const identities = await tx.chatIdentity.findMany({ where: { personId: lead.personId, reachable: true } });
    for (const target of identities) {
      const channel = CHANNELS.find((c): c is Channel => c === target.channel);
      if (channel === undefined) continue;
      const locale = asLocale(target.locale) ?? asLocale(lead.person.locale) ?? deps.defaultLocale;
      const reply = deps.translator.reply(locale, notice);
      entries.push(...(await enqueue(tx, { channel, chatId: target.chatId, identityId: target.id }, [{ kind: "reply", reply }], now)));
    }
  }
  return entries;
}

const asLocale = (value: string | null): Locale | null => (value === "vi" || value === "en" ? value : null);
