import type { Logger } from "pino";
import type { Channel } from "../channels/channel.js";
import type { StepContext } from "../domain/conversation/context.js";
import { parseCommand, type Input } from "../domain/conversation/input.js";
import { t, type Text } from "../domain/conversation/text.js";
import type { Effect } from "../domain/conversation/effects.js";
import { inviteCandidate } from "../domain/conversation/linking.js";
import { parseState } from "../domain/conversation/state.js";
import { step } from "../domain/conversation/step.js";
import { generateInviteCode, hashInviteCode } from "../domain/invites/invite-code.js";
import { needsTeam } from "../domain/conversation/team-commands.js";
import { applyTeamEffects, loadTeam, lockTeamFor } from "../persistence/team-store.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { Translator } from "../i18n/translator.js";
import { answerTransaction, writeAnswerTransaction } from "../persistence/answer-transaction.js";
import {
  applyEffects,
  InviteTakenError,
  onlyAnswers,
  recordEventStep,
  StaleStateError,
  touchIdentity,
  writeStateStep,
} from "../persistence/conversation-store.js";
import { driverSqlOf } from "../persistence/db-client.js";
import { runStepsInTx } from "../persistence/sql/prisma-steps.js";
import type { Db } from "../persistence/db-client.js";
import { enqueue, outboxSteps, type OutboxEntry } from "../persistence/outbox-store.js";
import { loadSession, lookupInvite, readChatContext } from "../persistence/session-loader.js";
import { queueLeadNoticesOnOptOut } from "./reminder-opt-out.js";
import { loadProvinceView } from "../persistence/results-store.js";
import { enqueueNudges } from "./nudges.js";
import { buildOnce, type BuiltReplies } from "./built-once.js";
import { DEFAULT_DATA_DIR, resultMessages } from "./result-messages.js";
import { replyVocabulary } from "../i18n/reply-vocabulary.js";
import { findRemoval } from "../persistence/team-store.js";
import { resolveWithinLimits } from "./evidence/evidence-limits.js";
import { withUploadLinks } from "./evidence/upload-links.js";

/** One message from a platform, normalised by its channel adapter. */
export interface InboundEvent {
  readonly channel: Channel;
  /** Unique per platform delivery (Telegram update_id, Zalo event + message id): redeliveries share it. */
  readonly eventKey: string;
  readonly externalUserId: string;
  readonly chatId: string;
  readonly displayName?: string;
  /** Assessments are answered in private chats only; groups get a hint (default private). */
  readonly chatType?: "private" | "group";
  readonly input: Input;
  /** When the person sent it (the platform's clock), for the flood limit; arrival time when absent. */
  readonly sentAt?: Date;
  /**
   * Fetches the attachment before the platform forgets it (Zalo): called only when the step keeps it as evidence, so
   * strangers and messages that keep nothing never fill the disk. Resolves with the input to use instead.
   */
  readonly resolveAttachment?: () => Promise<Input>;
  /** A button tap the platform lets us answer with a brief notice on the button (Telegram callback queries). */
  readonly tapNotices?: boolean;
}

export interface InboundDeps {
  readonly db: Db;
  readonly translator: Translator;
  readonly defaultLocale: Locale;
  readonly clock: () => Date;
  /** Where generated files (score cards, reports) are written until sent; default ./data. */
  readonly dataDir?: string;
  /**
   * Queue replies already leased to this process, which sends them itself right after answering the webhook
   * (OutboxDeliverer.deliverClaimed): one write less per message. Off for the terminal chat, which prints them.
   */
  readonly leaseReplies?: boolean;
  /**
   * The engine's limit on one person's messages (FLOOD_WINDOW_MS, FLOOD_MAX_MESSAGES) on the platforms (default on).
   * Off only where scripted members answer faster than any person can: the benchmark's capacity runs.
   */
  readonly inboundFloodControl?: boolean;
  readonly logger?: Pick<Logger, "error" | "info" | "warn">;
  /** PUBLIC_URL: where links to the upload page point ("gửi tệp"); without it no link can be made. */
  readonly publicUrl?: string | undefined;
  /** Makes invites issued in the Telegram chat carry a deep link (`https://t.me/<bot>?start=<code>`). */
  readonly telegramBotUsername?: string | undefined;
}

export type InboundResult =
  | {
      readonly kind: "handled";
      readonly outbox: readonly OutboxEntry[];
      readonly locale: Locale;
      /** Shown on the tapped button instead of a message (Reply.tapNotice), once the event is committed. */
      readonly tapNotice?: string;
    }
  | { readonly kind: "duplicate" };

const MAX_ATTEMPTS = 8;

/**
 * The only place on the inbound path with side effects. Loads what the engine needs, runs the pure step, then in
 * ONE transaction records the event key (so a redelivery changes nothing), compares-and-sets the conversation
 * state (so two messages of one person apply one after the other), applies the data effects and queues the
 * replies. Nothing is acknowledged before it is committed.
 */
export async function handleInbound(deps: InboundDeps, event: InboundEvent): Promise<InboundResult> {
  const built: BuiltReplies = {};
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOnce(deps, event, built);
    } catch (error) {
      if (error instanceof DuplicateEvent) return { kind: "duplicate" };
      const retryable = error instanceof StaleStateError || error instanceof InviteTakenError;
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
      // Another message of the same person committed first: a short pause, then read again.
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
    }
  }
}

class DuplicateEvent extends Error {
  override name = "DuplicateEvent";
}

async function attemptOnce(deps: InboundDeps, event: InboundEvent, built: BuiltReplies): Promise<InboundResult> {
  const { db, translator } = deps;
  const now = deps.clock();
  if (event.chatType === "group") return handleGroup(deps, event, now);
  const known = await readChatContext(db, event.channel, event.externalUserId, event.eventKey);
  // Checked again when the key is recorded; this early look only spares a redelivery the work (a score card).
  if (known.seen) throw new DuplicateEvent();
  const identity = await touchIdentity(db, known.identity, event, now);
  // A new identity has no state and no person yet; a touched one keeps what was read with it.
  const stored = known.identity ? known.state : { json: null, version: 0 };
  const state = parseState(stored.json);
  const person = known.identity ? known.person : null;
  const code = person === null ? inviteCandidate(event.input) : null;
  const invite = code !== null ? await lookupInvite(db, hashInviteCode(code), now) : undefined;
  // The sender is told only "not valid"; the operator sees why (never the code itself).
  if (invite !== undefined && invite.status !== "valid") deps.logger?.info({ channel: event.channel, identityId: identity.id, invite: invite.status }, "invite code refused");
  const ctx: StepContext = {
    now,
    defaultLocale: deps.defaultLocale,
    channel: event.channel,
    vocabulary: replyVocabulary(),
    floodControl: event.channel !== "console" && deps.inboundFloodControl !== false,
    ...(event.sentAt === undefined ? {} : { sentAt: event.sentAt }),
    person,
    ...(invite !== undefined ? { invite } : {}),
    ...(person === null && known.identity?.formerPersonId ? await removalOf(db, known.identity.formerPersonId) : {}),
    session: person?.agencyId ? await loadSession(db, person.agencyId, now, known.sessionRows ?? undefined) : null,
    ...(person?.role === "supervisor" ? { province: await loadProvinceView(db, person.provinceId, now) } : {}),
    ...(person?.role === "lead" && person.agencyId !== null && needsTeam(state, event.input) ? { team: await loadTeam(db, person.agencyId, now) } : {}),
    // Drawn for every lead's and supervisor's message (microseconds), so the engine can show one without randomness.
    ...(person?.role === "lead" || person?.role === "supervisor" ? { newInviteCode: generateInviteCode() } : {}),
    ...(event.channel === "telegram" && deps.telegramBotUsername ? { inviteLinkBase: `https://t.me/${deps.telegramBotUsername}?start=` } : {}),
  };
  const first = step(state, event.input, ctx);
  const keeps = first.effects.find((e) => e.kind === "add-evidence");
  const target = keeps !== undefined && ctx.session !== null ? { assessmentId: ctx.session.assessmentId, criterionId: keeps.criterionId } : undefined;
  // The step is pure: run again on the fetched attachment (or on "unsupported" when it could not be fetched or kept).
  const result =
    target !== undefined && event.resolveAttachment
      ? step(state, await resolveWithinLimits({ db, dataDir: deps.dataDir ?? DEFAULT_DATA_DIR }, target, event.input, event.resolveAttachment), ctx)
      : first;
  for (const effect of result.effects) {
    if (effect.kind === "refusal") deps.logger?.warn({ personId: person?.id, role: person?.role, action: effect.action, reason: effect.reason }, "team action refused");
  }
  const locale = result.state.locale ?? person?.locale ?? deps.defaultLocale;
  const withLinks = person === null ? result.effects : await withUploadLinks({ db, publicUrl: deps.publicUrl }, result.effects, { personId: person.id, agencyId: person.agencyId, agencyName: person.agencyName, identityId: identity.id, locale }, now);
  const { effects: toSend, notice } = event.tapNotices === true ? asTapNotice(withLinks) : { effects: withLinks, notice: undefined };
  const tapNotice = notice === undefined ? {} : { tapNotice: translator.text(locale, notice) };
  // Score cards, reports and dossiers are made before the transaction, so it stays short, and once per update (buildOnce).
  const outgoing = await buildOnce(built, toSend, locale, () =>
    resultMessages(
      { db, translator, dataDir: deps.dataDir ?? DEFAULT_DATA_DIR, logger: deps.logger },
      toSend,
      locale,
      {
        agencyName: person?.agencyName ?? null,
        session: ctx.session,
        province: person && ctx.province ? { id: person.provinceId, view: ctx.province } : null,
        channel: event.channel,
        requester: person === null ? null : { role: person.role, agencyId: person.agencyId, provinceId: person.provinceId },
      },
      now,
    ),
  );
  // Answered questions keep their buttons: stripping them would cost a Bot API request per answer, and a tap on an old
  // one is the engine's to answer. Everything for this message goes in the replies the engine made (one per answer).
  const queued = outboxSteps({ channel: event.channel, chatId: identity.chatId, identityId: identity.id }, outgoing, now, { leased: deps.leaseReplies === true });
  const stateJson = JSON.stringify(result.state);
  const scope = { now, assessmentId: result.state.assessmentId, personId: person?.id ?? null };
  if (onlyAnswers(result.effects)) {
    // Most messages: an answer (or none) and replies. One transaction on the driver, no Prisma (see sql/driver.ts).
    const write = answerTransaction(
      { channel: event.channel, eventKey: event.eventKey, identityId: identity.id, expectedVersion: stored.version, stateJson, replies: queued, now },
      result.effects,
      scope,
    );
    const outcome = await writeAnswerTransaction(driverSqlOf(db), write);
    if (outcome !== "committed") throw outcome === "duplicate" ? new DuplicateEvent() : new StaleStateError();
    return { kind: "handled", outbox: queued.entries, locale, ...tapNotice };
  }
  await db.$transaction(async (tx) => {
    if (person !== null) await lockTeamFor(tx, result.effects, { personId: person.id, role: person.role, agencyId: person.agencyId });
    const outcome = await runStepsInTx(tx, [recordEventStep(event.channel, event.eventKey, now), writeStateStep(identity.id, stored.version, stateJson, now)]);
    if (outcome !== "committed") throw outcome === "duplicate" ? new DuplicateEvent() : new StaleStateError();
    // Before the effects: it must see whether this message is the one that leaves the agency without reminders.
    await queueLeadNoticesOnOptOut(tx, deps, result.effects, { identityId: identity.id, personId: person?.id ?? null }, now);
    await applyEffects(tx, result.effects, {
      ...scope,
      channel: event.channel,
      identityId: identity.id,
      displayName: event.displayName ?? event.externalUserId,
      databaseKind: driverSqlOf(db).kind,
    });
    if (person !== null) await applyTeamEffects(tx, result.effects, { now, personId: person.id, role: person.role, agencyId: person.agencyId, provinceId: person.provinceId });
    await enqueueNudges(tx, result.effects, { now, translator, defaultLocale: deps.defaultLocale, provinceId: person?.role === "supervisor" ? person.provinceId : null });
    await runStepsInTx(tx, queued.steps);
  });
  return { kind: "handled", outbox: queued.entries, locale, ...tapNotice };
}

/** The step's effects without its only reply when that reply can be a notice on the tapped button, and the notice. */
function asTapNotice(effects: readonly Effect[]): { effects: readonly Effect[]; notice: Text | undefined } {
  const replies = effects.filter((e) => e.kind === "reply");
  const notice = replies.length === 1 ? replies[0]?.reply.tapNotice : undefined;
  return notice === undefined ? { effects, notice } : { effects: effects.filter((e) => e.kind !== "reply"), notice };
}

/**
 * In a group the bot only answers /start and /help, with a hint to write privately: answers given in a group would
 * be seen by everyone and could not be told apart. Everything else is acknowledged and ignored.
 */
async function handleGroup(deps: InboundDeps, event: InboundEvent, now: Date): Promise<InboundResult> {
  const command = event.input.kind === "text" ? parseCommand(event.input.text) : null;
  // Zalo users do not type slashes, so there the plain words count too.
  const answers = command !== null && (command.name === "start" || command.name === "help") && (command.slash || event.channel === "zalo");
  const hint = deps.translator.reply(deps.defaultLocale, { paragraphs: [t("group.privateOnly")] });
  const outbox = await deps.db.$transaction(async (tx) => {
    if ((await runStepsInTx(tx, [recordEventStep(event.channel, event.eventKey, now)])) === "duplicate") throw new DuplicateEvent();
    if (!answers) return [];
    return enqueue(tx, { channel: event.channel, chatId: event.chatId, identityId: null }, [{ kind: "reply", reply: hint }], now, { leased: deps.leaseReplies === true });
  });
  return { kind: "handled", outbox, locale: deps.defaultLocale };
}

/** For an unlinked chat whose person was removed: who removed them, so the engine can say so (rare; strangers only). */
async function removalOf(db: Db, personId: string): Promise<{ removal?: NonNullable<StepContext["removal"]> }> {
  const removal = await findRemoval(db, personId);
  return removal === null ? {} : { removal };
}
