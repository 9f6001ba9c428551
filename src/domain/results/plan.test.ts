import { describe, expect, it } from "vitest";
import type { AnswerView } from "../conversation/context.js";
import type { Reply } from "../conversation/effects.js";
import type { Text } from "../conversation/text.js";
import { answerOf, Chat, keysOf, personOf, sessionOf, shippedDefinition, tinyDefinition, varsOf } from "../conversation/test-support.js";
import type { AnswerValue } from "../questionnaire/answer-value.js";
import { improvementPlan, planReplies, PLAN_ITEMS_PER_PILLAR } from "./plan.js";

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

  it("when the plan is sent, then it is a summary, one message per pillar, and how to act at the end", () => {
    const replies = planReplies(sessionWith({ "P1.1.1": true }), "Bao Thu Nghiem", "vi");
    expect(replies.map(keysOf)).toEqual([
      ["results.plan.title", "results.plan.summary"],
      ["results.plan.pillar", ...Array<string[]>(2).fill(["results.plan.itemUnanswered", "results.plan.fullMarks", "results.plan.bestOptions"]).flat()],
      [
        "results.plan.pillar",
        ...["answer.number.count", "answer.number.vnd", "answer.number.percent"].flatMap((unit) => ["results.plan.itemUnanswered", "results.plan.fullMarks", "results.plan.bestNumber", unit]),
        "results.plan.howTo",
        "results.plan.unofficial",
      ],
    ]);
    const [head, pillar1, pillar2] = replies;
    expect(head && varsOf(head, "results.plan.summary")).toEqual({ total: 1, max: 9, gain: 8, perPillar: PLAN_ITEMS_PER_PILLAR });
    expect(pillar2 && varsOf(pillar2, "results.plan.pillar")).toMatchObject({ number: 2, id: "P2", missing: 3, score: 0, max: 3 });
    expect(pillar1 && varsOf(pillar1, "results.plan.pillar")).toMatchObject({ number: 1, id: "P1", missing: 5, score: 1, max: 6 });
    expect(pillar2 && nestedVars(pillar2, "answer.number.vnd")).toEqual({ value: 1_000_000 });
    expect(pillar2 && nestedVars(pillar2, "answer.number.count")).toEqual({ value: 100 });
    expect(pillar2 && varsOf(pillar2, "results.plan.howTo")).toEqual({ id: "P1.2.1" });
  });

  it("when a criterion has help, then the help text is what full marks require", () => {
    const [, pillar1] = planReplies(sessionWith({}), "Bao", "en");
    expect(pillar1 && varsOf(pillar1, "results.plan.fullMarks")).toBeDefined();
    const helps = (pillar1?.paragraphs ?? []).flatMap((p) => (p.kind === "lines" ? p.lines : [])).flatMap((l) => (l.kind === "key" && l.key === "results.plan.fullMarks" ? [l.vars?.help] : []));
    expect(helps).toContain("A signed plan");
  });

  it("when every criterion is at full marks, then the plan congratulates in one message", () => {
    const full = { "P1.1.1": true, "P1.1.2": "c", "P1.2.1": ["ads", "subs", "events"], "P2.1.1": 100, "P2.1.2": 1_000_000, "P2.1.3": 90 };
    const replies = planReplies(sessionWith(full), "Bao", "vi");
    expect(replies.map(keysOf)).toEqual([["results.plan.title", "results.plan.allFull"]]);
  });

  it.each(["kế hoạch", "Kế Hoạch", "ke hoach", "cải thiện", "/plan", "plan"])("when a member sends %j, then the plan comes back and nothing is saved", (message) => {
    const chat = new Chat({ person: personOf("member"), session: sessionWith({}) });
    const effects = chat.send(message);
    expect(effects.every((e) => e.kind === "reply")).toBe(true);
    expect(effects.length).toBe(3);
  });
});
