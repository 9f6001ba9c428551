import { describe, expect, it } from "vitest";
import type { Input } from "./input.js";
import { initialState } from "./state.js";
import { FLOOD_MAX_MESSAGES, FLOOD_WINDOW_MS, step } from "./step.js";
import {
  answerOf,
  Chat,
  contextOf,
  dataEffects,
  keysOf,
  onlyReply,
  personOf,
  pick,
  replyKeys,
  sessionOf,
  shippedDefinition,
  text,
  varsOf,
} from "../../../test/support/conversation-engine.js";

const shipped = shippedDefinition();

function chatAt(criterionId: string, role: "member" | "lead" = "member"): Chat {
  const chat = new Chat({ person: personOf(role), session: sessionOf(shipped) });
  chat.send(`/goto ${criterionId}`);
  expect(chat.state.criterionId).toBe(criterionId);
  return chat;
}

describe("starting and resuming", () => {
  it.each(["tiếp tục", "tiep tuc", "/continue", "continue", "/start"])(
    "when a linked member sends %j for the first time, then the first question comes with the pillar header and progress",
    (message) => {
      const chat = new Chat({ person: personOf("member"), session: sessionOf(shipped) });
      const reply = chat.reply(message);
      expect(reply.questionId).toBe("P1.1.1");
      expect(varsOf(reply, "question.pillarHeader")).toMatchObject({ number: 1, count: 5, indicatorId: "P1.1" });
      expect(varsOf(reply, "question.progress")).toMatchObject({ number: 1, count: 43, pillar: 1, pillars: 5, id: "P1.1.1" });
      expect(reply.choices?.map((c) => c.value)).toEqual(["yes", "no"]);
      expect(chat.state).toMatchObject({ assessmentId: "assessment-1", criterionId: "P1.1.1" });
    },
  );

  it("when /start is sent by a linked person, then the welcome-back line names them, their agency and the period", () => {
    const chat = new Chat({ person: personOf("member"), session: sessionOf(shipped) });
    const reply = chat.reply("/start");
    expect(keysOf(reply)[0]).toBe("welcome.back");
    expect(varsOf(reply, "welcome.back")).toEqual({ name: "Member Le", agency: "Bao Thu Nghiem", period: "2024" });
  });

  it("when the stored state says the person stopped at P3.2.1, then “tiếp tục” resumes exactly there (as after a restart)", () => {
    const stored = JSON.stringify({ ...initialState(), assessmentId: "assessment-1", criterionId: "P3.2.1" });
    const chat = new Chat({ person: personOf("member"), session: sessionOf(shipped), state: JSON.parse(stored) as ReturnType<typeof initialState> });
    const reply = chat.reply("tiếp tục");
    expect(reply.questionId).toBe("P3.2.1");
  });

  it("when the stored state belongs to an earlier period, then the new period starts at its first unanswered criterion", () => {
    const answers = new Map([["P1.1.1", answerOf(true)], ["P1.1.2", answerOf("c")]]);
    const chat = new Chat({
      person: personOf("member"),
      session: sessionOf(shipped, { assessmentId: "assessment-2", answers }),
      state: { ...initialState(), assessmentId: "assessment-1", criterionId: "P4.1.1" },
    });
    expect(chat.reply("tiếp tục").questionId).toBe("P1.1.3");
  });

  it("when another member has answered the current question, then it is shown as on file with their name", () => {
    const chat = chatAt("P1.1.1");
    chat.session = sessionOf(shipped, { answers: new Map([["P1.1.1", answerOf(false)]]) });
    const reply = chat.reply("câu 1");
    expect(varsOf(reply, "question.currentAnswer")).toMatchObject({ name: "Other Nguyen" });
    expect(keysOf(reply)).toContain("answer.no");
  });
});

describe("moving around", () => {
  it.each<[string, string, string, string, string | null]>([
    ["skip", "P1.1.1", "bỏ qua", "P1.1.2", "nav.skipped"],
    ["skip", "P1.1.1", "/skip", "P1.1.2", "nav.skipped"],
    ["skip at the last criterion (wraps to the first)", "P5.2.4", "skip", "P1.1.1", "nav.skipped"],
    ["back", "P1.1.2", "quay lại", "P1.1.1", null],
    ["back across an indicator", "P1.2.1", "/back", "P1.1.3", null],
    ["back at the first question", "P1.1.1", "quay lai", "P1.1.1", "nav.atFirst"],
  ])("when %s is used on %s with %j, then %s is asked", (_case, from, message, expected, notice) => {
    const chat = chatAt(from);
    const effects = chat.send(message);
    expect(dataEffects(effects)).toEqual([]);
    const reply = onlyReply(effects);
    expect(reply.questionId).toBe(expected);
    expect(chat.state.criterionId).toBe(expected);
    if (notice === null) expect(keysOf(reply)).not.toContain("nav.skipped");
    else expect(keysOf(reply)[0]).toBe(notice);
    if (notice === "nav.skipped") expect(varsOf(reply, "nav.skipped")).toEqual({ id: from });
  });

  it("when a question is skipped, then it stays unanswered and the next unanswered one follows", () => {
    const chat = chatAt("P1.1.1");
    chat.session = sessionOf(shipped, { answers: new Map([["P1.1.2", answerOf("a")]]) });
    expect(chat.reply("bỏ qua").questionId).toBe("P1.1.3");
    expect(chat.session.answers.has("P1.1.1")).toBe(false);
  });

  it.each<[string, string]>([
    ["đến trụ cột 2", "P2.1.1"],
    ["den tru cot 3", "P3.1.1"],
    ["/goto pillar 5", "P5.1.1"],
    ["đến câu 5", "P1.2.2"],
    ["câu 5", "P1.2.2"],
    ["/goto 9", "P2.1.3"],
    ["đến 2.1.3", "P2.1.3"],
    ["2.1.3", "P2.1.3"],
    ["P4.2.5", "P4.2.5"],
    ["/goto P2.1.3", "P2.1.3"],
    ["/goto p4.2.5", "P4.2.5"],
    ["goto P3.2", "P3.2.1"],
    ["/goto@SomeBot P1.2.3", "P1.2.3"],
    ["câu P2.1.3", "P2.1.3"],
    ["đến câu 4.2.5", "P4.2.5"],
    ["đến tiêu chí 2.1.3", "P2.1.3"],
  ])("when %j is sent, then the question %s is shown with its headers", (message, expected) => {
    const chat = chatAt("P1.1.1");
    const reply = chat.reply(message);
    expect(reply.questionId).toBe(expected);
    expect(keysOf(reply)).toContain("question.pillarHeader");
    expect(chat.state.criterionId).toBe(expected);
  });

  it.each<[string, string, Record<string, unknown> | undefined]>([
    ["/goto 99", "nav.gotoUnknown", { target: "99" }],
    ["đến P7.1.1", "nav.gotoUnknown", { target: "P7.1.1" }],
    ["/goto", "nav.gotoUsage", undefined],
  ])("when %j is sent, then %s is shown and the current question does not change", (message, key, vars) => {
    const chat = chatAt("P1.1.2");
    const reply = chat.reply(message);
    // An unknown target also says where the person still is (what a bare answer would answer).
    expect(keysOf(reply)).toEqual(key === "nav.gotoUnknown" ? [key, "nav.whereNow"] : [key]);
    if (vars) expect(varsOf(reply, key)).toEqual(vars);
    expect(chat.state.criterionId).toBe("P1.1.2");
  });
});

describe("looking things up", () => {
  it.each<[string, string, number]>([
    ["xem lại 2", "P1.1.1", 2],
    ["/review 3", "P1.1.1", 3],
    ["review P4", "P1.1.1", 4],
    ["xem lại", "P2.1.3", 2],
  ])("when %j is sent on %s, then pillar %d is reviewed with a line per criterion", (message, from, pillar) => {
    const chat = chatAt(from);
    const reply = chat.reply(message);
    expect(keysOf(reply)[0]).toBe("review.title");
    expect(varsOf(reply, "review.title")).toMatchObject({ number: pillar });
    const count = shipped.pillars[pillar - 1]?.indicators.reduce((n, i) => n + i.criteria.length, 0);
    expect(keysOf(reply).filter((k) => k === "review.lineUnanswered")).toHaveLength(count ?? -1);
    expect(chat.state.criterionId).toBe(from);
  });

  it("when a pillar with answers is reviewed, then the answered line names who answered", () => {
    const chat = chatAt("P1.1.1");
    chat.send("có");
    const reply = chat.reply("xem lại 1");
    expect(varsOf(reply, "review.line")).toMatchObject({ id: "P1.1.1", name: "Member Le", score: 3, max: 3 });
  });

  it.each(["xem lại 9", "/review 0", "review abc"])("when %j names no pillar, then review.unknownPillar lists the range", (message) => {
    const reply = chatAt("P1.1.1").reply(message);
    expect(keysOf(reply)).toEqual(["review.unknownPillar", "nav.whereNow"]);
    expect(varsOf(reply, "review.unknownPillar")).toEqual({ count: 5 });
  });

  it.each(["trợ giúp", "tro giup", "/help", "help"])("when %j is sent, then the help of the current question comes before the command list", (message) => {
    const reply = chatAt("P2.1.3").reply(message);
    // The question's own help, how to answer it and what 📎 means, the commands, and the full reference-text note.
    expect(keysOf(reply)).toEqual(["help.forQuestion", "question.hint.choice", "question.evidenceRequired", "help.commands", "score.unofficial", "nav.whereNow"]);
    expect(varsOf(reply, "help.forQuestion")).toMatchObject({ id: "P2.1.3" });
  });

  it.each(["tiến độ", "/progress"])("when %j is sent, then progress shows answered counts per pillar, the current question and the deadline", (message) => {
    const chat = chatAt("P1.1.1");
    chat.send("có");
    const reply = chat.reply(message);
    expect(varsOf(reply, "progress.title")).toMatchObject({ answered: 1, count: 43 });
    expect(keysOf(reply).filter((k) => k === "progress.pillarLine")).toHaveLength(5);
    expect(varsOf(reply, "progress.current")).toEqual({ id: "P1.1.2" });
    expect(keysOf(reply)).toContain("progress.window");
  });

  it.each(["điểm", "diem", "/score", "/score@SomeBot", "score", "xem điểm"])("when %j is sent, then the score reply has the total, each pillar and completion", (message) => {
    const chat = chatAt("P1.1.1");
    chat.send("có");
    const effects = chat.send(message);
    expect(dataEffects(effects)).toEqual([]);
    const reply = onlyReply(effects);
    expect(varsOf(reply, "score.total")).toMatchObject({ total: 3, max: 100 });
    expect(keysOf(reply).filter((k) => k === "score.pillarLine")).toHaveLength(5);
    expect(keysOf(reply)).toContain("score.mostMissingTitle");
    expect(keysOf(reply).filter((k) => k.startsWith("score.missingLine"))).toHaveLength(3);
    // The shipped 2024 file is not the official text: the score says so, once per session.
    expect(keysOf(reply)).toContain("score.unofficialShort");
    expect(keysOf(chat.reply(message))).not.toContain("score.unofficialShort");
  });

  it("when “đến 5” could mean question 5 or pillar 5, then it asks which, and the numbered reply goes there", () => {
    const chat = chatAt("P1.1.1");
    const reply = chat.reply("đến 5");
    expect(keysOf(reply)).toEqual(["nav.gotoWhich"]);
    expect(reply.choices?.map((c) => c.value)).toEqual(["P1.2.2", "P5.1.1"]);
    expect(chat.state.criterionId).toBe("P1.1.1");
    expect(chat.reply("2").questionId).toBe("P5.1.1");
    chat.send("đến 5");
    expect(chat.reply("1").questionId).toBe("P1.2.2");
    chat.send("đến 5");
    expect(chat.reply(pick("goto", "P5.1.1")).questionId).toBe("P5.1.1");
  });
});

describe("the menu", () => {
  it.each<[string, readonly string[]]>([
    ["member", ["continue", "score", "progress", "review", "help", "lang"]],
    ["lead", ["continue", "score", "progress", "review", "help", "submit", "lang"]],
  ])("when a %s opens the menu, then it offers %j", (role, items) => {
    const reply = chatAt("P1.1.1", role as "member" | "lead").reply("menu");
    expect(keysOf(reply)).toEqual(["menu.title"]);
    expect(reply.choices?.map((c) => (c.label.kind === "key" ? c.label.key : ""))).toEqual(items.map((i) => `menu.${i}`));
    expect(reply.questionId).toBe("menu");
    expect(reply.choices?.map((c) => c.value)).toEqual(items);
  });

  it.each<[string, Input | string, string]>([
    ["the number 2", "2", "score.total"],
    ["the number 3", "3", "progress.title"],
    ["the number 5", "5", "help.commands"],
    ["the score button", pick("menu", "score"), "score.total"],
    ["the number 1", "1", "question.progress"],
  ])("when the menu is answered with %s, then that item runs", (_case, input, key) => {
    const chat = chatAt("P1.1.2");
    chat.send("menu");
    const effects = chat.send(input);
    expect(replyKeys(effects)).toContain(key);
    expect(chat.state.pending).toEqual({ kind: "none" });
  });

  it.each<[string, Input | string]>([
    ["typed number", "6"],
    ["button", pick("menu", "lang")],
  ])("when the language item is chosen by %s, then the language switches to English (the item reads “English”)", (_case, input) => {
    const chat = chatAt("P1.1.2");
    chat.send("menu");
    const effects = chat.send(input);
    expect(effects).toContainEqual({ kind: "set-locale", locale: "en" });
    expect(chat.state.locale).toBe("en");
  });

  it("when the menu is showing and a number beyond its items is typed, then the menu is shown again and nothing is answered", () => {
    const chat = chatAt("P1.1.3");
    chat.send("menu");
    const effects = chat.send("9");
    expect(replyKeys(effects)).toEqual(["menu.invalid", "menu.title"]);
    expect(effects.some((e) => e.kind === "save-answer")).toBe(false);
    expect(chat.state.pending).toEqual({ kind: "menu" });
  });

  it("when a menu button is tapped after the menu was closed, then it is still obeyed (menu items are not tied to a question)", () => {
    const chat = chatAt("P1.1.2");
    chat.send("menu");
    chat.send("có");
    expect(replyKeys(chat.send(pick("menu", "progress")))).toContain("progress.title");
  });

  it("when the menu is showing and an answer is typed instead, then it answers the current question", () => {
    const chat = chatAt("P1.1.2");
    chat.send("menu");
    const effects = chat.send("chua ban hanh");
    expect(dataEffects(effects)).toEqual([{ kind: "save-answer", criterionId: "P1.1.2", value: "a" }]);
  });
});

describe("bad input", () => {
  const session = sessionOf(shipped);
  it.each<[string, Input, string]>([
    ["an empty message", text(""), "input.empty"],
    ["a message of spaces", text("   \n "), "input.empty"],
    ["a sticker", { kind: "unsupported" }, "input.unsupported"],
    ["an unknown slash command", text("/foo bar"), "input.unknownCommand"],
  ])("when %s arrives, then %s is the whole reply and nothing changes", (_case, input, key) => {
    const state = { ...initialState(), assessmentId: "assessment-1", criterionId: "P1.1.2" };
    const result = step(state, input, contextOf({ session }));
    expect(dataEffects(result.effects)).toEqual([]);
    expect(replyKeys(result.effects)).toEqual([key]);
    expect(result.state).toMatchObject(state);
  });

  it("when an unknown slash command arrives, then the hint names it", () => {
    const reply = onlyReply(step(initialState(), text("/foo bar"), contextOf({ session })).effects);
    expect(varsOf(reply, "input.unknownCommand")).toEqual({ command: "/foo" });
  });

  it("when a message is longer than 4000 characters, then it is cut to 4000 with a notice in the same reply", () => {
    const chat = chatAt("P1.1.1");
    const long = `ghi chú ${"x".repeat(5000)}`;
    const effects = chat.send(long);
    const reply = onlyReply(effects);
    expect(keysOf(reply)[0]).toBe("input.truncated");
    expect(varsOf(reply, "input.truncated")).toEqual({ max: 4000 });
    const note = dataEffects(effects)[0];
    expect(note?.kind).toBe("save-note");
    expect(note?.kind === "save-note" ? note.note.length : 0).toBe(4000 - "ghi chú ".length);
  });

  it("when a message is exactly 4000 characters, then no notice is added", () => {
    const chat = chatAt("P1.1.1");
    const reply = onlyReply(chat.send(`ghi chú ${"x".repeat(4000 - "ghi chú ".length)}`));
    expect(keysOf(reply)).not.toContain("input.truncated");
  });
});

describe("flood control", () => {
  const burst = (chat: Chat, count: number, at: Date) => Array.from({ length: count }, () => { chat.now = at; return chat.send("tiến độ"); });

  it("when more than FLOOD_MAX_MESSAGES arrive within the window with flood control on, then the next gets one input.flood notice and later ones are dropped silently", () => {
    const chat = new Chat({ person: personOf("member"), session: sessionOf(shipped), floodControl: true });
    const start = new Date("2024-11-01T03:00:00.000Z");
    const spacing = Math.floor(FLOOD_WINDOW_MS / (FLOOD_MAX_MESSAGES + 3));
    const results = Array.from({ length: FLOOD_MAX_MESSAGES + 3 }, (_, i) => {
      chat.now = new Date(start.getTime() + i * spacing);
      return chat.send("tiến độ");
    });
    expect(results.slice(0, FLOOD_MAX_MESSAGES).map((e) => replyKeys(e)[0])).toEqual(Array(FLOOD_MAX_MESSAGES).fill("progress.title"));
    expect(results[FLOOD_MAX_MESSAGES]).toEqual([{ kind: "reply", reply: { paragraphs: [{ kind: "key", key: "input.flood" }] } }]);
    expect(results.slice(FLOOD_MAX_MESSAGES + 1)).toEqual([[], []]);
  });

  it("when the burst is over (the window has passed), then messages are handled again", () => {
    const chat = new Chat({ person: personOf("member"), session: sessionOf(shipped), floodControl: true });
    const start = new Date("2024-11-01T03:00:00.000Z");
    burst(chat, FLOOD_MAX_MESSAGES + 2, start);
    const after = burst(chat, 1, new Date(start.getTime() + FLOOD_WINDOW_MS + 500));
    expect(replyKeys(after[0] ?? [])).toContain("progress.title");
  });

  it("when flood control is off (the terminal chat), then 20 messages at once are all handled", () => {
    const chat = new Chat({ person: personOf("member"), session: sessionOf(shipped), floodControl: false });
    const results = burst(chat, 20, new Date("2024-11-01T03:00:00.000Z"));
    expect(results.map((e) => replyKeys(e)[0])).toEqual(Array(20).fill("progress.title"));
  });

  it("when an unlinked chat floods, then it is dropped too", () => {
    const chat = new Chat({ person: null, floodControl: true });
    const results = burst(chat, FLOOD_MAX_MESSAGES + 2, new Date("2024-11-01T03:00:00.000Z"));
    expect(results.map((e) => replyKeys(e)[0])).toEqual([...Array(FLOOD_MAX_MESSAGES).fill("welcome.unlinked"), "input.flood", undefined]);
  });
});

describe("language", () => {
  it.each<[string, "vi" | "en"]>([
    ["/lang en", "en"],
    ["lang en", "en"],
    ["ngôn ngữ en", "en"],
    ["/lang vi", "vi"],
  ])("when %j is sent, then a set-locale effect and the confirmation follow", (message, locale) => {
    const chat = chatAt("P1.1.1");
    const effects = chat.send(message);
    expect(effects).toEqual([
      { kind: "set-locale", locale },
      { kind: "reply", reply: { paragraphs: [{ kind: "key", key: "lang.changed" }] } },
    ]);
    expect(chat.state.locale).toBe(locale);
  });

  it.each(["/lang", "/lang fr"])("when %j is sent, then the usage is shown and nothing changes", (message) => {
    const chat = chatAt("P1.1.1");
    const effects = chat.send(message);
    expect(effects).toEqual([{ kind: "reply", reply: { paragraphs: [{ kind: "key", key: "lang.usage" }] } }]);
    expect(chat.state.locale).toBeUndefined();
  });
});
