import { describe, expect, it } from "vitest";
import { initialState } from "./state.js";
import { step } from "./step.js";
import { answerOf, Chat, contextOf, dataEffects, keysOf, personOf, sessionOf, shippedDefinition, varsOf } from "../../../test/support/conversation-engine.js";

/** Issue 21: what people type in their own words, and the replies that keep them oriented. */
const shipped = shippedDefinition();

function leadAt(criterionId: string): Chat {
  const chat = new Chat({ person: personOf("lead"), session: sessionOf(shipped) });
  chat.send(`/goto ${criterionId}`);
  expect(chat.state.criterionId).toBe(criterionId);
  return chat;
}

describe("replies in people's own words", () => {
  it.each<[string, string, unknown]>([
    ["P1.1.1", "ban hành rồi em", true],
    ["P1.1.1", "đúng rồi", true],
    ["P2.2.2", "chưa kiểm tra", false],
    ["P1.1.1", "2 ạ", false],
    ["P1.2.2", "tăng khoảng 25%", "d"],
    ["P1.2.2", "15%", "c"],
    ["P2.2.1", "cấp độ 4", "c"],
    ["P2.1.3", "đám mây", "c"],
    ["P3.1.1", "kiêm nhiệm", "b"],
    ["P4.2.1", "chỉ xem lượt view", "b"],
    ["P1.1.2", "phương án 2", "b"],
    ["P1.1.3", "đạt 70%", 70],
    ["P3.2.1", "tất cả", 100],
    ["P2.1.5", "1-3", ["a", "b", "c"]],
    ["P2.1.5", "cả 5", ["a", "b", "c", "d", "e"]],
    ["P2.1.2", "chỉ có zalo", ["b"]],
    ["P5.1.2", "chưa dùng AI", []],
  ])("when %s gets %j, then %j is saved", (criterionId, message, value) => {
    const chat = leadAt(criterionId);
    expect(dataEffects(chat.send(message))).toEqual([{ kind: "save-answer", criterionId, value }]);
  });

  it.each(["không biết", "chưa chắc", "có lẽ", "có thể", "50-60", "120%"])("when %j is typed to a percentage, then nothing is saved and the ways out are offered", (message) => {
    const chat = leadAt("P1.1.3");
    const reply = chat.reply(message);
    expect(dataEffects([{ kind: "reply", reply }])).toEqual([]);
    expect(keysOf(reply)).toContain("answer.waysOut");
    expect(chat.state.criterionId).toBe("P1.1.3");
  });

  it("when an answer comes with a remark, then the answer is saved, the remark kept as the note, and the reply says so", () => {
    const chat = leadAt("P1.1.1");
    const effects = chat.send("Có (ban hành năm 2023)");
    expect(dataEffects(effects)).toEqual([
      { kind: "save-answer", criterionId: "P1.1.1", value: true },
      { kind: "save-note", criterionId: "P1.1.1", note: "ban hành năm 2023" },
    ]);
    expect(effects.flatMap((e) => (e.kind === "reply" ? keysOf(e.reply) : []))).toContain("answer.remarkKept");
  });

  it("when a reply could name two options, then the person is asked which, naming them, and nothing is saved", () => {
    const chat = leadAt("P2.2.3");
    const reply = chat.reply("có");
    expect(varsOf(reply, "answer.ambiguousOption")).toMatchObject({ numbers: "2, 3" });
    expect(chat.session?.answers.get("P2.2.3")).toBeUndefined();
  });
});

describe("moving around in a sentence", () => {
  it.each<[string, string, string]>([
    ["quay lại câu trước", "P1.2.1", "P1.1.3"],
    ["lùi lại", "P1.2.1", "P1.1.3"],
    ["sửa câu 3", "P1.2.1", "P1.1.3"],
    ["câu 7 nhé", "P1.1.1", "P2.1.1"],
    ["câu cuối", "P1.1.1", "P5.2.4"],
    ["về câu đầu", "P2.1.1", "P1.1.1"],
    ["câu tiếp", "P1.1.1", "P1.1.2"],
    ["trụ cột 4", "P1.1.1", "P4.1.1"],
  ])("when %j is sent on %s, then %s is shown and nothing is saved", (message, from, to) => {
    const chat = leadAt(from);
    const reply = chat.reply(message);
    expect(reply.questionId).toBe(to);
    expect(chat.state.criterionId).toBe(to);
  });

  it.each(["bỏ qua câu này", "để sau", "tí trả lời sau", "hỏi lại sếp đã", "pass", "chưa biết"])("when %j is sent, then the question is put off for the next", (message) => {
    const chat = leadAt("P1.1.1");
    const reply = chat.reply(message);
    expect(keysOf(reply)).toContain("nav.skipped");
    expect(reply.questionId).toBe("P1.1.2");
  });

  it("when an answered question is skipped, then the reply says its answer is kept", () => {
    const chat = leadAt("P1.1.1");
    chat.send("có");
    chat.send("câu 1");
    expect(keysOf(chat.reply("bỏ qua"))).toContain("nav.skippedKept");
  });

  it("when the person goes back, changes an earlier answer and goes on, then they return to where they were", () => {
    const chat = leadAt("P1.1.1");
    chat.send("có");
    chat.send("1");
    chat.send("50");
    expect(chat.state.criterionId).toBe("P1.2.1");
    chat.send("câu 3");
    const reply = chat.reply("60");
    expect(chat.session?.answers.get("P1.1.3")?.value).toBe(60);
    expect(reply.questionId).toBe("P1.2.1");
    expect(keysOf(reply)).toContain("nav.backTo");
  });

  it("when “tiếp tục” follows “quay lại”, then the next unanswered question is shown, never the answered one again", () => {
    const chat = leadAt("P1.1.1");
    chat.send("có");
    chat.send("quay lại");
    expect(chat.state.criterionId).toBe("P1.1.1");
    expect(chat.reply("tiếp tục").questionId).toBe("P1.1.2");
  });
});

describe("replies that are not questions say where the person is", () => {
  it.each(["điểm bao nhiêu rồi", "xem điểm", "hủy", "xem lại"])("when %j is sent, then the reply ends with where a bare answer would go", (message) => {
    const chat = leadAt("P1.2.1");
    const reply = chat.reply(message);
    expect(varsOf(reply, "nav.whereNow")).toMatchObject({ id: "P1.2.1" });
  });

  it("when a greeting comes before the first question, then it is greeted, nothing is saved and the first question is shown", () => {
    const chat = new Chat({ person: personOf("lead"), session: sessionOf(shipped) });
    const effects = chat.send("chào em");
    expect(dataEffects(effects)).toEqual([]);
    const [reply] = effects.flatMap((e) => (e.kind === "reply" ? [e.reply] : []));
    expect(reply && keysOf(reply)).toContain("input.greeting");
    expect(reply?.questionId).toBe("P1.1.1");
  });
});

describe("team safety", () => {
  it("when a member declines to replace a colleague's answer, then they move on and their next reply is not offered as a replacement", () => {
    const session = sessionOf(shipped, { answers: new Map([["P1.1.1", answerOf(true)]]) });
    const chat = new Chat({ person: personOf("member"), session });
    chat.send("câu 1");
    const ask = chat.reply("không");
    expect(varsOf(ask, "answer.overwriteConfirm")).toMatchObject({ name: "Other Nguyen", me: personOf("member").name });
    const declined = chat.reply("ko");
    expect(keysOf(declined)).toContain("answer.keptExisting");
    expect(declined.questionId).toBe("P1.1.2");
    const next = chat.send("có");
    expect(dataEffects(next)).toEqual([]);
    expect(chat.state.pending).toEqual({ kind: "none" });
    expect(chat.session?.answers.get("P1.1.1")?.value).toBe(true);
  });
});

describe("a removed member writes in", () => {
  it("when the chat's person was removed by a lead, then they are told by whom, from which agency and when, and how to link again", () => {
    const at = new Date("2024-11-02T02:00:00Z");
    const ctx = { ...contextOf({ person: null }), removal: { agency: "Báo Nhà", by: "Nguyễn Thị Lan", at } };
    const effects = step(initialState(), { kind: "text", text: "có" }, ctx).effects;
    const [reply] = effects.flatMap((e) => (e.kind === "reply" ? [e.reply] : []));
    expect(reply && varsOf(reply, "team.remove.noticeRemoved")).toEqual({ agency: "Báo Nhà", name: "Nguyễn Thị Lan", when: at });
    expect(reply && keysOf(reply)).toContain("welcome.howToLink");
    expect(dataEffects(effects)).toEqual([]);
  });
});
