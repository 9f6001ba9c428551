import { describe, expect, it } from "vitest";
import { initialState, parseState } from "./state.js";

describe("parseState", () => {
  const stored = JSON.stringify({ ...initialState(), assessmentId: "a1", criterionId: "P1.2.1", pending: { kind: "multi", criterionId: "P1.2.1", selected: ["ads"] } });

  it("when the same document comes back, then it reads the same, and the shared state cannot be changed in place", () => {
    const first = parseState(stored);
    const again = parseState(stored);
    expect(again).toEqual(first);
    expect(first.pending).toEqual({ kind: "multi", criterionId: "P1.2.1", selected: ["ads"] });
    expect(() => {
      (first.pending as { selected: string[] }).selected.push("subs");
    }).toThrow(TypeError);
    expect(parseState(stored).pending).toEqual({ kind: "multi", criterionId: "P1.2.1", selected: ["ads"] });
  });

  it.each([
    ["no document", null],
    ["broken JSON", "{"],
    ["an older or damaged document", JSON.stringify({ version: 0, pending: { kind: "?" } })],
  ])("when there is %s, then a fresh state", (_case, json) => {
    expect(parseState(json)).toEqual(initialState());
  });
});
