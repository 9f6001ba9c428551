import { describe, expect, it } from "vitest";
import type { AnswerView } from "../conversation/context.js";
import type { Reply } from "../conversation/effects.js";
import type { Text } from "../conversation/text.js";
import { answerOf, Chat, keysOf, personOf, sessionOf, shippedDefinition, tinyDefinition, varsOf } from "../../../test/support/conversation-engine.js";
import type { AnswerValue } from "../questionnaire/answer-value.js";
import { improvementPlan, planReply, PLAN_ITEMS_PER_MESSAGE, PLAN_ITEMS_PER_PILLAR } from "./plan.js";

const tiny = tinyDefinition();
const answers = (values: Record<string, AnswerValue>) => new Map(Object.entries(values));
const sessionWith = (values: Record<string, AnswerValue>) =>
  sessionOf(tiny, { answers: new Map(Object.entries(values).map(([id, v]): [string, AnswerView] => [id, answerOf(v)])) });

/** The variables of a key anywhere in a reply, nested texts included. */
function nestedVars(reply: Reply, key: string): Readonly<Record<string, unknown>> | undefined {
  const find = (text: Text): Readonly<Record<string, unknown>> | undefined => {
    if (text.kind === "literal") return undefined;
    if (text.kind === "lines") return text.lines.map(find).find((v) => v !== undefined);
    if (text.key === key) return text.vars ?? {};
    return Object.values(text.vars ?? {})
      .map((v) => (typeof v === "object" && !(v instanceof Date) ? find(v) : undefined))
      .find((v) => v !== undefined);
  };
  return reply.paragraphs.map(find).find((v) => v !== undefined);
}

/** The plan as [pillar, missing points, [criterion, missing points]…] for readable expectations. */
const outline = (values: Record<string, AnswerValue>, perPillar?: number) =>
  improvementPlan(tiny, answers(values), perPillar).map((p) => [p.pillar.id, p.missingH / 100, p.items.map((i) => [i.criterion.id, i.missingH / 100]), p.more]);

describe("the improvement plan (/plan)", () => {
  it.each<[string, Record<string, AnswerValue>, number | undefined, unknown[]]>([
    [
      "nothing is answered: pillars by points missing, criteria by points at stake",
      {},
      undefined,
      [
        ["P1", 6, [["P1.2.1", 3], ["P1.1.2", 2], ["P1.1.1", 1]], 0],
        ["P2", 3, [["P2.1.1", 1], ["P2.1.2", 1], ["P2.1.3", 1]], 0],
      ],
    ],
    [
      "only two criteria per pillar are wanted: the rest is counted",
      {},
      2,
      [
        ["P1", 6, [["P1.2.1", 3], ["P1.1.2", 2]], 1],
        ["P2", 3, [["P2.1.1", 1], ["P2.1.2", 1]], 1],
      ],
    ],
    [
      "pillar 2 misses more than pillar 1: it comes first",
      { "P1.1.1": true, "P1.1.2": "c", "P1.2.1": ["ads", "subs"] },
      undefined,
      [
        ["P2", 3, [["P2.1.1", 1], ["P2.1.2", 1], ["P2.1.3", 1]], 0],
        ["P1", 1, [["P1.2.1", 1]], 0],
      ],
    ],
    [
      "a pillar at full marks is left out; partial answers count what is still missing",
      { "P1.1.1": true, "P1.1.2": "c", "P1.2.1": ["ads", "subs", "events"], "P2.1.1": 50, "P2.1.3": 90 },
      undefined,
      [["P2", 1.5, [["P2.1.2", 1], ["P2.1.1", 0.5]], 0]],
    ],
  ])("when %s, then the plan is as expected", (_case, values, perPillar, expected) => {
    expect(outline(values, perPillar)).toEqual(expected);
  });

  it("when the shipped definition is empty, then every pillar lists at most three criteria, the biggest first", () => {
    const plan = improvementPlan(shippedDefinition(), new Map());
    expect(plan.map((p) => p.pillar.id)).toEqual(["P2", "P4", "P3", "P1", "P5"]);
    for (const pillar of plan) {
      expect(pillar.items.length).toBe(PLAN_ITEMS_PER_PILLAR);
      const missing = pillar.items.map((i) => i.missingH);
      expect(missing).toEqual([...missing].sort((a, b) => b - a));
    }
  });

  it("when the plan is sent, then it is ONE message: the summary, the criteria missing the most points, and how to act", () => {
    const page = planReply(sessionWith({ "P1.1.1": true }), "Bao Thu Nghiem", "vi", { from: 0, unofficialNote: true });
    const keys = keysOf(page.reply);
    expect(keys.slice(0, 2)).toEqual(["results.plan.title", "results.plan.summary"]);
    expect(keys.slice(-2)).toEqual(["results.plan.howTo", "results.plan.unofficial"]);
    expect(keys.filter((k) => k === "results.plan.itemUnanswered")).toHaveLength(5);
    expect(keys.filter((k) => k === "results.plan.fullMarks")).toHaveLength(5);
    expect(varsOf(page.reply, "results.plan.summary")).toEqual({ total: 1, max: 9, gain: 8, count: 5 });
    expect(nestedVars(page.reply, "answer.number.vnd")).toEqual({ value: 1_000_000 });
    expect(nestedVars(page.reply, "answer.number.count")).toEqual({ value: 100 });
    expect(varsOf(page.reply, "results.plan.howTo")).toEqual({ id: "P1.2.1" });
    // Five items, nothing left: no "xem thêm".
    expect(page.shown).toBe(0);
  });

  it("when more criteria miss points than one message holds, then the first page says how many are left and “xem thêm” shows the next", () => {
    const shipped = sessionOf(shippedDefinition());
    const first = planReply(shipped, "Bao", "vi", { from: 0, unofficialNote: false });
    expect(first.shown).toBe(PLAN_ITEMS_PER_MESSAGE);
    expect(varsOf(first.reply, "results.plan.more")).toEqual({ count: 43 - PLAN_ITEMS_PER_MESSAGE });
    expect(keysOf(first.reply)).not.toContain("results.plan.unofficial");
    const chat = new Chat({ person: personOf("member"), session: shipped });
    chat.send("kế hoạch");
    const next = chat.reply("xem thêm");
    expect(varsOf(next, "results.plan.continued")).toEqual({ from: PLAN_ITEMS_PER_MESSAGE + 1, to: 2 * PLAN_ITEMS_PER_MESSAGE, count: 43 });
    expect(chat.state.pending).toEqual({ kind: "plan", shown: 2 * PLAN_ITEMS_PER_MESSAGE });
  });

  it("when a criterion has help, then the help text is what full marks require", () => {
    const page = planReply(sessionWith({}), "Bao", "en", { from: 0, unofficialNote: false });
    const helps = page.reply.paragraphs.flatMap((p) => (p.kind === "lines" ? p.lines : [])).flatMap((l) => (l.kind === "key" && l.key === "results.plan.fullMarks" ? [l.vars?.help] : []));
    expect(helps).toContain("A signed plan");
  });

  it("when every criterion is at full marks, then the plan congratulates in one message", () => {
    const full = { "P1.1.1": true, "P1.1.2": "c", "P1.2.1": ["ads", "subs", "events"], "P2.1.1": 100, "P2.1.2": 1_000_000, "P2.1.3": 90 };
    const page = planReply(sessionWith(full), "Bao", "vi", { from: 0, unofficialNote: true });
    expect(keysOf(page.reply)).toEqual(["results.plan.title", "results.plan.allFull"]);
  });

  it.each(["kế hoạch", "Kế Hoạch", "ke hoach", "cải thiện", "/plan", "plan"])("when a member sends %j, then the plan comes back in one message and nothing is saved", (message) => {
    const chat = new Chat({ person: personOf("member"), session: sessionWith({}) });
    const effects = chat.send(message);
    expect(effects.every((e) => e.kind === "reply")).toBe(true);
    expect(effects.length).toBe(1);
  });
});
