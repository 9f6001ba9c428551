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
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { Translator } from "../i18n/translator.js";
import type { Db, InboundPort, OutboxEntry } from "./inbound-port.js";
import { queueLeadNoticesOnOptOut } from "./reminder-opt-out.js";
import { enqueueNudges } from "./nudges.js";
import { buildOnce, type BuiltReplies } from "./built-once.js";
import { DEFAULT_DATA_DIR, resultMessages } from "./result-messages.js";
import { replyVocabulary } from "../i18n/reply-vocabulary.js";
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
  /** What this use case reads and writes (persistence/inbound-store.ts on the service's database). */
  readonly port: InboundPort;
  /** For the evidence and result helpers this use case calls (upload links, score cards, reports). */
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
    const result = await attemptOnce(deps, event, built);
    if (result !== "stale" || attempt >= MAX_ATTEMPTS) {
      if (result === "stale") throw new Error(`inbound event ${event.eventKey}: the state kept changing under ${MAX_ATTEMPTS} attempts`);
      return result;
    }
    // Another message of the same person committed first: a short pause, then read again.
    await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
  }
}

/** Load → step → render → commit, once; "stale" when another message of the same person committed first. */
async function attemptOnce(deps: InboundDeps, event: InboundEvent, built: BuiltReplies): Promise<InboundResult | "stale"> {
  const { port, db, translator } = deps;
  const now = deps.clock();
  if (event.chatType === "group") return handleGroup(deps, event, now);
  const sender = await port.readSender(event, now);
  if (sender === null) return { kind: "duplicate" };
  const { identity, state: stored, person } = sender;
  const state = parseState(stored.json);
  const code = person === null ? inviteCandidate(event.input) : null;
  const invite = code !== null ? await port.lookupInvite(hashInviteCode(code), now) : undefined;
  // The sender is told only "not valid"; the operator sees why (never the code itself).
  if (invite !== undefined && invite.status !== "valid") deps.logger?.info({ channel: event.channel, identityId: identity.id, invite: invite.status }, "invite code refused");
  const removal = person === null && sender.formerPersonId ? await port.findRemoval(sender.formerPersonId) : null;
  const ctx: StepContext = {
    now,
    defaultLocale: deps.defaultLocale,
    channel: event.channel,
    vocabulary: replyVocabulary(),
    floodControl: event.channel !== "console" && deps.inboundFloodControl !== false,
    ...(event.sentAt === undefined ? {} : { sentAt: event.sentAt }),
    person,
    ...(invite !== undefined ? { invite } : {}),
    ...(removal !== null ? { removal } : {}),
    session: person?.agencyId ? await port.loadSession(person.agencyId, now, sender) : null,
    ...(person?.role === "supervisor" ? { province: await port.loadProvinceView(person.provinceId, now) } : {}),
    ...(person?.role === "lead" && person.agencyId !== null && needsTeam(state, event.input) ? { team: await port.loadTeam(person.agencyId, now) } : {}),
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
  const { outcome, outbox } = await port.commitMessage(
    {
      channel: event.channel,
      eventKey: event.eventKey,
      identityId: identity.id,
      chatId: identity.chatId,
      displayName: event.displayName ?? event.externalUserId,
      expectedVersion: stored.version,
      stateJson: JSON.stringify(result.state),
      effects: result.effects,
      person,
      assessmentId: result.state.assessmentId,
      replies: outgoing,
      leased: deps.leaseReplies === true,
      now,
    },
    {
      beforeEffects: (tx) => queueLeadNoticesOnOptOut(tx, deps, result.effects, { identityId: identity.id, personId: person?.id ?? null }, now).then(() => undefined),
      afterEffects: (tx) =>
        enqueueNudges(tx, result.effects, { now, translator, defaultLocale: deps.defaultLocale, provinceId: person?.role === "supervisor" ? person.provinceId : null }).then(() => undefined),
    },
  );
  if (outcome !== "committed") return outcome === "duplicate" ? { kind: "duplicate" } : "stale";
  return { kind: "handled", outbox, locale, ...tapNotice };
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
  const { outcome, outbox } = await deps.port.commitEventOnly(event, answers ? [{ kind: "reply", reply: hint }] : [], deps.leaseReplies === true, now);
  return outcome === "committed" ? { kind: "handled", outbox, locale: deps.defaultLocale } : { kind: "duplicate" };
}
