import { describe, expect, it } from "vitest";
import type { SessionView } from "./context.js";
import type { Input } from "./input.js";
import { fromHundredths } from "../questionnaire/hundredths.js";
import { scoreAssessment } from "../questionnaire/scoring.js";
import { answerValues } from "./summary-replies.js";
import {
  answerOf,
  Chat,
  dataEffects,
  ENTRY_CLOSES,
  ENTRY_OPENS,
  keysOf,
  onlyReply,
  personOf,
  pick,
  replyKeys,
  sessionOf,
  tinyDefinition,
  varsOf,
} from "../../../test/support/conversation-engine.js";

const tiny = tinyDefinition();

/** Every criterion of the tiny definition answered, with evidence where it is required. */
function complete(): SessionView {
  const values: Record<string, ReturnType<typeof answerOf>> = {
    "P1.1.1": answerOf(true),
    "P1.1.2": answerOf("c"),
    "P1.2.1": answerOf(["ads"], undefined, { evidenceCount: 1 }),
    "P2.1.1": answerOf(10),
    "P2.1.2": answerOf(5000),
    "P2.1.3": answerOf(50),
  };
  return sessionOf(tiny, { answers: new Map(Object.entries(values)) });
}

function chatFor(role: "member" | "lead", session: SessionView, now?: Date): Chat {
  const chat = new Chat({ person: personOf(role), session, ...(now ? { now } : {}) });
  chat.send("/goto P1.1.1");
  return chat;
}

const submitted = (session: SessionView): SessionView => ({ ...session, status: "submitted", submittedAt: new Date("2024-11-10T01:00:00Z"), submittedByName: "Lead Tran" });

describe("submitting", () => {
  it.each(["nộp", "/submit", "/reopen", "mở lại"])("when a member sends %j, then only the lead may (submit.leadOnly) and nothing happens", (message) => {
    const chat = chatFor("member", complete());
    const effects = chat.send(message);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual(["submit.leadOnly"]);
    expect(chat.state.pending).toEqual({ kind: "none" });
  });

  it.each<[string, () => SessionView, readonly string[], Record<string, Record<string, unknown>>]>([
    ["everything is answered", complete, ["submit.confirmTitle", "submit.allComplete", "submit.confirmQuestion"], {}],
    [
      "two criteria are open and one lacks required evidence",
      () => {
        const session = complete();
        const answers = new Map(session.answers);
        answers.delete("P2.1.1");
        answers.set("P2.1.3", answerOf(null, undefined, { note: "chua co so lieu" }));
        answers.set("P1.2.1", answerOf(["ads"]));
        return { ...session, answers };
      },
      ["submit.confirmTitle", "submit.unanswered", "submit.missingEvidence", "evidence2.checklist.pointer", "submit.confirmQuestion"],
      { "submit.unanswered": { count: 2, ids: "P2.1.1, P2.1.3" }, "submit.missingEvidence": { count: 1, ids: "P1.2.1" } },
    ],
    [
      "a several-choice answer with no option (0 points) has no evidence",
      () => {
        const session = complete();
        const answers = new Map(session.answers);
        // Nothing claimed, nothing to prove: not counted as missing evidence.
        answers.set("P1.2.1", answerOf([]));
        return { ...session, answers };
      },
      ["submit.confirmTitle", "submit.allComplete", "submit.confirmQuestion"],
      {},
    ],
  ])("when the lead asks to submit and %s, then a confirmation lists what is open", (_case, session, keys, vars) => {
    const chat = chatFor("lead", session());
    const effects = chat.send("nộp");
    expect(dataEffects(effects)).toEqual([]);
    const reply = onlyReply(effects);
    expect(keysOf(reply)).toEqual(keys);
    for (const [key, expected] of Object.entries(vars)) expect(varsOf(reply, key)).toEqual(expected);
    expect(reply.questionId).toBe("confirm");
    expect(chat.state.pending).toEqual({ kind: "confirm-submit" });
  });

  it.each<[string, Input | string, boolean, string]>([
    ["“có”", "có", true, "submit.done"],
    ["the yes button", pick("confirm", "yes"), true, "submit.done"],
    ["the number 1", "1", true, "submit.done"],
    ["“không”", "không", false, "submit.cancelled"],
    ["the no button", pick("confirm", "no"), false, "submit.cancelled"],
  ])("when the lead confirms with %s, then submitted is %s", (_case, input, submits, key) => {
    const chat = chatFor("lead", complete());
    chat.send("/submit");
    const effects = chat.send(input);
    expect(dataEffects(effects)).toEqual(submits ? [{ kind: "submit" }] : []);
    // Cancelling also says where the person is, so the next bare answer goes where they expect.
    expect(replyKeys(effects)).toEqual(submits ? [key] : [key, "nav.whereNow"]);
    expect(chat.session?.status).toBe(submits ? "submitted" : "draft");
    expect(chat.state.pending).toEqual({ kind: "none" });
  });

  it("when the lead confirms, then the reply gives the final score and level", () => {
    const chat = chatFor("lead", complete());
    chat.send("nộp");
    const reply = onlyReply(chat.send("có"));
    const score = scoreAssessment(tiny, answerValues(complete()));
    expect(varsOf(reply, "submit.done")).toEqual({ period: "2024", total: fromHundredths(score.totalH), max: 9, level: score.level.name.vi });
  });

  it("when the lead asks to submit and then types a command instead, then the submission is dropped", () => {
    const chat = chatFor("lead", complete());
    chat.send("/submit");
    chat.send("điểm");
    expect(chat.state.pending).toEqual({ kind: "none" });
    // "có" now answers the current yes/no question (already "yes": nothing to save) instead of confirming the
    // abandoned submission.
    const effects = chat.send("có");
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)[0]).toBe("answer.unchanged");
    expect(chat.session?.status).toBe("draft");
  });

  it("when a stale confirm button is tapped with nothing waiting, then input.staleButton and nothing is submitted", () => {
    const chat = chatFor("lead", complete());
    const effects = chat.send(pick("confirm", "yes"));
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual(["input.staleButton"]);
  });
});

describe("after submission", () => {
  it.each<[string, "member" | "lead", Input | string, string]>([
    ["a member", "member", "không", "window.submitted"],
    ["a member", "member", "ghi chú muộn", "window.submitted"],
    ["a member", "member", "https://baothu.vn/x", "window.submitted"],
    ["the lead", "lead", "không", "window.submittedLead"],
    ["the lead", "lead", pick("P1.1.1", "no"), "window.submittedLead"],
    ["the lead", "lead", "nộp", "window.submittedLead"],
  ])("when %s tries to change anything (%j), then it is refused with %s and nothing is saved", (_case, role, input, key) => {
    const chat = chatFor(role, submitted(complete()));
    const effects = chat.send(input);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual([key]);
  });

  it("when the submitted results are scored, then the score says who submitted and when", () => {
    const reply = chatFor("member", submitted(complete())).reply("điểm");
    expect(varsOf(reply, "score.submitted")).toEqual({ when: new Date("2024-11-10T01:00:00Z"), name: "Lead Tran" });
  });

  it("when the lead reopens inside the entry window, then a reopen effect follows and answers can change again", () => {
    const chat = chatFor("lead", submitted(complete()));
    const effects = chat.send("mở lại");
    expect(dataEffects(effects)).toEqual([{ kind: "reopen" }]);
    // Where the person is comes with it, so the next "có" is read against a question they can see.
    expect(replyKeys(effects)[0]).toBe("reopen.done");
    expect(replyKeys(effects)).toContain("question.progress");
    expect(chat.session?.status).toBe("draft");
    expect(dataEffects(chat.send("/goto P1.1.1"))).toEqual([]);
    expect(replyKeys(chat.send("không"))[0]).toBe("answer.overwriteConfirm");
  });

  it.each<[string, () => SessionView, Date | undefined, string]>([
    ["the results are not submitted", complete, undefined, "reopen.notSubmitted"],
    ["the entry window has closed", () => submitted(complete()), new Date(ENTRY_CLOSES.getTime() + 1000), "reopen.windowClosed"],
  ])("when the lead tries to reopen but %s, then %s and nothing changes", (_case, session, now, key) => {
    const chat = chatFor("lead", session(), now);
    const effects = chat.send("/reopen");
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual([key]);
  });
});

describe("outside the entry window", () => {
  const before = new Date(ENTRY_OPENS.getTime() - 60_000);
  const after = new Date(ENTRY_CLOSES.getTime() + 60_000);

  it.each<[string, Date, string, Input | string]>([
    ["before it opens", before, "window.notOpen", "có"],
    ["before it opens", before, "window.notOpen", pick("P1.1.1", "yes")],
    ["after it closes", after, "window.closed", "có"],
    ["after it closes", after, "window.closed", "ghi chú abc"],
    ["after it closes", after, "window.closed", { kind: "attachment", attachment: { kind: "photo", ref: "f" } }],
    ["after it closes", after, "window.closed", "nộp"],
  ])("when someone writes %s, then it is refused with %s and nothing is saved", (_case, now, key, input) => {
    const chat = chatFor("lead", sessionOf(tiny), now);
    const effects = chat.send(input);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual([key]);
  });

  it.each<[string, Date]>([
    ["before it opens", before],
    ["after it closes", after],
  ])("when someone asks for the score %s, then it is shown", (_case, now) => {
    const reply = chatFor("member", complete(), now).reply("điểm");
    expect(varsOf(reply, "score.total")).toMatchObject({ max: 9 });
  });

  it("when the window closes mid-way, then the same message that was accepted a second earlier is refused", () => {
    const chat = chatFor("member", sessionOf(tiny), new Date(ENTRY_CLOSES.getTime() - 1000));
    expect(dataEffects(chat.send("có"))).toEqual([{ kind: "save-answer", criterionId: "P1.1.1", value: true }]);
    chat.now = new Date(ENTRY_CLOSES.getTime() + 1000);
    chat.send("/goto P1.1.1");
    expect(dataEffects(chat.send("không"))).toEqual([]);
  });
});
