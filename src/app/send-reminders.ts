import type { Logger } from "pino";
import type { Channel, OutboundMessage } from "../channels/channel.js";
import type { Reply } from "../domain/conversation/effects.js";
import { formatVietnamDateTime } from "../domain/periods/period-file.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { agencyReminderReply, deadlineLabel, supervisorDigestReply, type DigestPerson } from "../domain/reminders/content.js";
import { parseReminderKey } from "../domain/reminders/deadlines.js";
import { reminderSendDecision, type DueReminder } from "../domain/reminders/due.js";
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from "../domain/reminders/schedule.js";
import type { Translator } from "../i18n/translator.js";
import type { Db } from "../persistence/db-client.js";
import { enqueueOnce, type OutboxEntry } from "../persistence/outbox-store.js";
import { loadAgencyFacts, loadRecipients, loadReminderPeriod, loadSubmittedAgencyIds, type AgencyFacts } from "../persistence/reminder-store.js";
import type { OutboxDeliverer, SendDecision, SendOutcome } from "./deliver-outbox.js";
import type { Metrics } from "./metrics.js";
import { planReminders, type PeriodPlan } from "./reminder-plan.js";
import { runPeriodically } from "./periodic.js";

export interface ReminderDeps {
  readonly db: Db;
  readonly translator: Translator;
  readonly defaultLocale: Locale;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** Channels with an adapter: reminders to people on other channels are skipped (not queued to pile up). */
  readonly channels: readonly Channel[];
  /** Channels that show buttons (Telegram): they get a one-tap button, the others a word to type. */
  readonly buttonChannels: readonly Channel[];
  readonly policy?: ReminderPolicy;
  readonly metrics?: Metrics;
}

/** One line of `reminders preview`. */
export interface ReminderPreview {
  readonly dedupeKey: string;
  readonly recipient: { readonly identityId: string; readonly name: string; readonly role: string };
  readonly channel: string;
  readonly agency: { readonly id: string; readonly name: string } | null;
  readonly province: string | null;
  readonly period: { readonly id: string; readonly name: string };
  readonly deadline: { readonly id: string; readonly kind: string; readonly label: string; readonly dueAt: string; readonly audience: string };
  readonly offset: number;
  /** "agency" (the agency's own reminder) or "digest" (a supervisor's province digest). */
  readonly content: string;
  /** The reminder's text exactly as the person would receive it, in their language; null when none would go out. */
  readonly text: string | null;
}

export interface SkippedCounts {
  readonly optedOut: number;
  readonly unreachable: number;
  readonly alreadyQueued: number;
  readonly channelOff: number;
}

/** The JSON summary of `reminders run-once`. */
export interface ReminderRunSummary {
  /** Reminder messages delivered in this run. */
  readonly sent: number;
  /** Due reminders not sent now: already queued before, opted out, unreachable, or on a channel that is off. */
  readonly skipped: number;
  /** Failed sends (the retryable ones are tried again later: see `retrying`). */
  readonly failed: number;
  /** Queued reminders dropped instead of sent: deadline passed, agency submitted, person opted out… */
  readonly dropped: number;
  readonly queued: number;
  readonly deferred: number;
  readonly retrying: number;
  readonly skippedReasons: SkippedCounts;
}

export interface Reminders {
  /** For createOutboxDeliverer: re-checks reminder rows at send time; other rows pass untouched. */
  readonly beforeSend: (entry: OutboxEntry) => Promise<SendDecision>;
  /** For createOutboxDeliverer: counts what became of reminder rows. */
  readonly onOutcome: (entry: OutboxEntry, outcome: SendOutcome) => void;
  /** What a run at `now` would queue; reads only. */
  preview(now: Date): Promise<ReminderPreview[]>;
  /** Queues what is due at `now` (idempotent: each key once, across runs and instances). */
  materialise(now: Date): Promise<{ queued: number; skippedReasons: SkippedCounts }>;
  /** Queues what is due, then delivers through `deliverer`; the summary counts reminder rows only. */
  runOnce(deliverer: OutboxDeliverer, now: Date): Promise<ReminderRunSummary>;
  /** Runs `runOnce` every `intervalMs` (default a minute) until stopped; stop() waits for a run in flight. */
  schedule(deliverer: OutboxDeliverer, intervalMs?: number): { stop(): Promise<void> };
}

export const REMINDER_INTERVAL_MS = 60_000;

/** Reminders: computed by the pure domain, queued once per key in the outbox, delivered by the outbox deliverer. */
export function createReminders(deps: ReminderDeps): Reminders {
  const policy = deps.policy ?? DEFAULT_REMINDER_POLICY;
  const tally: Record<SendOutcome, number> = { sent: 0, failed: 0, retry: 0, dropped: 0, deferred: 0 };

  async function preview(now: Date): Promise<ReminderPreview[]> {
    const plans = await planReminders({ db: deps.db, defaultLocale: deps.defaultLocale, policy }, now);
    const items: ReminderPreview[] = [];
    for (const plan of plans) {
      const agencyIds = [...new Set(plan.due.flatMap((d) => (d.recipient.agencyId === null ? [] : [d.recipient.agencyId])))];
      const agencies = new Map((await deps.db.agency.findMany({ where: { id: { in: agencyIds } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]));
      const replies = await repliesFor(plan, plan.due, now);
      for (const due of plan.due) {
        const { recipient, deadline } = due;
        const reply = replies.replies.get(due.key) ?? null;
        items.push({
          dedupeKey: due.key,
          recipient: { identityId: recipient.identityId, name: recipient.name, role: recipient.role },
          channel: recipient.channel,
          agency: recipient.agencyId === null ? null : { id: recipient.agencyId, name: agencies.get(recipient.agencyId) ?? "" },
          province: replies.provinces.get(recipient.provinceId) ?? null,
          period: { id: plan.stored.period.id, name: plan.stored.period.name },
          deadline: {
            id: deadline.ref,
            kind: deadline.kind,
            label: deps.translator.text(deps.defaultLocale, deadlineLabel(deadline, deps.defaultLocale)),
            dueAt: formatVietnamDateTime(deadline.dueAt),
            audience: deadline.audience,
          },
          offset: due.offsetDays,
          content: due.content,
          text: reply === null ? null : deps.translator.reply(recipient.locale, reply).text,
        });
      }
    }
    return items;
  }

  /** The replies of the given due reminders (null where none would go out), with the names of their provinces. */
  async function repliesFor(plan: PeriodPlan, dues: readonly DueReminder[], now: Date): Promise<{ replies: Map<string, Reply | null>; provinces: Map<string, string> }> {
    const provinceIds = [...new Set(dues.map((d) => d.recipient.provinceId))];
    const facts = await loadAgencyFacts(deps.db, plan.stored.period.id, plan.stored.definitionId, {
      agencyIds: dues.flatMap((d) => (d.content === "agency" && d.recipient.agencyId !== null ? [d.recipient.agencyId] : [])),
      provinceIds: [...new Set(dues.filter((d) => d.content === "digest").map((d) => d.recipient.provinceId))],
    });
    const provinces = new Map((await deps.db.province.findMany({ where: { id: { in: provinceIds } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
    return { replies: new Map(dues.map((due) => [due.key, replyFor(due, plan, facts, provinces, now)])), provinces };
  }

  async function materialise(now: Date): Promise<{ queued: number; skippedReasons: SkippedCounts }> {
    const plans = await planReminders({ db: deps.db, defaultLocale: deps.defaultLocale, policy }, now);
    const on = new Set<string>(deps.channels);
    let queued = 0;
    const skipped = { optedOut: 0, unreachable: 0, alreadyQueued: 0, channelOff: 0 };
    let dueCount = 0;
    for (const plan of plans) {
      dueCount += plan.due.length + plan.alreadyQueued.length;
      skipped.alreadyQueued += plan.alreadyQueued.length;
      for (const s of plan.skipped) skipped[s.reason === "opted-out" ? "optedOut" : "unreachable"] += 1;
      const sendable = plan.due.filter((d) => on.has(d.recipient.channel));
      skipped.channelOff += plan.due.length - sendable.length;
      if (sendable.length === 0) continue;
      const { replies } = await repliesFor(plan, sendable, now);
      for (const due of sendable) {
        const reply = replies.get(due.key) ?? null;
        if (reply === null) continue;
        const message: OutboundMessage = { kind: "reply", reply: deps.translator.reply(due.recipient.locale, reply) };
        const target = { channel: due.recipient.channel as Channel, chatId: due.recipient.chatId, identityId: due.recipient.identityId };
        if ((await enqueueOnce(deps.db, target, message, due.key, now)) === "queued") queued += 1;
        else skipped.alreadyQueued += 1;
      }
    }
    deps.metrics?.remindersDue.set(dueCount);
    return { queued, skippedReasons: skipped };
  }

  function replyFor(due: DueReminder, plan: PeriodPlan, facts: ReadonlyMap<string, AgencyFacts>, provinces: ReadonlyMap<string, string>, now: Date): Reply | null {
    const { recipient, deadline } = due;
    const period = plan.stored.period;
    if (due.content === "agency") {
      const agency = recipient.agencyId === null ? undefined : facts.get(recipient.agencyId);
      if (agency === undefined || recipient.role === "supervisor") return null;
      const buttons = deps.buttonChannels.some((c) => c === recipient.channel);
      return agencyReminderReply({
        period,
        deadline,
        progress: agency.progress,
        role: recipient.role,
        buttons,
        locale: recipient.locale,
        now,
        ...(recipient.assignedParts ? { assignedParts: recipient.assignedParts } : {}),
      });
    }
    const inProvince = [...facts.values()].filter((f) => f.provinceId === recipient.provinceId);
    const names = new Map(inProvince.map((f) => [f.progress.agencyId, f.progress.name]));
    const staff = plan.recipients.filter((r) => r.agencyId !== null && names.has(r.agencyId));
    const people: DigestPerson[] = staff.map((r) => ({
      name: r.name,
      agencyName: names.get(r.agencyId ?? "") ?? "",
      channel: r.channel,
      reachable: r.reachable,
      remindersEnabled: r.remindersEnabled,
    }));
    const reminded = new Set(staff.filter((r) => r.reachable && r.remindersEnabled).flatMap((r) => (r.agencyId === null ? [] : [r.agencyId])));
    return supervisorDigestReply({
      period,
      deadline,
      provinceName: provinces.get(recipient.provinceId) ?? "",
      agencies: inProvince.map((f) => f.progress),
      people,
      remindedAgencyIds: reminded,
      locale: recipient.locale,
      now,
    });
  }

  async function beforeSend(entry: OutboxEntry): Promise<SendDecision> {
    const key = parseReminderKey(entry.dedupeKey);
    if (key === null) return { kind: "send" };
    const now = deps.clock();
    try {
      const period = await loadReminderPeriod(deps.db, key.periodId);
      const [recipient] = await loadRecipients(deps.db, deps.defaultLocale, { identityId: key.identityId });
      const agencyId = recipient?.agencyId ?? null;
      const submitted = agencyId !== null && (await loadSubmittedAgencyIds(deps.db, key.periodId, [agencyId])).has(agencyId);
      const decision = reminderSendDecision({ period, key, recipient: recipient === undefined ? null : { ...recipient, submitted }, now, policy });
      return decision.kind === "drop" ? { kind: "drop", reason: `reminder: ${decision.reason}` } : decision;
    } catch (error) {
      // Unsure whether it is still wanted: wait a minute rather than send a stale reminder.
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error), outboxId: entry.id }, "reminder check failed");
      return { kind: "defer", until: new Date(now.getTime() + REMINDER_INTERVAL_MS) };
    }
  }

  async function runOnce(deliverer: OutboxDeliverer, now: Date): Promise<ReminderRunSummary> {
    const { queued, skippedReasons } = await materialise(now);
    const before = { ...tally };
    await deliverer.deliverDue();
    const delta = (outcome: SendOutcome) => tally[outcome] - before[outcome];
    const skipped = skippedReasons.optedOut + skippedReasons.unreachable + skippedReasons.alreadyQueued + skippedReasons.channelOff;
    return {
      sent: delta("sent"),
      skipped,
      failed: delta("failed") + delta("retry"),
      dropped: delta("dropped"),
      queued,
      deferred: delta("deferred"),
      retrying: delta("retry"),
      skippedReasons,
    };
  }

  return {
    beforeSend,
    onOutcome(entry, outcome) {
      if (parseReminderKey(entry.dedupeKey) !== null) tally[outcome] += 1;
    },
    preview,
    materialise,
    runOnce,
    schedule(deliverer, intervalMs = REMINDER_INTERVAL_MS) {
      const run = async (): Promise<void> => {
        const summary = await runOnce(deliverer, deps.clock());
        if (summary.queued + summary.sent + summary.failed + summary.dropped > 0) deps.logger.info({ reminders: summary }, "reminders run");
      };
      return runPeriodically(run, intervalMs, { onError: (error) => deps.logger.error({ err: error }, "reminders run failed") });
    },
  };
}
