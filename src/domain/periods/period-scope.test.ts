import { describe, expect, it } from "vitest";
import { findOverlaps, scopeIncludes, scopesMeet, windowsOverlap, type PeriodScope, type ScopedWindow } from "./period-scope.js";

const EVERY: PeriodScope = { provinces: null, groups: null, demo: false };
const day = (d: number) => new Date(Date.UTC(2027, 10, d));
const period = (id: string, from: number, to: number, scope: Partial<PeriodScope> = {}): ScopedWindow => ({ id, name: id, entryOpens: day(from), entryCloses: day(to), scope: { ...EVERY, ...scope } });

describe("period scopes", () => {
  it.each<[string, Partial<PeriodScope>, Partial<PeriodScope>, boolean]>([
    ["every agency and one province", {}, { provinces: ["hue"] }, true],
    ["two different provinces", { provinces: ["hue"] }, { provinces: ["nghe-an"] }, false],
    ["provinces that share one", { provinces: ["hue", "hanoi"] }, { provinces: ["hanoi"] }, true],
    ["one province and a group elsewhere", { provinces: ["hue"] }, { groups: ["magazine"] }, true],
    ["the same province, other groups", { provinces: ["hue"], groups: ["magazine"] }, { provinces: ["hue"], groups: ["radio-tv"] }, false],
    ["the demo and every real agency", { demo: true }, {}, false],
  ])("when the scopes are %s, then whether they meet is %s", (_case, a, b, expected) => {
    expect(scopesMeet({ ...EVERY, ...a }, { ...EVERY, ...b })).toBe(expected);
    expect(scopesMeet({ ...EVERY, ...b }, { ...EVERY, ...a })).toBe(expected);
  });

  it("when an agency is checked against a scope, then it needs its province and its group in it", () => {
    const scope: PeriodScope = { provinces: ["hue"], groups: ["magazine"], demo: false };
    expect(scopeIncludes(scope, { provinceId: "hue", group: "magazine", demo: false })).toBe(true);
    expect(scopeIncludes(scope, { provinceId: "hue", group: "radio-tv", demo: false })).toBe(false);
    expect(scopeIncludes(scope, { provinceId: "hanoi", group: "magazine", demo: false })).toBe(false);
    expect(scopeIncludes(EVERY, { provinceId: "hanoi", group: "magazine", demo: true })).toBe(false);
  });

  it("when windows touch at one instant they overlap; a window of no length overlaps nothing", () => {
    expect(windowsOverlap(period("a", 1, 10), period("b", 10, 20))).toBe(true);
    expect(windowsOverlap(period("a", 1, 9), period("b", 10, 20))).toBe(false);
    expect(windowsOverlap(period("closed-before-opening", 10, 10), period("b", 1, 20))).toBe(false);
  });

  it("when stored periods are checked, then each overlapping pair is listed once, earlier first", () => {
    const pairs = findOverlaps([period("c", 20, 25), period("a", 1, 10), period("b", 5, 21), period("hue", 1, 30, { provinces: ["hue"] })]);
    expect(pairs.map((p) => `${p.first.id}-${p.second.id}`)).toEqual(["a-hue", "a-b", "hue-b", "hue-c", "b-c"]);
  });
});
