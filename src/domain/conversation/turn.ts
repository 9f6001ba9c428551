import type { CriterionEntry } from "../questionnaire/definition-index.js";
import type { Locale, LocalizedText } from "../questionnaire/definition-schema.js";
import { NO, YES } from "./answer-input.js";
import type { PersonView, SessionView, StepContext } from "./context.js";
import type { Effect, Reply } from "./effects.js";
import { languageCode, type ParsedCommand } from "./input.js";
import { criteriaOf, findEntry } from "./navigation.js";
import { questionReply, refusalReply } from "./question-reply.js";
import { remindersCommandEffects } from "./reminder-command.js";
import { openSession, tipShown, withTip, type Tip } from "./session-tips.js";
import type { ConversationState, Pending } from "./state.js";
import { localized, t, type Text } from "./text.js";

/**
 * One message of a linked person being handled: the state as it changes, the effects gathered so far and the
 * helpers every part of the conversation uses to reply. Mutable inside, pure from outside: step() makes one per
 * message and returns its state and effects. The parts of the conversation (answering.ts, moving.ts, commands.ts, …)
 * are functions over a Turn, so each file reads as what the person is doing.
 */
export class Turn {
  readonly effects: Effect[] = [];
  readonly locale: Locale;
  /** The criterion the previous message answered (a note or file sent now belongs to it). */
  readonly lastAnswered: string | undefined;

  constructor(
    public state: ConversationState,
    readonly ctx: StepContext,
    readonly person: PersonView,
    public notices: Text[],
  ) {
    this.locale = state.locale ?? person.locale ?? ctx.defaultLocale;
    this.lastAnswered = state.justAnswered;
    const { justAnswered: _previous, ...rest } = openSession(state, ctx.now);
    this.state = rest;
  }

  /** Sends a reply, with any notices gathered on the way (a truncation, picks kept) in front of it. */
  reply(reply: Reply): void {
    const paragraphs = [...this.notices, ...reply.paragraphs];
    this.notices = [];
    this.effects.push({ kind: "reply", reply: { ...reply, paragraphs } });
  }

  say(...paragraphs: Text[]): void {
    this.reply({ paragraphs });
  }

  push(effects: readonly Effect[]): void {
    for (const effect of effects) {
      if (effect.kind === "reply") this.reply(effect.reply);
      else this.effects.push(effect);
    }
  }

  setPending(pending: Pending): void {
    this.state = { ...this.state, pending };
  }

  /** The question showing to this person (the first one when the state names none). */
  current(session: SessionView): CriterionEntry | undefined {
    return findEntry(session.definition, this.state.criterionId) ?? criteriaOf(session.definition)[0];
  }

  /** Shows a question and makes it the current one; `headers` as in questionReply (default: the pillar when entering it). */
  ask(session: SessionView, entry: CriterionEntry | undefined, lead: readonly Text[] = [], headers?: boolean | "pillar"): void {
    if (entry === undefined) return this.reply({ paragraphs: [...lead, t("session.empty")] });
    const previous = findEntry(session.definition, this.state.criterionId);
    const entering = previous === undefined || previous.pillar.id !== entry.pillar.id;
    this.state = { ...this.state, criterionId: entry.criterion.id };
    const pending = this.state.pending;
    const selected = pending.kind === "multi" && pending.criterionId === entry.criterion.id ? pending.selected : undefined;
    const howTo = this.takeTip(`howto.${entry.criterion.answer.type}`);
    const evidenceTip = entry.criterion.evidence === "required" && this.takeTip("evidence");
    this.reply(questionReply(session, entry, this.locale, { lead, headers: headers ?? (entering ? "pillar" : false), selected, howTo, evidenceTip, ...(this.ctx.channel === "zalo" ? { evidenceTipKey: "evidence2.tip.zalo" } : {}) }));
  }

  /**
   * Shows a question the person moved to ("câu 3", "quay lại"), remembering where they were when that was a question
   * still open, so that changing the earlier answer brings them back (answering.ts).
   */
  visit(session: SessionView, target: CriterionEntry | undefined, lead: readonly Text[] = [], headers?: boolean | "pillar"): void {
    const here = this.current(session);
    const open = here !== undefined && !isAnswered(session, here.criterion.id);
    if (target !== undefined && here !== undefined && target.criterion.id !== here.criterion.id && open && this.state.resumeAt === undefined) {
      this.state = { ...this.state, resumeAt: here.criterion.id };
    }
    this.ask(session, target, lead, headers);
  }

  /** Forgets where the person was (they went on by themselves). */
  clearResume(): void {
    if (this.state.resumeAt === undefined) return;
    const { resumeAt: _resumeAt, ...rest } = this.state;
    this.state = rest;
  }

  /** True the first time a tip is wanted in this session (and then noted as shown). */
  takeTip(tip: Tip): boolean {
    if (tipShown(this.state, tip)) return false;
    this.state = withTip(this.state, tip);
    return true;
  }

  /**
   * A reply that could not be read: one line saying why, the ways out (skip, back, help) and the options again;
   * the person stays on the question.
   */
  refuse(entry: CriterionEntry, error: Text, selected?: readonly string[]): void {
    this.state = { ...this.state, criterionId: entry.criterion.id };
    const reply = refusalReply(entry, this.locale, error, selected);
    this.reply({ ...reply, paragraphs: [...reply.paragraphs, t("answer.waysOut", { id: entry.criterion.id })] });
  }

  /** Where the person is, for a reply that is not a question: what a bare answer would now answer. */
  whereNow(session: SessionView): Text {
    const entry = this.current(session);
    if (entry === undefined) return t("session.empty");
    return t("nav.whereNow", { number: entry.index + 1, count: criteriaOf(session.definition).length, id: entry.criterion.id });
  }

  setReminders(command: ParsedCommand): void {
    this.push(remindersCommandEffects(command));
  }

  setLocale(arg: string): void {
    const result = localeChange(this.state, arg);
    this.state = result.state;
    this.effects.push(...result.effects);
  }

  yesNoChoices() {
    return [
      { value: YES, label: t("answer.yes") },
      { value: NO, label: t("answer.no") },
    ];
  }

  /** Whether answers may change now, without saying anything. */
  writable(session: SessionView): boolean {
    return session.status !== "submitted" && this.ctx.now >= session.entryOpens && this.ctx.now <= session.entryCloses;
  }

  /** Whether answers may change now; replies why not when they may not. */
  canWrite(session: SessionView): boolean {
    if (session.status === "submitted") {
      this.say(t(this.person.role === "lead" ? "window.submittedLead" : "window.submitted", { when: session.submittedAt ?? this.ctx.now }));
      return false;
    }
    if (this.ctx.now < session.entryOpens) {
      this.say(t("window.notOpen", { opens: session.entryOpens }));
      return false;
    }
    if (this.ctx.now > session.entryCloses) {
      this.say(t("window.closed", { closed: session.entryCloses }));
      return false;
    }
    return true;
  }
}

/** A language change as a state and its effects (also for people not linked yet). */
export function localeChange(state: ConversationState, arg: string): { state: ConversationState; effects: Effect[] } {
  const wanted = languageCode(arg);
  if (wanted === null) return { state, effects: [{ kind: "reply", reply: { paragraphs: [t("lang.usage")] } }] };
  return {
    state: { ...state, locale: wanted },
    effects: [{ kind: "set-locale", locale: wanted }, { kind: "reply", reply: { paragraphs: [t("lang.changed")] } }],
  };
}

export function localizedName(item: { readonly name: LocalizedText } | CriterionEntry, locale: Locale): string {
  return "pillar" in item ? localized(item.pillar.name, locale) : localized(item.name, locale);
}

export function isAnswered(session: SessionView, criterionId: string): boolean {
  const answer = session.answers.get(criterionId);
  return answer !== undefined && answer.value !== null;
}

/** Where a several-choice question starts: what is on file, so a change begins from it. */
export function multiSelection(session: SessionView, entry: CriterionEntry): string[] {
  const value = session.answers.get(entry.criterion.id)?.value;
  return Array.isArray(value) ? [...value] : [];
}
