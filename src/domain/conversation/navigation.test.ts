import { describe, expect, it } from "vitest";
import { criteriaOf, findEntry, nextInOrder, nextUnanswered, previousInOrder, resolveGoto } from "./navigation.js";
import { shippedDefinition } from "../../../test/support/conversation-engine.js";

const definition = shippedDefinition();
const all = criteriaOf(definition);
const ids = all.map((e) => e.criterion.id);
const answeredSet = (answered: readonly string[]) => (id: string) => answered.includes(id);
const entry = (id: string) => {
  const found = findEntry(definition, id);
  if (!found) throw new Error(`no criterion ${id}`);
  return found;
};

describe("criteriaOf", () => {
  it("when the 2024 definition is walked, then it has 43 criteria in pillar, indicator, criterion order", () => {
    expect(all).toHaveLength(43);
    expect(ids.slice(0, 4)).toEqual(["P1.1.1", "P1.1.2", "P1.1.3", "P1.2.1"]);
    expect(ids.at(-1)).toBe("P5.2.4");
    expect(all.map((e) => e.index)).toEqual(ids.map((_, i) => i));
  });

  it("when asked twice for the same definition object, then the same list is returned (computed once)", () => {
    expect(criteriaOf(definition)).toBe(all);
  });
});

describe("nextUnanswered", () => {
  it.each<[string, string | undefined, readonly string[], string | undefined]>([
    ["nothing is answered and there is no current question", undefined, [], "P1.1.1"],
    ["the first two are answered", undefined, ["P1.1.1", "P1.1.2"], "P1.1.3"],
    ["the current question is followed by an answered one", "P1.1.1", ["P1.1.1", "P1.1.2"], "P1.1.3"],
    ["only an earlier question is open (wraps to the start)", "P5.2.3", ids.filter((id) => id !== "P1.2.1"), "P1.2.1"],
    ["everything is answered", "P3.1.1", ids, undefined],
  ])("when %s, then the next is %s", (_case, from, answered, expected) => {
    const next = nextUnanswered(definition, answeredSet(answered), from === undefined ? undefined : entry(from));
    expect(next?.criterion.id).toBe(expected);
  });
});

describe("nextInOrder and previousInOrder", () => {
  it.each<[string, string | undefined, string | undefined]>([
    ["P1.1.1", "P1.1.2", undefined],
    ["P1.2.1", "P1.2.2", "P1.1.3"],
    ["P1.2.3", "P2.1.1", "P1.2.2"],
    ["P5.2.4", undefined, "P5.2.3"],
  ])("when on %s, then next is %s and previous is %s", (from, next, previous) => {
    expect(nextInOrder(definition, entry(from))?.criterion.id).toBe(next);
    expect(previousInOrder(definition, entry(from))?.criterion.id).toBe(previous);
  });
});

describe("resolveGoto", () => {
  const gotoCases: [string, readonly string[], string | undefined][] = [
    ["2", [], "P2.1.1"],
    ["2", ["P2.1.1", "P2.1.2"], "P2.1.3"],
    [" 5 ", [], "P5.1.1"],
    ["P3", [], "P3.1.1"],
    ["p2.1.3", [], "P2.1.3"],
    ["P2.1.3", ["P2.1.3"], "P2.1.3"],
    ["P4.2", ["P4.2.1"], "P4.2.2"],
    ["trụ cột 3", [], "P3.1.1"],
    ["tru cot 4", [], "P4.1.1"],
    ["pillar 5", [], "P5.1.1"],
    ["1", ids.filter((id) => id.startsWith("P1.")), "P1.1.1"],
    ["9", [], "P2.1.3"],
    ["câu 5", [], "P1.2.2"],
    ["cau 43", [], "P5.2.4"],
    ["câu 44", [], undefined],
    ["2.1.3", [], "P2.1.3"],
    ["P 2.1.3", [], "P2.1.3"],
    ["câu P2.1.3", [], "P2.1.3"],
    ["Câu 2.1.3", [], "P2.1.3"],
    ["tiêu chí p2.1.3", [], "P2.1.3"],
    ["tiêu chí 4.2", ["P4.2.1"], "P4.2.2"],
    ["99", [], undefined],
    ["P9.9.9", [], undefined],
    ["abc", [], undefined],
    ["", [], undefined],
  ];
  it.each(gotoCases.map(([target, answered, expected]) => [target, answered.length, answered, expected] as const))(
    "when the target is %j with %d criteria answered, then it goes to %s",
    (target, _count, answered, expected) => {
      expect(resolveGoto(definition, target, answeredSet(answered))?.criterion.id).toBe(expected);
    },
  );
});
