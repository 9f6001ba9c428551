import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diffDefinitions } from "./definition-diff.js";
import type { IndexDefinition } from "./definition-schema.js";

const shipped = (name: string): IndexDefinition =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../../definitions/${name}.json`, import.meta.url)), "utf8")) as IndexDefinition;

const D951 = shipped("press-dx-951-2023");
const D1827 = shipped("press-dx-1827-2024");

function edited(edit: (d: IndexDefinition) => void): IndexDefinition {
  const copy = structuredClone(D1827);
  edit(copy);
  return copy;
}

describe("diffDefinitions", () => {
  it("when 951 is compared with 1827, then the criterion 1827 added is named and the renumbered ones are paired, not re-added", () => {
    const diff = diffDefinitions(D951, D1827);
    expect(diff.criteria.added.map((c) => c.id)).toEqual(["P5.1.3"]);
    expect(diff.criteria.added[0]?.question.vi).toContain("trí tuệ nhân tạo");
    expect(diff.criteria.removed).toEqual([]);
    expect(diff.criteria.changed.map((c) => [c.id, c.changes.map((x) => `${x.field}: ${String(x.from)} → ${String(x.to)}`)])).toEqual([
      ["P5.1.1", ["maxScore: 3 → 2", "answer.options.b.score: 1.5 → 1", "answer.options.c.score: 3 → 2"]],
      ["P5.1.4", ["id: P5.1.3 → P5.1.4"]],
      ["P5.1.5", ["id: P5.1.4 → P5.1.5"]],
    ]);
    expect(diff.levels).toEqual([{ field: "excellent.minScore", from: 80, to: 90 }]);
    expect(diff).toMatchObject({ from: "press-dx-951-2023", to: "press-dx-1827-2024", maxScore: null, pillars: [], indicators: [] });
  });

  it("when a definition is compared with itself, then nothing is reported", () => {
    expect(diffDefinitions(D1827, structuredClone(D1827))).toMatchObject({
      criteria: { added: [], removed: [], changed: [] },
      pillars: [],
      indicators: [],
      levels: [],
    });
  });

  it("when an option's label changes, points move between indicators and a criterion goes, then each is reported", () => {
    const after = edited((d) => {
      const [strategy, finance] = d.pillars[0]?.indicators ?? [];
      const plan = strategy?.criteria[1];
      if (!plan || plan.answer.type !== "choice" || !finance || !strategy) throw new Error("fixture changed");
      plan.answer.options[0] = { ...plan.answer.options[0], id: "a", score: 0, label: { vi: "Không có", en: "None" } };
      strategy.criteria.pop();
      const first = finance.criteria[0];
      if (first) first.maxScore += 3;
    });
    const diff = diffDefinitions(D1827, after);
    expect(diff.criteria.removed.map((c) => c.id)).toEqual(["P1.1.3"]);
    expect(diff.criteria.changed).toEqual([
      { id: "P1.1.2", changes: [{ field: "answer.options.a.label.vi", from: "Chưa ban hành", to: "Không có" }, { field: "answer.options.a.label.en", from: "Not issued", to: "None" }] },
      { id: "P1.2.1", changes: [{ field: "maxScore", from: 3, to: 6 }] },
    ]);
    expect(diff.indicators).toEqual([
      { id: "P1.1", from: 9, to: 6 },
      { id: "P1.2", from: 9, to: 12 },
    ]);
  });
});
