import { describe, expect, it } from "vitest";
import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { CriterionEntry } from "../questionnaire/definition-index.js";
import { fromHundredths } from "../questionnaire/hundredths.js";
import { scoreAssessment } from "../questionnaire/scoring.js";
import type { Effect, Reply } from "./effects.js";
import type { Input } from "./input.js";
import { criteriaOf, findEntry } from "./navigation.js";
import { answerValues } from "./summary-replies.js";
import {
  answerOf,
  Chat,
  dataEffects,
  keysOf,
  literalsOf,
  onlyReply,
  personOf,
  pick,
  replyKeys,
  sessionOf,
  shippedDefinition,
  tinyDefinition,
  varsOf,
} from "../../../test/support/conversation-engine.js";

const shipped = shippedDefinition();
const tiny = tinyDefinition();

/** A chat on the tiny definition, already showing `criterionId` (as after "đến <id>"). */
function chatAt(criterionId: string, options: { answers?: ReadonlyMap<string, ReturnType<typeof answerOf>>; role?: "member" | "lead" } = {}): Chat {
  const chat = new Chat({ person: personOf(options.role ?? "member"), session: sessionOf(tiny, { answers: new Map(options.answers ?? []) }) });
  chat.send(`/goto ${criterionId}`);
  expect(chat.state.criterionId).toBe(criterionId);
  return chat;
}

const saves = (effects: readonly Effect[]) => effects.filter((e) => e.kind === "save-answer");

describe("a full assessment of the 2024 definition", () => {
  /** What a person types for each kind of question, and the value that must be saved. */
  function script(entry: CriterionEntry): { messages: string[]; expected: AnswerValue } {
    const spec = entry.criterion.answer;
    const i = entry.index;
    switch (spec.type) {
      case "yesno":
        return [
          { messages: ["có"], expected: true },
          { messages: ["2"], expected: false },
          { messages: ["Co"], expected: true },
          { messages: ["không"], expected: false },
        ][i % 4] as { messages: string[]; expected: AnswerValue };
      case "choice": {
        const n = (i % spec.options.length) + 1;
        return { messages: [String(n)], expected: spec.options[n - 1]?.id ?? "" };
      }
      case "multi":
        // A typed list is the whole answer, saved at once (no "xong" needed).
        return { messages: ["1 3"], expected: [spec.options[0]?.id ?? "", spec.options[2]?.id ?? ""] };
      case "number":
        return { messages: [i % 2 === 0 ? "45,5" : "60%"], expected: i % 2 === 0 ? 45.5 : 60 };
    }
  }

  it.each(["lead", "member"] as const)(
    "when a %s answers every criterion in turn, then each answer is saved as sent, confirmed together with the next question, and the all-done reply comes last",
    (role) => {
      const chat = new Chat({ person: personOf(role), session: sessionOf(shipped) });
      let reply = chat.reply("tiếp tục");
      const asked: string[] = [];
      const saved: { criterionId: string; value: AnswerValue }[] = [];
      const expected: { criterionId: string; value: AnswerValue }[] = [];
      for (let guard = 0; guard < 100 && reply.questionId !== undefined; guard += 1) {
        const entry = findEntry(shipped, reply.questionId);
        if (entry === undefined) throw new Error(`unexpected question ${reply.questionId}`);
        asked.push(entry.criterion.id);
        const { messages, expected: value } = script(entry);
        expected.push({ criterionId: entry.criterion.id, value });
        for (const message of messages.slice(0, -1)) {
          const effects = chat.send(message);
          expect(saves(effects)).toEqual([]);
        }
        const effects = chat.send(messages.at(-1) ?? "");
        for (const e of saves(effects)) saved.push({ criterionId: e.criterionId, value: e.value });
        reply = onlyReply(effects);
        const keys = keysOf(reply);
        expect(keys[0]).toBe("answer.saved");
        expect(varsOf(reply, "answer.saved")?.["id"]).toBe(entry.criterion.id);
        if (reply.questionId !== undefined) {
          // The confirmation and the next question travel in the same message: no extra "next" step.
          expect(keys).toContain("question.progress");
          expect(varsOf(reply, "question.progress")?.["id"]).toBe(reply.questionId);
        }
      }
      const ids = criteriaOf(shipped).map((e) => e.criterion.id);
      expect(asked).toEqual(ids);
      expect(saved).toEqual(expected);
      expect(reply.questionId).toBeUndefined();
      expect(keysOf(reply)).not.toContain("question.progress");
      expect(keysOf(reply).at(-1)).toBe(role === "lead" ? "answer.allDoneLead" : "answer.allDoneMember");

      const score = chat.reply("điểm");
      const total = scoreAssessment(shipped, answerValues(chat.session ?? sessionOf(shipped)));
      expect(varsOf(score, "score.total")).toMatchObject({ total: fromHundredths(total.totalH), max: 100 });
      expect(varsOf(score, "score.completion")).toMatchObject({ answered: 43, count: 43, percent: 100 });
    },
  );

  it("when the progress line is shown for question 7, then it reads 7/43 in pillar 1/5", () => {
    const chat = new Chat({ person: personOf("member"), session: sessionOf(shipped) });
    const reply = chat.reply("/goto P2.1.1");
    expect(varsOf(reply, "question.progress")).toMatchObject({ number: 7, count: 43, pillar: 2, pillars: 5, id: "P2.1.1" });
  });
});

describe("answering each kind of question", () => {
  it.each<[string, string, readonly string[], AnswerValue]>([
    ["yes/no", "P1.1.1", ["có"], true],
    ["yes/no", "P1.1.1", ["co"], true],
    ["yes/no", "P1.1.1", ["1"], true],
    ["yes/no", "P1.1.1", ["Không"], false],
    ["yes/no", "P1.1.1", ["2"], false],
    ["yes/no", "P1.1.1", ["chưa"], false],
    ["one choice", "P1.1.2", ["3"], "c"],
    ["one choice", "P1.1.2", ["chua ban hanh"], "a"],
    ["one choice", "P1.1.2", ["Đã ban hành, giao rõ việc"], "c"],
    ["several choices", "P1.2.1", ["1 3"], ["ads", "events"]],
    ["several choices", "P1.2.1", ["3, 1"], ["ads", "events"]],
    ["several choices", "P1.2.1", ["1 3 xong"], ["ads", "events"]],
    ["several choices", "P1.2.1", ["1 3 4"], ["ads", "events"]],
    ["several choices", "P1.2.1", ["2 3 4 xong"], ["subs", "events"]],
    ["several choices", "P1.2.1", ["thue bao"], ["subs"]],
    ["several choices", "P1.2.1", ["Quảng cáo, thuê bao"], ["ads", "subs"]],
    ["several choices", "P1.2.1", ["4"], []],
    ["several choices", "P1.2.1", ["xong"], []],
    ["several choices", "P1.2.1", ["0"], []],
    ["several choices", "P1.2.1", ["không"], []],
    ["several choices", "P1.2.1", ["ko co"], []],
    ["several choices", "P1.2.1", ["none"], []],
    ["yes/no", "P1.1.1", ["có ạ"], true],
    ["yes/no", "P1.1.1", ["Dạ, có"], true],
    ["yes/no", "P1.1.1", ["đc"], true],
    ["yes/no", "P1.1.1", ["ko"], false],
    ["yes/no", "P1.1.1", ["k"], false],
    ["yes/no", "P1.1.1", ["khong co"], false],
    ["yes/no", "P1.1.1", ["không nhé"], false],
    ["one choice", "P1.1.2", ["giao ro viec"], "c"],
    ["a percentage", "P2.1.3", ["khoảng 80"], 80],
    ["a percentage", "P2.1.3", ["tầm 45,5 phần trăm"], 45.5],
    ["an amount", "P2.1.2", ["500 triệu"], 500_000_000],
    ["a count", "P2.1.1", ["100"], 100],
    ["a count", "P2.1.1", ["500"], 500],
    ["an amount", "P2.1.2", ["1.500.000"], 1_500_000],
    ["an amount", "P2.1.2", ["2 000 000 đồng"], 2_000_000],
    ["a percentage", "P2.1.3", ["45,5"], 45.5],
    ["a percentage", "P2.1.3", ["45.5%"], 45.5],
  ])("when a %s question (%s) gets %j, then %j is saved", (_kind, criterionId, messages, value) => {
    const chat = chatAt(criterionId);
    const effects = messages.map((m) => chat.send(m));
    for (const e of effects.slice(0, -1)) expect(saves(e)).toEqual([]);
    expect(saves(effects.at(-1) ?? [])).toEqual([{ kind: "save-answer", criterionId, value }]);
    expect(chat.state.pending).toEqual({ kind: "none" });
  });

  it.each<[string, string, string, string]>([
    ["yes/no", "P1.1.1", "có lẽ", "answer.hedge"],
    ["one choice", "P1.1.2", "4", "answer.invalidChoice"],
    ["one choice", "P1.1.2", "ban hành", "answer.ambiguousOption"],
    ["several choices", "P1.2.1", "có", "answer.invalidMulti"],
    ["yes/no", "P1.1.1", "hơn 80", "answer.invalidYesNo"],
    ["a percentage", "P2.1.3", "hơn 80", "answer.notANumber.percent"],
    ["several choices", "P1.2.1", "5", "answer.invalidMulti"],
    ["several choices", "P1.2.1", "hội thảo", "answer.invalidMulti"],
    ["a count", "P2.1.1", "nhiều", "answer.notANumber.count"],
    ["a count", "P2.1.1", "501", "answer.aboveMax.count"],
    ["a count", "P2.1.1", "-3", "answer.belowMin.count"],
    ["an amount", "P2.1.2", "999", "answer.belowMin.vnd"],
    ["a percentage", "P2.1.3", "95", "answer.aboveMax.percent"],
    ["a percentage", "P2.1.3", "9,5%", "answer.belowMin.percent"],
    ["a percentage", "P2.1.3", "45,", "answer.notANumber.percent"],
  ])("when a %s question (%s) gets %j, then nothing is saved and the same question is asked again after %s", (_kind, criterionId, message, key) => {
    const chat = chatAt(criterionId);
    const effects = chat.send(message);
    expect(dataEffects(effects)).toEqual([]);
    const reply = onlyReply(effects);
    expect(keysOf(reply)[0]).toBe(key);
    expect(keysOf(reply)).not.toContain("question.pillarHeader");
    expect(reply.questionId).toBe(criterionId);
    expect(chat.state.criterionId).toBe(criterionId);
  });

  it("when options of a several-choice question are tapped, then the reply shows them ticked and the count", () => {
    const chat = chatAt("P1.2.1");
    chat.send(pick("P1.2.1", "ads"));
    const reply = chat.reply(pick("P1.2.1", "events"));
    expect(varsOf(reply, "answer.multiSelected")).toEqual({ id: "P1.2.1", count: 2 });
    expect(reply.choices?.map((c) => [c.value, c.selected ?? false])).toEqual([
      ["ads", true],
      ["subs", false],
      ["events", true],
      ["done", false],
    ]);
    expect(chat.state.pending).toEqual({ kind: "multi", criterionId: "P1.2.1", selected: ["ads", "events"] });
    // Where a tap can show a notice on the button, this replaces the message: the count and the ticked options.
    expect(reply.tapNotice).toMatchObject({ kind: "key", key: "answer.tapTicked", vars: { count: 2 } });
    const unticked = chat.reply(pick("P1.2.1", "ads"));
    const none = chat.reply(pick("P1.2.1", "events"));
    expect(unticked.tapNotice).toMatchObject({ key: "answer.tapTicked", vars: { count: 1 } });
    expect(none.tapNotice).toEqual({ kind: "key", key: "answer.tapNoneTicked" });
  });

  it("when an option of an earlier several-choice question is tapped, then the reply is a message saying so (no tap notice)", () => {
    const chat = chatAt("P1.2.1");
    chat.send(pick("P1.2.1", "subs"));
    chat.send(pick("P1.2.1", "done"));
    expect(chat.state.criterionId).not.toBe("P1.2.1");
    const reply = chat.reply(pick("P1.2.1", "ads"));
    expect(varsOf(reply, "answer.editingEarlier")).toEqual({ id: "P1.2.1" });
    expect(reply.tapNotice).toBeUndefined();
    expect(chat.state.pending).toEqual({ kind: "multi", criterionId: "P1.2.1", selected: ["ads", "subs"] });
  });

  it.each<[string, readonly Input[], AnswerValue]>([
    ["two options then done", [pick("P1.2.1", "subs"), pick("P1.2.1", "ads"), pick("P1.2.1", "done")], ["ads", "subs"]],
    ["one option twice (untick) then done", [pick("P1.2.1", "subs"), pick("P1.2.1", "subs"), pick("P1.2.1", "done")], []],
  ])("when Telegram buttons pick %s, then the selection is saved on done", (_case, inputs, value) => {
    const chat = chatAt("P1.2.1");
    const effects = inputs.map((i) => chat.send(i));
    expect(effects.slice(0, -1).flatMap(saves)).toEqual([]);
    expect(saves(effects.at(-1) ?? [])).toEqual([{ kind: "save-answer", criterionId: "P1.2.1", value }]);
  });

  it.each<[string, Input, AnswerValue]>([
    ["yes", pick("P1.1.1", "yes"), true],
    ["no", pick("P1.1.1", "no"), false],
  ])("when the %s button of the current yes/no question is tapped, then it is saved", (_case, input, value) => {
    const chat = chatAt("P1.1.1");
    expect(saves(chat.send(input))).toEqual([{ kind: "save-answer", criterionId: "P1.1.1", value }]);
  });

  it.each<[string, Input]>([
    ["a button of another criterion", pick("P2.1.3", "yes")],
    ["an option id the question does not have", pick("P1.1.2", "zzz")],
  ])("when %s is tapped, then input.staleButton is shown, nothing is saved and the current question is asked again", (_case, input) => {
    const chat = chatAt("P1.1.2");
    const effects = chat.send(input);
    expect(dataEffects(effects)).toEqual([]);
    const reply = onlyReply(effects);
    expect(keysOf(reply)[0]).toBe("input.staleButton");
    expect(reply.questionId).toBe("P1.1.2");
  });

  it("when an answer is saved, then the next question skips criteria other members already answered", () => {
    const chat = chatAt("P1.1.1", { answers: new Map([["P1.1.2", answerOf("b")], ["P1.2.1", answerOf(["ads"])]]) });
    const reply = chat.reply("có");
    expect(reply.questionId).toBe("P2.1.1");
    // Entering a new pillar shows its name.
    expect(keysOf(reply)).toContain("question.pillarEntered");
  });

  it("when the next question is in the same indicator, then no header is repeated", () => {
    const chat = chatAt("P1.1.1");
    const reply = chat.reply("có");
    expect(reply.questionId).toBe("P1.1.2");
    expect(keysOf(reply)).not.toContain("question.pillarHeader");
  });
});

describe("changing an answer someone else gave", () => {
  const byOther = () => new Map([["P1.1.1", answerOf(true, { id: "member-2", name: "Other Nguyen" })]]);

  it("when the answer differs, then it shows who answered and when, and asks for confirmation without saving", () => {
    const chat = chatAt("P1.1.1", { answers: byOther() });
    const effects = chat.send("không");
    expect(dataEffects(effects)).toEqual([]);
    const reply = onlyReply(effects);
    expect(keysOf(reply)[0]).toBe("answer.overwriteConfirm");
    expect(varsOf(reply, "answer.overwriteConfirm")).toMatchObject({ id: "P1.1.1", name: "Other Nguyen", when: new Date("2024-10-20T02:30:00Z") });
    expect(reply.questionId).toBe("confirm");
    expect(reply.choices?.map((c) => c.value)).toEqual(["yes", "no"]);
  });

  it.each<[string, string, Input | string, AnswerValue | null, string]>([
    ["“có”", "the new answer is saved", "có", false, "answer.changed"],
    ["“có ạ”", "the new answer is saved", "có ạ", false, "answer.changed"],
    ["“/yes”", "the new answer is saved", "/yes", false, "answer.changed"],
    ["the yes button", "the new answer is saved", pick("confirm", "yes"), false, "answer.changed"],
    ["the number 1 (numbered choices on Zalo)", "the new answer is saved", "1", false, "answer.changed"],
    ["“ko”", "the other member's answer is kept", "ko", null, "answer.keptExisting"],
    ["“không”", "the other member's answer is kept", "không", null, "answer.keptExisting"],
    ["the no button", "the other member's answer is kept", pick("confirm", "no"), null, "answer.keptExisting"],
    ["the number 2 (numbered choices on Zalo)", "the other member's answer is kept", "2", null, "answer.keptExisting"],
  ])("when the confirmation gets %s, then %s", (_case, _outcome, input, saved, key) => {
    const chat = chatAt("P1.1.1", { answers: byOther() });
    chat.send("không");
    const effects = chat.send(input);
    expect(saves(effects)).toEqual(saved === null ? [] : [{ kind: "save-answer", criterionId: "P1.1.1", value: saved }]);
    expect(keysOf(onlyReply(effects))[0]).toBe(key);
    expect(chat.state.pending).toEqual({ kind: "none" });
    expect(chat.session?.answers.get("P1.1.1")?.value).toBe(saved ?? true);
  });

  it("when something else is typed while the confirmation waits, then it asks for yes or no and keeps waiting", () => {
    const chat = chatAt("P1.1.1", { answers: byOther() });
    chat.send("không");
    const effects = chat.send("45");
    expect(dataEffects(effects)).toEqual([]);
    expect(keysOf(onlyReply(effects))).toEqual(["confirm.pleaseAnswer"]);
    expect(chat.state.pending.kind).toBe("confirm-overwrite");
  });

  it("when changing the person's own earlier answer, then it is saved without asking", () => {
    const chat = chatAt("P1.1.1", { answers: new Map([["P1.1.1", answerOf(true, { id: "person-member", name: "Someone" })]]) });
    expect(saves(chat.send("không"))).toEqual([{ kind: "save-answer", criterionId: "P1.1.1", value: false }]);
  });

  it.each<[string, string]>([
    ["another member's", "member-2"],
    ["the person's own", "person-member"],
  ])("when %s answer is given again with the same value, then nothing is saved and the reply says nothing changed", (_case, answeredById) => {
    const chat = chatAt("P1.1.1", { answers: new Map([["P1.1.1", answerOf(true, { id: answeredById, name: "Someone" })]]) });
    const effects = chat.send("có");
    expect(saves(effects)).toEqual([]);
    expect(replyKeys(effects)[0]).toBe("answer.unchanged");
    // And the chat moves on as after a save.
    expect(chat.state.criterionId).toBe("P1.1.2");
  });

  it("when the last question is answered again after everything was answered, then nothing is saved and it says so", () => {
    const others = criteriaOf(tiny).filter((e) => e.criterion.id !== "P2.1.3");
    const chat = chatAt("P2.1.3", { answers: new Map(others.map((e) => [e.criterion.id, answerOf(e.criterion.answer.type === "yesno" ? true : 1)])) });
    const first = chat.send("50%");
    expect(saves(first)).toEqual([{ kind: "save-answer", criterionId: "P2.1.3", value: 50 }]);
    expect([replyKeys(first)[0], replyKeys(first).at(-1)]).toEqual(["answer.saved", "answer.allDoneMember"]);
    const again = chat.send("50%");
    expect(saves(again)).toEqual([]);
    expect([replyKeys(again)[0], replyKeys(again).at(-1)]).toEqual(["answer.unchanged", "answer.allDoneMember"]);
    expect(chat.state.criterionId).toBe("P2.1.3");
  });
});

describe("notes and evidence on the current criterion", () => {
  it.each<[string, readonly string[], string]>([
    ["a note with its text", ["ghi chú Đã ký ngày 5/3"], "Đã ký ngày 5/3"],
    ["a slash note with its text", ["/note signed on 5 March"], "signed on 5 March"],
    ["a note via the prompt", ["ghi chú", "Quyết định 12/QĐ"], "Quyết định 12/QĐ"],
    ["a note via the prompt that looks like a command word", ["/note", "điểm"], "điểm"],
  ])("when %s is sent, then it is saved on the current criterion", (_case, messages, note) => {
    const chat = chatAt("P1.1.2");
    const effects = messages.map((m) => chat.send(m));
    expect(effects.slice(0, -1).flatMap(dataEffects)).toEqual([]);
    expect(dataEffects(effects.at(-1) ?? [])).toEqual([{ kind: "save-note", criterionId: "P1.1.2", note }]);
    expect(replyKeys(effects.at(-1) ?? [])[0]).toBe("note.saved");
    expect(chat.session?.answers.get("P1.1.2")?.note).toBe(note);
  });

  it("when the note prompt is cancelled, then nothing is saved", () => {
    const chat = chatAt("P1.1.2");
    expect(replyKeys(chat.send("ghi chú"))).toEqual(["note.prompt"]);
    const effects = chat.send("hủy");
    expect(dataEffects(effects)).toEqual([]);
    expect(chat.state.pending).toEqual({ kind: "none" });
  });

  it.each<[string, Input | string, { kind: "photo" | "document" | "link"; ref: string; fileName?: string; caption?: string }, string]>([
    ["a link", "https://baothu.vn/ke-hoach.pdf", { kind: "link", ref: "https://baothu.vn/ke-hoach.pdf" }, "evidence.saved.link"],
    ["a photo", { kind: "attachment", attachment: { kind: "photo", ref: "file-1" } }, { kind: "photo", ref: "file-1" }, "evidence.saved.photo"],
    [
      "a document",
      { kind: "attachment", attachment: { kind: "document", ref: "file-2", fileName: "ke-hoach.pdf" } },
      { kind: "document", ref: "file-2", fileName: "ke-hoach.pdf" },
      "evidence.saved.document",
    ],
    [
      "a photo with a caption",
      { kind: "attachment", attachment: { kind: "photo", ref: "file-3", caption: "Quyết định 12/QĐ" } },
      { kind: "photo", ref: "file-3", caption: "Quyết định 12/QĐ" },
      "evidence.saved.photo",
    ],
  ])("when %s is sent, then it is added as evidence of the current criterion", (_case, input, evidence, key) => {
    const chat = chatAt("P1.2.1");
    const effects = chat.send(input);
    expect(dataEffects(effects)).toEqual([{ kind: "add-evidence", criterionId: "P1.2.1", evidence }]);
    // A caption is kept with the evidence, and the reply repeats it so the sender sees what was kept.
    expect(replyKeys(effects)).toEqual(evidence.caption === undefined ? [key] : [key, "evidence.captionKept"]);
    if (evidence.caption !== undefined) expect(varsOf(onlyReply(effects), "evidence.captionKept")).toEqual({ caption: evidence.caption });
  });

  it("when evidence is on file for a criterion that requires it, then the question says so", () => {
    const chat = chatAt("P1.2.1");
    expect(keysOf(chat.reply("/goto P1.2.1"))).toContain("question.evidenceMark");
    chat.send({ kind: "attachment", attachment: { kind: "photo", ref: "f" } });
    const reply = chat.reply("/goto P1.2.1");
    expect(keysOf(reply)).toContain("question.evidenceOnFile");
    expect(varsOf(reply, "question.evidenceOnFile")).toEqual({ count: 1 });
  });
});

describe("the language of definition texts", () => {
  it.each<[string, readonly string[]]>([
    ["vi", ["Chua ban hanh", "Da ban hanh", "Da ban hanh, giao ro viec"]],
    ["en", ["Not issued", "Issued", "Issued with tasks"]],
  ])("when the person's language is %s, then option labels come in it", (locale, labels) => {
    const chat = chatAt("P1.1.2");
    if (locale === "en") chat.send("/lang en");
    const reply: Reply = chat.reply("/goto P1.1.2");
    expect(reply.choices?.map((c) => (c.label.kind === "literal" ? c.label.text : ""))).toEqual(labels);
    expect(literalsOf(reply)).toContain(locale === "en" ? "How far issued?" : "Muc do ban hanh?");
  });
});
