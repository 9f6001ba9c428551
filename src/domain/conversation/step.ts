import { isDeepStrictEqual } from "node:util";
import { checkAnswerValue, type AnswerValue } from "../questionnaire/answer-value.js";
import type { CriterionEntry } from "../questionnaire/definition-index.js";
import type { Locale, LocalizedText } from "../questionnaire/definition-schema.js";
import { criterionScoreH } from "../questionnaire/scoring.js";
import { fromHundredths, toHundredths } from "../questionnaire/hundredths.js";
import { describeAnswer, NO, parseTypedAnswer, YES } from "./answer-input.js";
import type { PersonView, SessionView, StepContext } from "./context.js";
import type { Effect, EvidenceInput, Reply } from "./effects.js";
import { languageCode, parseCommand, type Input, type ParsedCommand } from "./input.js";
import { stepUnlinked } from "./linking.js";
import { isRemindersCommand, remindersCommandEffects } from "./reminder-command.js";
import { criteriaOf, findEntry, looksLikeCriterionId, nextInOrder, nextUnanswered, previousInOrder, resolveGotoTarget } from "./navigation.js";
import { choicesFor, DONE_VALUE, hintFor, questionReply, refusalReply } from "./question-reply.js";
import { inOrder, readMultiReply } from "./multi-select.js";
import { openSession, tipShown, withTip, type Tip } from "./session-tips.js";
import { readYesNo } from "./tolerant-reading.js";
import { normalizeInviteCode } from "../invites/invite-code.js";
import type { ConversationState, Pending } from "./state.js";
import { answerValues, progressReply, reviewReply, scoreReply, submitCheck, listIds } from "./summary-replies.js";
import { scoreAssessment } from "../questionnaire/scoring.js";
import { lines, literal, localized, t, type Text } from "./text.js";
import { planReply } from "../results/plan.js";
import { supervisorEffects } from "../results/supervisor.js";
import { continueTarget, walkAfterAnswer } from "./assigned-parts.js";
import { teamProgress } from "./team-progress.js";
import { teamStep } from "./team-commands.js";
import { keepStep } from "./keep-offer.js";
import { cutText } from "../text/cut-text.js";

export const MAX_MESSAGE_CHARS = 4000;
export const FLOOD_WINDOW_MS = 3000;
/** Quick taps on a several-choice question come 2–3 a second; a burst beyond this is a flood or a loop. */
export const FLOOD_MAX_MESSAGES = 10;
const MENU_ITEMS = ["continue", "score", "progress", "review", "help", "submit", "lang"] as const;

export interface StepResult {
  readonly state: ConversationState;
  readonly effects: readonly Effect[];
}

/**
 * The whole conversation as a pure function: the person's state, one inbound event and what the app loaded
 * (who they are, their agency's assessment) give the new state and the effects to apply. No I/O, no clock but
 * ctx.now, no wording but message keys.
 */
export function step(state: ConversationState, input: Input, ctx: StepContext): StepResult {
  const flood = ctx.floodControl ? floodCheck(state, ctx.sentAt ?? ctx.now) : { state, drop: false, notify: false };
  if (flood.drop) {
    return { state: flood.state, effects: flood.notify ? [say(t("input.flood"))] : [] };
  }
  let current = flood.state;
  let notices: Text[] = [];
  let event = input;
  if (event.kind === "text") {
    const text = event.text.trim();
    if (text === "") return { state: current, effects: [say(t("input.empty"))] };
    if (text.length > MAX_MESSAGE_CHARS) {
      event = { ...event, text: cutText(text, MAX_MESSAGE_CHARS) };
      notices = [t("input.truncated", { max: MAX_MESSAGE_CHARS })];
    } else {
      event = { ...event, text };
    }
  }
  if (ctx.person === null) {
    const langOnly = event.kind === "text" ? parseCommand(event.text) : null;
    if (langOnly && langOnly.name === "lang") return setLocale(current, langOnly.arg);
    return stepUnlinked(current, event, ctx);
  }
  const conversation = new Conversation(current, ctx, ctx.person, notices);
  conversation.handle(event);
  current = conversation.state;
  return { state: current, effects: conversation.effects };
}

function say(...paragraphs: Text[]): Effect {
  return { kind: "reply", reply: { paragraphs } };
}

function floodCheck(state: ConversationState, now: Date): { state: ConversationState; drop: boolean; notify: boolean } {
  const start = state.floodWindowStart === undefined ? 0 : Date.parse(state.floodWindowStart);
  if (now.getTime() - start > FLOOD_WINDOW_MS || now.getTime() < start) {
    return { state: { ...state, floodWindowStart: now.toISOString(), floodCount: 1, floodNotified: false }, drop: false, notify: false };
  }
  const count = state.floodCount + 1;
  if (count <= FLOOD_MAX_MESSAGES) return { state: { ...state, floodCount: count }, drop: false, notify: false };
  return { state: { ...state, floodCount: count, floodNotified: true }, drop: true, notify: !state.floodNotified };
}

function setLocale(state: ConversationState, arg: string): StepResult {
  const wanted = languageCode(arg);
  if (wanted === null) return { state, effects: [say(t("lang.usage"))] };
  return {
    state: { ...state, locale: wanted },
    effects: [{ kind: "set-locale", locale: wanted }, { kind: "reply", reply: { paragraphs: [t("lang.changed")] } }],
  };
}

/** One message of a linked person, with helpers that append effects. Mutable inside, pure from outside. */
class Conversation {
  readonly effects: Effect[] = [];
  private readonly locale: Locale;
  /** The criterion the previous message answered (a note or file sent now belongs to it). */
  private readonly lastAnswered: string | undefined;

  constructor(
    public state: ConversationState,
    private readonly ctx: StepContext,
    private readonly person: PersonView,
    private notices: Text[],
  ) {
    this.locale = state.locale ?? person.locale ?? ctx.defaultLocale;
    this.lastAnswered = state.justAnswered;
    const { justAnswered: _previous, ...rest } = openSession(state, ctx.now);
    this.state = rest;
  }

  handle(input: Input): void {
    const kept = keepStep(this.state, input, this.ctx, this.lastAnswered);
    if (kept !== null) this.state = kept.state;
    if (kept?.handled) return this.push(kept.effects);
    if (input.kind === "unsupported") return this.reply({ paragraphs: [t("input.unsupported")] });
    const team = teamStep(this.state, input, this.ctx, this.person);
    if (team !== null) this.state = team.state;
    if (team?.handled) return this.push(team.effects);
    if (this.person.role === "supervisor") return this.handleSupervisor(input);
    const session = this.ctx.session;
    if (session === null) {
      const command = input.kind === "text" ? parseCommand(input.text) : null;
      if (command && command.name === "lang") return this.setLocale(command.arg);
      if (command && command.name !== "unknown" && isRemindersCommand(command.name)) return this.setReminders(command);
      if (command && command.name === "help") return this.reply({ paragraphs: [t("help.commands")] });
      return this.reply({ paragraphs: [t("session.none", { agency: this.person.agencyName ?? "" })] });
    }
    if (this.state.assessmentId !== session.assessmentId) {
      // A new period (or first contact): start from the first question nobody has answered yet.
      const first = nextUnanswered(session.definition, (id) => isAnswered(session, id), undefined) ?? criteriaOf(session.definition)[0];
      this.state = { ...this.state, assessmentId: session.assessmentId, criterionId: first?.criterion.id, pending: { kind: "none" } };
    }
    if (input.kind === "attachment") return this.addEvidence(session, input.attachment);
    if (input.kind === "pick") return this.handlePick(session, input.questionId, input.value);
    return this.handleText(session, input.text);
  }

  // ── replies ────────────────────────────────────────────────────────────────
  private reply(reply: Reply): void {
    const paragraphs = [...this.notices, ...reply.paragraphs];
    this.notices = [];
    this.effects.push({ kind: "reply", reply: { ...reply, paragraphs } });
  }

  private push(effects: readonly Effect[]): void {
    for (const effect of effects) {
      if (effect.kind === "reply") this.reply(effect.reply);
      else this.effects.push(effect);
    }
  }

  private setPending(pending: Pending): void {
    this.state = { ...this.state, pending };
  }

  private current(session: SessionView): CriterionEntry | undefined {
    return findEntry(session.definition, this.state.criterionId) ?? criteriaOf(session.definition)[0];
  }

  private ask(session: SessionView, entry: CriterionEntry | undefined, lead: readonly Text[] = [], headers?: boolean | "pillar"): void {
    if (entry === undefined) return this.reply({ paragraphs: [...lead, t("session.empty")] });
    const previous = findEntry(session.definition, this.state.criterionId);
    const entering = previous === undefined || previous.pillar.id !== entry.pillar.id;
    this.state = { ...this.state, criterionId: entry.criterion.id };
    const pending = this.state.pending;
    const selected = pending.kind === "multi" && pending.criterionId === entry.criterion.id ? pending.selected : undefined;
    const howTo = this.takeTip(`howto.${entry.criterion.answer.type}`);
    const evidenceTip = entry.criterion.evidence === "required" && this.takeTip("evidence");
    this.reply(questionReply(session, entry, this.locale, { lead, headers: headers ?? (entering ? "pillar" : false), selected, howTo, evidenceTip }));
  }

  /** True the first time a tip is wanted in this session (and then noted as shown). */
  private takeTip(tip: Tip): boolean {
    if (tipShown(this.state, tip)) return false;
    this.state = withTip(this.state, tip);
    return true;
  }

  /** A reply that could not be read: one line and the options again, the person stays on the question. */
  private refuse(entry: CriterionEntry, error: Text, selected?: readonly string[]): void {
    this.state = { ...this.state, criterionId: entry.criterion.id };
    this.reply(refusalReply(entry, this.locale, error, selected));
  }

  private setReminders(command: ParsedCommand): void {
    for (const effect of remindersCommandEffects(command)) {
      if (effect.kind === "reply") this.reply(effect.reply);
      else this.effects.push(effect);
    }
  }

  private setLocale(arg: string): void {
    const result = setLocale(this.state, arg);
    this.state = result.state;
    this.effects.push(...result.effects);
  }

  // ── supervisors: read-only view of their province (domain/results/supervisor.ts) ──
  private handleSupervisor(input: Input): void {
    const command = input.kind === "text" ? parseCommand(input.text) : null;
    if (command && command.name === "lang") return this.setLocale(command.arg);
    if (command && command.name !== "unknown" && isRemindersCommand(command.name)) return this.setReminders(command);
    this.push(supervisorEffects(input, this.ctx, this.person, this.locale));
  }

  // ── text ───────────────────────────────────────────────────────────────────
  private handleText(session: SessionView, text: string): void {
    const command = parseCommand(text);
    const pending = this.state.pending;
    if (command !== null && command.name !== "unknown") {
      if (pending.kind === "note" && !command.slash && command.name !== "cancel") return this.saveNote(session, pending.criterionId, text);
      // A typed "có"/"không" is an answer unless a confirmation is waiting; the answer parser reads the original text.
      const confirming = pending.kind === "confirm-overwrite" || pending.kind === "confirm-submit";
      if (!((command.name === "yes" || command.name === "no") && !command.slash && !confirming)) {
        return this.handleCommand(session, command);
      }
    }
    if (command !== null && command.name === "unknown") return this.reply({ paragraphs: [t("input.unknownCommand", { command: command.word })] });
    switch (pending.kind) {
      case "note":
        return this.saveNote(session, pending.criterionId, text);
      case "menu": {
        const n = Number(text);
        const item = Number.isInteger(n) ? this.menuItems()[n - 1] : undefined;
        // A number that is not a menu item must not fall through as an answer (7 on a percent question = 7%).
        if (item === undefined && /^\d+$/.test(text)) return this.showMenu([t("menu.invalid", { count: this.menuItems().length })]);
        this.setPending({ kind: "none" });
        if (item !== undefined) return this.handleCommand(session, this.menuCommand(item));
        break;
      }
      case "clarify-goto": {
        const target = /^\d+$/.test(text) ? pending.targets[Number(text) - 1] : undefined;
        this.setPending({ kind: "none" });
        if (target !== undefined) return this.ask(session, findEntry(session.definition, target), [], true);
        break;
      }
      case "confirm-overwrite":
      case "confirm-submit": {
        // Zalo and the terminal show the yes/no choices as a numbered list: "1" and "2" pick them.
        const choice = /^\d+$/.test(text) ? this.yesNoChoices()[Number(text) - 1] : undefined;
        if (choice !== undefined) return this.yesNo(session, choice.value === YES, this.current(session), choice.value);
        const yes = readYesNo(text);
        if (yes !== null) return this.yesNo(session, yes, this.current(session), yes ? YES : NO);
        return this.reply({ paragraphs: [t("confirm.pleaseAnswer")], choices: this.yesNoChoices(), questionId: "confirm" });
      }
      case "multi":
        return this.multiText(session, pending.criterionId, pending.selected, text);
      case "plan":
        this.setPending({ kind: "none" });
        break;
      case "none":
        break;
    }
    if (/^https?:\/\/\S+$/i.test(text)) return this.addEvidence(session, { kind: "link", ref: text });
    // Someone already linked types a code again (a second invite, a colleague's): not an answer to the question.
    if (/^[a-z0-9]{5}[-\s]?[a-z0-9]{5}$/i.test(text) && /\d/.test(text) && normalizeInviteCode(text) !== null) {
      return this.reply({ paragraphs: [t("link.already", { agency: this.person.agencyName ?? "" })] });
    }
    // "P2.1.3" or "2.1.3" on its own is where the person wants to go (never a valid number or option).
    if (looksLikeCriterionId(text)) return this.handleCommand(session, { name: "goto", arg: text, slash: false });
    const entry = this.current(session);
    if (entry === undefined) return this.reply({ paragraphs: [t("session.empty")] });
    if (entry.criterion.answer.type === "multi") return this.multiText(session, entry.criterion.id, multiSelection(session, entry), text);
    const parsed = parseTypedAnswer(entry.criterion, text);
    if (!parsed.ok) return this.refuse(entry, parsed.error);
    this.answer(session, entry, parsed.value, false);
  }

  private handleCommand(session: SessionView, command: ParsedCommand): void {
    const pending = this.state.pending;
    // Ticked options are never dropped silently: moving on saves them first (cancel says they were dropped).
    if (pending.kind === "multi" && !["done", "help", "cancel"].includes(command.name)) this.keepPicks(session, pending.criterionId, pending.selected);
    else if (pending.kind !== "none" && !["yes", "no", "done", "help"].includes(command.name)) this.setPending({ kind: "none" });
    const entry = this.current(session);
    switch (command.name) {
      case "start":
        if (command.arg !== "") return this.reply({ paragraphs: [t("link.already", { agency: this.person.agencyName ?? "" })] });
        return this.ask(session, entry, [t("welcome.back", { name: this.person.name, agency: this.person.agencyName ?? "", period: session.periodName })], true);
      case "continue":
        return this.ask(session, continueTarget(session.definition, (id) => isAnswered(session, id), entry, this.person.assignedParts ?? []), [], true);
      case "help":
        return this.reply({
          paragraphs: [
            ...(entry?.criterion.help ? [t("help.forQuestion", { id: entry.criterion.id, help: literal(this.localizedHelp(entry)) })] : []),
            ...(entry ? [lines([hintFor(entry), ...(entry.criterion.evidence === "required" ? [t("question.evidenceRequired")] : [])])] : []),
            t("help.commands"),
            ...(session.definition.source.official ? [] : [t("score.unofficial", { note: localized(session.definition.source.note, this.locale) })]),
            ...(this.person.role === "lead" ? [t("team.help.lead")] : []),
          ],
        });
      case "menu":
        return this.showMenu([]);
      case "score":
        return this.reply(scoreReply(session, this.person.agencyName ?? "", this.locale, this.takeTip("unofficial")));
      case "plan":
      case "more": {
        const from = command.name === "more" && pending.kind === "plan" ? pending.shown : 0;
        const plan = planReply(session, this.person.agencyName ?? "", this.locale, { from, unofficialNote: this.takeTip("unofficial") });
        this.setPending(plan.shown > 0 ? { kind: "plan", shown: plan.shown } : { kind: "none" });
        return this.reply(plan.reply);
      }
      case "overview":
      case "nudge":
      case "export":
        return this.reply({ paragraphs: [t("results.access.supervisorOnly")] });
      case "progress":
        return this.reply(teamProgress(progressReply(session, this.locale, entry?.criterion.id), session, this.person));
      case "skip": {
        if (entry === undefined) return this.ask(session, entry);
        const next = nextUnanswered(session.definition, (id) => id !== entry.criterion.id && isAnswered(session, id), entry);
        const target = next && next.index !== entry.index ? next : nextInOrder(session.definition, entry) ?? criteriaOf(session.definition)[0];
        return this.ask(session, target, [t("nav.skipped", { id: entry.criterion.id })]);
      }
      case "back": {
        if (entry === undefined) return this.ask(session, entry);
        const previous = previousInOrder(session.definition, entry);
        if (previous === undefined) return this.ask(session, entry, [t("nav.atFirst")], false);
        return this.ask(session, previous);
      }
      case "goto": {
        if (command.arg === "") return this.reply({ paragraphs: [t("nav.gotoUsage")] });
        const target = resolveGotoTarget(session.definition, command.arg, (id) => isAnswered(session, id));
        if (target.kind === "unknown") return this.reply({ paragraphs: [t("nav.gotoUnknown", { target: command.arg })] });
        if (target.kind === "found") return this.ask(session, target.entry, [], true);
        // "đến 5": question 5 or pillar 5? Ask, with both as numbered choices.
        this.setPending({ kind: "clarify-goto", targets: [target.question.criterion.id, target.pillar.criterion.id] });
        return this.reply({
          paragraphs: [t("nav.gotoWhich", { number: target.number })],
          choices: [
            { value: target.question.criterion.id, label: t("nav.gotoQuestion", { number: target.number, count: criteriaOf(session.definition).length, id: target.question.criterion.id }) },
            { value: target.pillar.criterion.id, label: t("nav.gotoPillar", { number: target.number, name: localizedName(target.pillar, this.locale) }) },
          ],
          questionId: "goto",
        });
      }
      case "review": {
        const arg = command.arg.trim().toUpperCase().replace(/^P/, "");
        const index = arg === "" ? (entry?.pillarIndex ?? 0) : Number(arg.split(".")[0]) - 1;
        return this.reply(reviewReply(session, Number.isInteger(index) ? index : -1, this.locale));
      }
      case "note": {
        if (entry === undefined) return this.ask(session, entry);
        if (!this.canWrite(session)) return;
        // Right after an answer, a note is about the question just answered, not the one now showing.
        const target = this.lastAnswered ?? entry.criterion.id;
        if (command.arg !== "") return this.saveNote(session, target, command.arg);
        this.setPending({ kind: "note", criterionId: target });
        if (target === this.lastAnswered) this.state = { ...this.state, justAnswered: target };
        return this.reply({ paragraphs: [t("note.prompt", { id: target })] });
      }
      case "submit":
        return this.submit(session);
      case "reopen":
        return this.reopen(session);
      case "lang":
        return this.setLocale(command.arg);
      case "reminders":
      case "reminders_off":
      case "reminders_on":
        return this.setReminders(command);
      case "cancel":
        if (pending.kind === "multi") {
          this.setPending({ kind: "none" });
          const multi = findEntry(session.definition, pending.criterionId);
          if (multi) return this.refuse(multi, t("answer.picksDropped", { id: pending.criterionId }));
        }
        return this.reply({ paragraphs: [t("common.cancelled")] });
      case "done":
        if (pending.kind === "multi") return this.saveMulti(session, pending.criterionId, pending.selected);
        // Typed "xong" must do what the numbered "Xong" choice and the Done button do.
        if (entry?.criterion.answer.type === "multi") return this.saveMulti(session, entry.criterion.id, multiSelection(session, entry));
        return this.ask(session, entry, [t("input.nothingToFinish")], false);
      case "yes":
      case "no":
        return this.yesNo(session, command.name === "yes", entry, command.name);
    }
  }

  private localizedHelp(entry: CriterionEntry): string {
    const help = entry.criterion.help;
    if (!help) return "";
    return this.locale === "en" && help.en.trim() !== "" ? help.en : help.vi;
  }

  private menuItems(): readonly (typeof MENU_ITEMS)[number][] {
    return MENU_ITEMS.filter((item) => item !== "submit" || this.person.role === "lead");
  }

  private showMenu(lead: readonly Text[]): void {
    this.setPending({ kind: "menu" });
    this.reply({
      paragraphs: [...lead, t("menu.title")],
      choices: this.menuItems().map((item) => ({ value: item, label: t(`menu.${item}`) })),
      questionId: "menu",
    });
  }

  /** The menu's language item is labelled with the other language ("English" / "Tiếng Việt"): picking it switches. */
  private menuCommand(item: (typeof MENU_ITEMS)[number]): ParsedCommand {
    return { name: item, arg: item === "lang" ? (this.locale === "vi" ? "en" : "vi") : "", slash: false };
  }

  private yesNoChoices() {
    return [
      { value: YES, label: t("answer.yes") },
      { value: NO, label: t("answer.no") },
    ];
  }

  /** "có"/"không": a pending confirmation first, otherwise an answer to a yes/no question. */
  private yesNo(session: SessionView, yes: boolean, entry: CriterionEntry | undefined, word: string): void {
    const pending = this.state.pending;
    if (pending.kind === "confirm-overwrite") {
      this.setPending({ kind: "none" });
      const target = findEntry(session.definition, pending.criterionId);
      if (!yes || target === undefined) return this.ask(session, target ?? entry, [t("answer.keptExisting")], false);
      return this.answer(session, target, pending.value as AnswerValue, true);
    }
    if (pending.kind === "confirm-submit") {
      this.setPending({ kind: "none" });
      if (!yes) return this.reply({ paragraphs: [t("submit.cancelled")] });
      if (!this.canWrite(session)) return;
      this.effects.push({ kind: "submit" });
      const score = scoreAssessment(session.definition, answerValues(session));
      return this.reply({
        paragraphs: [t("submit.done", { period: session.periodName, total: fromHundredths(score.totalH), max: fromHundredths(score.maxH), level: localizedName(score.level, this.locale) })],
      });
    }
    if (entry === undefined) return this.ask(session, entry);
    const parsed = parseTypedAnswer(entry.criterion, word);
    if (!parsed.ok) return this.refuse(entry, parsed.error);
    this.answer(session, entry, parsed.value, false);
  }

  // ── buttons ────────────────────────────────────────────────────────────────
  private handlePick(session: SessionView, questionId: string, value: string): void {
    const pending = this.state.pending;
    if (questionId === "menu") {
      if (pending.kind === "multi") this.keepPicks(session, pending.criterionId, pending.selected);
      else this.setPending({ kind: "none" });
      const item = this.menuItems().find((i) => i === value);
      return item ? this.handleCommand(session, this.menuCommand(item)) : this.reply({ paragraphs: [t("input.staleButton")] });
    }
    if (questionId === "confirm") {
      if (pending.kind !== "confirm-overwrite" && pending.kind !== "confirm-submit") return this.reply({ paragraphs: [t("input.staleButton")] });
      return this.yesNo(session, value === YES, this.current(session), value);
    }
    if (questionId === "goto") {
      this.setPending({ kind: "none" });
      const target = findEntry(session.definition, value);
      return target ? this.ask(session, target, [], true) : this.reply({ paragraphs: [t("input.staleButton")] });
    }
    const entry = this.current(session);
    const tapped = findEntry(session.definition, questionId);
    if (entry === undefined || tapped === undefined) return this.ask(session, entry, [t("input.staleButton")], false);
    if (tapped.criterion.id !== entry.criterion.id) return this.earlierButton(session, tapped, entry, value);
    if (entry.criterion.answer.type === "multi") {
      const selected = pending.kind === "multi" && pending.criterionId === entry.criterion.id ? pending.selected : multiSelection(session, entry);
      if (value === DONE_VALUE) return this.saveMulti(session, entry.criterion.id, selected);
      return this.toggle(session, entry, selected, [value]);
    }
    const check = checkAnswerValue(entry.criterion, entry.criterion.answer.type === "yesno" ? value === YES : value);
    if (!check.ok) return this.ask(session, entry, [t("input.staleButton")], false);
    this.answer(session, entry, check.value, false);
  }

  /**
   * A button of a question answered earlier (Telegram keeps old keyboards): a change of that question's answer.
   * One-answer questions are saved at once and the person stays where they were; a several-choice question becomes
   * the current one, with the tap applied, so the change is finished with "Xong" there.
   */
  private earlierButton(session: SessionView, tapped: CriterionEntry, current: CriterionEntry, value: string): void {
    const pending = this.state.pending;
    if (pending.kind === "multi" && pending.criterionId !== tapped.criterion.id) this.keepPicks(session, pending.criterionId, pending.selected);
    if (tapped.criterion.answer.type === "multi") {
      const selected = pending.kind === "multi" && pending.criterionId === tapped.criterion.id ? pending.selected : multiSelection(session, tapped);
      if (value === DONE_VALUE) return this.saveMulti(session, tapped.criterion.id, selected, current);
      if (!tapped.criterion.answer.options.some((o) => o.id === value)) return this.ask(session, current, [t("input.staleButton")], false);
      this.notices.push(t("answer.editingEarlier", { id: tapped.criterion.id }));
      return this.toggle(session, tapped, selected, [value]);
    }
    const check = checkAnswerValue(tapped.criterion, tapped.criterion.answer.type === "yesno" ? value === YES : value);
    if (!check.ok) return this.ask(session, current, [t("input.staleButton")], false);
    this.answer(session, tapped, check.value, false, current);
  }

  // ── several-choice questions ───────────────────────────────────────────────
  private multiText(session: SessionView, criterionId: string, selected: readonly string[], text: string): void {
    const entry = findEntry(session.definition, criterionId);
    if (entry === undefined || entry.criterion.answer.type !== "multi") return this.ask(session, this.current(session));
    const options = entry.criterion.answer.options;
    const reading = readMultiReply(options, text);
    switch (reading.kind) {
      case "list":
        return this.saveMulti(session, criterionId, reading.ids);
      case "none":
        return this.saveMulti(session, criterionId, []);
      case "done":
        return this.saveMulti(session, criterionId, selected);
      case "ambiguous": {
        const numbers = reading.ids.map((id) => options.findIndex((o) => o.id === id) + 1).join(", ");
        return this.refuse(entry, t("answer.ambiguousOption", { typed: reading.part, numbers }), selected);
      }
      case "invalid":
        return this.refuse(entry, t("answer.invalidMulti", { count: options.length, done: options.length + 1 }), selected);
    }
  }

  private toggle(session: SessionView, entry: CriterionEntry, selected: readonly string[], ids: readonly string[]): void {
    if (!this.canWrite(session)) return;
    const next = new Set(selected);
    for (const id of ids) {
      if (next.has(id)) next.delete(id);
      else next.add(id);
    }
    const spec = entry.criterion.answer;
    const ordered = spec.type === "multi" ? inOrder(spec.options, [...next]) : [];
    this.setPending({ kind: "multi", criterionId: entry.criterion.id, selected: ordered });
    this.state = { ...this.state, criterionId: entry.criterion.id };
    const reply = refusalReply(entry, this.locale, t("answer.multiSelected", { id: entry.criterion.id, count: ordered.length }), ordered);
    // A tick on the question being answered needs no message where a button tap can show a notice; one that brings
    // something else to say (an earlier question reopened, picks kept) is a message.
    if (this.notices.length > 0) return this.reply(reply);
    const notice = ordered.length === 0 ? t("answer.tapNoneTicked") : t("answer.tapTicked", { count: ordered.length, answer: describeAnswer(entry.criterion, ordered, this.locale) });
    this.reply({ ...reply, tapNotice: notice });
  }

  private saveMulti(session: SessionView, criterionId: string, selected: readonly string[], resume?: CriterionEntry): void {
    const entry = findEntry(session.definition, criterionId);
    this.setPending({ kind: "none" });
    if (entry === undefined) return this.ask(session, this.current(session));
    this.answer(session, entry, [...selected], false, resume);
  }

  /**
   * Saves the options ticked with buttons when the person moves on without "Xong" (a command, another question's
   * button): the confirmation leads the next reply.
   */
  private keepPicks(session: SessionView, criterionId: string, selected: readonly string[]): void {
    this.setPending({ kind: "none" });
    const entry = findEntry(session.definition, criterionId);
    if (entry === undefined || !this.writable(session)) return;
    const existing = session.answers.get(criterionId);
    if (existing?.value !== null && existing !== undefined && isDeepStrictEqual(existing.value, selected)) return;
    if (existing?.value !== null && existing !== undefined && existing.answeredById !== this.person.id) {
      // Someone else's answer is never replaced without asking: say the picks were not saved.
      this.notices.push(t("answer.picksNotSaved", { id: criterionId }));
      return;
    }
    this.effects.push({ kind: "save-answer", criterionId, value: [...selected] });
    this.notices.push(this.savedLine("answer.picksSaved", entry, [...selected]));
  }

  // ── writing ────────────────────────────────────────────────────────────────
  /** Whether answers may change now, without saying anything. */
  private writable(session: SessionView): boolean {
    return session.status !== "submitted" && this.ctx.now >= session.entryOpens && this.ctx.now <= session.entryCloses;
  }

  /** Whether answers may change now; replies why not when they may not. */
  private canWrite(session: SessionView): boolean {
    if (session.status === "submitted") {
      this.reply({ paragraphs: [t(this.person.role === "lead" ? "window.submittedLead" : "window.submitted", { when: session.submittedAt ?? this.ctx.now })] });
      return false;
    }
    if (this.ctx.now < session.entryOpens) {
      this.reply({ paragraphs: [t("window.notOpen", { opens: session.entryOpens })] });
      return false;
    }
    if (this.ctx.now > session.entryCloses) {
      this.reply({ paragraphs: [t("window.closed", { closed: session.entryCloses })] });
      return false;
    }
    return true;
  }

  /** "✓ P1.1.1: Có (3/3 điểm)": which question, what is on file now, and its points. */
  private savedLine(key: string, entry: CriterionEntry, value: AnswerValue): Text {
    return t(key, {
      id: entry.criterion.id,
      // The new answer on the way forward: option labels cut short (the full list was just read); in full on a change.
      answer: describeAnswer(entry.criterion, value, this.locale, key === "answer.saved"),
      score: fromHundredths(criterionScoreH(entry.criterion, value)),
      max: fromHundredths(toHundredths(entry.criterion.maxScore)),
    });
  }

  /**
   * Saves an answer and moves on: to the next unanswered question, or back to `resume` when the answer changed an
   * earlier question (an old button) so the person keeps their place.
   */
  private answer(session: SessionView, entry: CriterionEntry, value: AnswerValue, confirmed: boolean, resume?: CriterionEntry): void {
    if (!this.canWrite(session)) return;
    const criterion = entry.criterion;
    const existing = session.answers.get(criterion.id);
    const describedNew = describeAnswer(criterion, value, this.locale);
    if (
      !confirmed &&
      existing?.value !== null &&
      existing !== undefined &&
      existing.answeredById !== this.person.id &&
      !isDeepStrictEqual(existing.value, value)
    ) {
      this.setPending({ kind: "confirm-overwrite", criterionId: criterion.id, value: value as never });
      return this.reply({
        paragraphs: [
          t("answer.overwriteConfirm", {
            id: criterion.id,
            name: existing.answeredByName,
            when: existing.answeredAt,
            old: describeAnswer(criterion, existing.value, this.locale),
            new: describedNew,
          }),
        ],
        choices: this.yesNoChoices(),
        questionId: "confirm",
      });
    }
    // The same value again (a second "có" after the last question, a double tap) changes nothing, and says so.
    const unchanged = existing !== undefined && existing.value !== null && isDeepStrictEqual(existing.value, value);
    if (!unchanged) this.effects.push({ kind: "save-answer", criterionId: criterion.id, value });
    this.setPending({ kind: "none" });
    const changed = existing !== undefined && existing.value !== null && !unchanged;
    const saved = this.savedLine(unchanged ? "answer.unchanged" : changed ? "answer.changed" : "answer.saved", entry, value);
    this.state = { ...this.state, justAnswered: criterion.id };
    if (resume !== undefined && resume.criterion.id !== criterion.id) return this.ask(session, resume, [saved, t("nav.backTo")], false);
    const answeredNow = (id: string): boolean => id === criterion.id || isAnswered(session, id);
    const walk = walkAfterAnswer(session.definition, answeredNow, entry, this.person.assignedParts ?? []);
    if (walk.kind === "part-done") return this.reply({ paragraphs: [saved, ...walk.paragraphs] });
    if (walk.kind === "all-done") {
      this.state = { ...this.state, criterionId: criterion.id };
      return this.reply({ paragraphs: [saved, t(this.person.role === "lead" ? "answer.allDoneLead" : "answer.allDoneMember")] });
    }
    this.ask(session, walk.entry, [saved]);
  }

  /** Where a note, photo or file goes: the question just answered, else the one showing. */
  private attachTarget(session: SessionView): CriterionEntry | undefined {
    return findEntry(session.definition, this.lastAnswered) ?? this.current(session);
  }

  /** After something was attached to the question just answered: keep that link, and say where the person is. */
  private afterAttach(session: SessionView, target: CriterionEntry): Text[] {
    const current = this.current(session);
    if (target.criterion.id !== this.lastAnswered) return [];
    this.state = { ...this.state, justAnswered: target.criterion.id };
    if (current === undefined || current.criterion.id === target.criterion.id) return [];
    return [t("nav.stillAt", { number: current.index + 1, count: criteriaOf(session.definition).length, id: current.criterion.id })];
  }

  private saveNote(session: SessionView, criterionId: string, note: string): void {
    this.setPending({ kind: "none" });
    if (!this.canWrite(session)) return;
    const target = findEntry(session.definition, criterionId);
    if (target === undefined) return this.ask(session, this.current(session));
    this.effects.push({ kind: "save-note", criterionId, note });
    this.reply({ paragraphs: [t("note.saved", { id: criterionId, note }), ...this.afterAttach(session, target)] });
  }

  private addEvidence(session: SessionView, evidence: EvidenceInput): void {
    const entry = this.attachTarget(session);
    if (entry === undefined) return this.ask(session, entry);
    if (!this.canWrite(session)) return;
    this.effects.push({ kind: "add-evidence", criterionId: entry.criterion.id, evidence });
    const saved = t(`evidence.saved.${evidence.kind}`, { id: entry.criterion.id });
    const caption = evidence.caption === undefined ? [] : [t("evidence.captionKept", { caption: evidence.caption })];
    this.reply({ paragraphs: [saved, ...caption, ...this.afterAttach(session, entry)] });
  }

  // ── submission ─────────────────────────────────────────────────────────────
  private submit(session: SessionView): void {
    if (this.person.role !== "lead") return this.reply({ paragraphs: [t("submit.leadOnly")] });
    if (!this.canWrite(session)) return;
    const { unanswered, missingEvidence } = submitCheck(session);
    const paragraphs: Text[] = [t("submit.confirmTitle", { period: session.periodName })];
    if (unanswered.length > 0) paragraphs.push(t("submit.unanswered", { count: unanswered.length, ids: listIds(unanswered) }));
    if (missingEvidence.length > 0) paragraphs.push(t("submit.missingEvidence", { count: missingEvidence.length, ids: listIds(missingEvidence) }));
    if (unanswered.length === 0 && missingEvidence.length === 0) paragraphs.push(t("submit.allComplete"));
    paragraphs.push(t("submit.confirmQuestion"));
    this.setPending({ kind: "confirm-submit" });
    this.reply({ paragraphs, choices: this.yesNoChoices(), questionId: "confirm" });
  }

  private reopen(session: SessionView): void {
    if (this.person.role !== "lead") return this.reply({ paragraphs: [t("submit.leadOnly")] });
    if (session.status !== "submitted") return this.reply({ paragraphs: [t("reopen.notSubmitted")] });
    if (this.ctx.now > session.entryCloses || this.ctx.now < session.entryOpens) {
      return this.reply({ paragraphs: [t("reopen.windowClosed", { closed: session.entryCloses })] });
    }
    this.effects.push({ kind: "reopen" });
    // Show where the person is before the next "có" changes anything.
    this.ask(session, this.current(session), [t("reopen.done")], true);
  }
}

function localizedName(item: { readonly name: LocalizedText } | CriterionEntry, locale: Locale): string {
  return "pillar" in item ? localized(item.pillar.name, locale) : localized(item.name, locale);
}

function isAnswered(session: SessionView, criterionId: string): boolean {
  const answer = session.answers.get(criterionId);
  return answer !== undefined && answer.value !== null;
}

/** Where a several-choice question starts: what is on file, so a change begins from it. */
function multiSelection(session: SessionView, entry: CriterionEntry): string[] {
  const value = session.answers.get(entry.criterion.id)?.value;
  return Array.isArray(value) ? [...value] : [];
}

export { choicesFor };
