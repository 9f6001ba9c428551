import { describe, expect, it } from "vitest";
import type { AnswerView } from "../conversation/context.js";
import { scoreReply } from "../conversation/summary-replies.js";
import { answerOf, keysOf, sessionOf, tinyDefinition, varsOf } from "../../../test/support/conversation-engine.js";
import type { Text } from "../conversation/text.js";
import type { AnswerValue } from "../questionnaire/answer-value.js";
import { scoreAssessment } from "../questionnaire/scoring.js";
import { compareWithPrevious, type PreviousResult } from "./history.js";
import { deltaText } from "./result-texts.js";

const tiny = tinyDefinition();
const values = (v: Record<string, AnswerValue>) => new Map(Object.entries(v));
/** P1 = 1 + 2 = 3 points, P2 = 0.5 + 1 = 1.5 points: 4.5 in all. */
const current = scoreAssessment(tiny, values({ "P1.1.1": true, "P1.1.2": "c", "P2.1.1": 50, "P2.1.2": 2_000_000 }));

const previous = (overrides: Partial<PreviousResult> = {}): PreviousResult => ({
  periodName: "2023",
  definitionId: tiny.id,
  submitted: true,
  totalH: 250,
  maxH: 900,
  pillars: [
    { id: "P1", scoreH: 200, maxH: 600 },
    { id: "P2", scoreH: 50, maxH: 300 },
  ],
  ...overrides,
});

describe("the change since the earlier period", () => {
  it("when there is no earlier result, then there is nothing to compare", () => {
    expect(compareWithPrevious(current, undefined)).toBeNull();
  });

  it("when the earlier result used the same definition, then the deltas per pillar and in total are exact hundredths", () => {
    const change = compareWithPrevious(current, previous());
    expect(change).toMatchObject({ sameDefinition: true, totalDeltaH: 200 });
    expect(change?.pillars).toEqual([
      { id: "P1", scoreH: 300, previousH: 200, deltaH: 100 },
      { id: "P2", scoreH: 150, previousH: 50, deltaH: 100 },
    ]);
  });

  it("when the earlier definition differs and lacks a pillar, then pillars are matched by id and the missing one has no delta", () => {
    const change = compareWithPrevious(current, previous({ definitionId: "press-dx-951-2023", totalH: 533, pillars: [{ id: "P1", scoreH: 533, maxH: 1800 }] }));
    expect(change).toMatchObject({ sameDefinition: false, totalDeltaH: -83 });
    expect(change?.pillars).toEqual([
      { id: "P1", scoreH: 300, previousH: 533, deltaH: -233 },
      { id: "P2", scoreH: 150, previousH: null, deltaH: null },
    ]);
  });

  it.each<[number, Text]>([
    [250, { kind: "key", key: "results.delta.up", vars: { value: 2.5 } }],
    [-1, { kind: "key", key: "results.delta.down", vars: { value: 0.01 } }],
    [0, { kind: "key", key: "results.delta.same" }],
  ])("when the change is %d hundredths, then it reads as %j", (deltaH, expected) => {
    expect(deltaText(deltaH)).toEqual(expected);
  });

  const sessionWith = (earlier: PreviousResult | undefined) =>
    sessionOf(tiny, {
      answers: new Map(
        Object.entries({ "P1.1.1": true, "P1.1.2": "c", "P2.1.1": 50, "P2.1.2": 2_000_000 }).map(([id, v]): [string, AnswerView] => [id, answerOf(v)]),
      ),
      ...(earlier ? { previous: earlier } : {}),
    });

  it("when /score is asked and there is an earlier result, then the reply shows the change after the pillars and asks for the picture", () => {
    const reply = scoreReply(sessionWith(previous()), "Bao", "vi");
    expect(reply.image?.kind).toBe("score-card");
    expect(reply.image?.summary.flatMap((p) => (p.kind === "key" ? [p.key] : []))).toEqual(["score.title", "score.total", "score.completion"]);
    const keys = keysOf(reply);
    expect(keys.indexOf("results.history.title")).toBeGreaterThan(keys.indexOf("score.pillarLine"));
    expect(keys.filter((k) => k === "results.history.pillar")).toHaveLength(2);
    expect(keys).not.toContain("results.history.otherDefinition");
    expect(varsOf(reply, "results.history.total")).toEqual({ previous: 2.5, current: 4.5, delta: { kind: "key", key: "results.delta.up", vars: { value: 2 } } });
    expect(varsOf(reply, "results.history.pillar")).toMatchObject({ id: "P1", name: "Tru cot mot", previous: 2, current: 3 });
  });

  it("when the earlier result was a draft of another definition, then the reply says so and still compares by pillar id", () => {
    const reply = scoreReply(sessionWith(previous({ submitted: false, definitionId: "old-def", pillars: [{ id: "P2", scoreH: 300, maxH: 300 }] })), "Bao", "en");
    const keys = keysOf(reply);
    expect(keys).toContain("results.history.titleDraft");
    expect(keys).toContain("results.history.pillarNew");
    expect(varsOf(reply, "results.history.otherDefinition")).toEqual({ previous: "old-def", current: "tiny-test" });
    expect(varsOf(reply, "results.history.pillar")).toMatchObject({ id: "P2", previous: 3, current: 1.5, delta: { kind: "key", key: "results.delta.down", vars: { value: 1.5 } } });
  });

  it("when there is no earlier result, then the score reply has no history paragraph", () => {
    expect(keysOf(scoreReply(sessionWith(undefined), "Bao", "vi")).filter((k) => k.startsWith("results.history"))).toEqual([]);
  });
});
