import type { Criterion, IndexDefinition, LocalizedText } from "./definition-schema.js";
import { listCriteria } from "./definition-index.js";
import { fromHundredths, toHundredths } from "./hundredths.js";

/** A value that differs between two definitions; `null` where one side does not have it at all. */
export interface FieldChange {
  readonly field: string;
  readonly from: string | number | boolean | null;
  readonly to: string | number | boolean | null;
}

export interface CriterionSummary {
  readonly id: string;
  readonly question: LocalizedText;
  readonly maxScore: number;
}

export interface CriterionChange {
  /** The criterion's id in the second definition (a renumbering shows as a change of the field `id`). */
  readonly id: string;
  readonly changes: readonly FieldChange[];
}

/** A pillar's or indicator's maximum in each definition (`null`: not in that definition). */
export interface MaximumChange {
  readonly id: string;
  readonly from: number | null;
  readonly to: number | null;
}

/** What changed from one definition (say one year's index) to another: the `definitions diff` report. */
export interface DefinitionDiff {
  readonly from: string;
  readonly to: string;
  readonly maxScore: { readonly from: number; readonly to: number } | null;
  readonly criteria: {
    readonly added: readonly CriterionSummary[];
    readonly removed: readonly CriterionSummary[];
    readonly changed: readonly CriterionChange[];
  };
  readonly pillars: readonly MaximumChange[];
  readonly indicators: readonly MaximumChange[];
  /** Level thresholds and names, keyed by level id (`excellent.minScore`). */
  readonly levels: readonly FieldChange[];
}

type Leaf = string | number | boolean;

/**
 * Flattens a value into `field → leaf`. Options are keyed by their id rather than their position, so reordering the
 * options of a criterion is not reported, while a changed label or score is (`answer.options.b.score`).
 */
function flatten(value: unknown, prefix: string, into: Map<string, Leaf>): Map<string, Leaf> {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    into.set(prefix, value);
  } else if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => {
      const key = item !== null && typeof item === "object" && "id" in item && typeof item.id === "string" ? `.${item.id}` : `[${i}]`;
      flatten(item, `${prefix}${key}`, into);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix === "" ? key : `${prefix}.${key}`, into);
  }
  return into;
}

function compare(a: ReadonlyMap<string, Leaf>, b: ReadonlyMap<string, Leaf>): FieldChange[] {
  const fields = [...new Set([...a.keys(), ...b.keys()])];
  return fields.filter((f) => a.get(f) !== b.get(f)).map((field) => ({ field, from: a.get(field) ?? null, to: b.get(field) ?? null }));
}

function criterionFields(criterion: Criterion): Map<string, Leaf> {
  const { id: _id, ...rest } = criterion;
  return flatten(rest, "", new Map());
}

function summary(criterion: Criterion): CriterionSummary {
  return { id: criterion.id, question: criterion.question, maxScore: criterion.maxScore };
}

function maxima(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): MaximumChange[] {
  const ids = [...new Set([...a.keys(), ...b.keys()])];
  return ids.filter((id) => a.get(id) !== b.get(id)).map((id) => ({ id, from: a.get(id) ?? null, to: b.get(id) ?? null }));
}

function indicatorMaxima(definition: IndexDefinition): Map<string, number> {
  const sums = new Map<string, number>();
  for (const pillar of definition.pillars) {
    for (const indicator of pillar.indicators) {
      sums.set(indicator.id, fromHundredths(indicator.criteria.reduce((sum, c) => sum + toHundredths(c.maxScore), 0)));
    }
  }
  return sums;
}

/**
 * Pairs the criteria of two definitions. A new decision often inserts a criterion and renumbers the ones after it,
 * so criteria are first paired by identical Vietnamese question text (whatever their ids), then the rest by id.
 */
function pairCriteria(a: IndexDefinition, b: IndexDefinition): { pairs: [Criterion, Criterion][]; added: Criterion[]; removed: Criterion[] } {
  const before = listCriteria(a).map((e) => e.criterion);
  const after = listCriteria(b).map((e) => e.criterion);
  const partner = new Map<Criterion, Criterion>();
  const taken = new Set<Criterion>();
  const pair = (match: (x: Criterion, y: Criterion) => boolean): void => {
    for (const x of before) {
      if (partner.has(x)) continue;
      const y = after.find((candidate) => !taken.has(candidate) && match(x, candidate));
      if (y) {
        partner.set(x, y);
        taken.add(y);
      }
    }
  };
  pair((x, y) => x.question.vi === y.question.vi);
  pair((x, y) => x.id === y.id);
  const pairs = before.flatMap((x): [Criterion, Criterion][] => {
    const y = partner.get(x);
    return y ? [[x, y]] : [];
  });
  return { pairs, added: after.filter((y) => !taken.has(y)), removed: before.filter((x) => !partner.has(x)) };
}

/**
 * Compares two definitions: criteria added, removed or changed (a changed id is a renumbering, reported as the field
 * `id`), the maximum of every pillar and indicator, the total and the levels.
 */
export function diffDefinitions(a: IndexDefinition, b: IndexDefinition): DefinitionDiff {
  const { pairs, added, removed } = pairCriteria(a, b);
  const changed: CriterionChange[] = [];
  for (const [x, y] of pairs) {
    const renumbered: FieldChange[] = x.id === y.id ? [] : [{ field: "id", from: x.id, to: y.id }];
    const changes = [...renumbered, ...compare(criterionFields(x), criterionFields(y))];
    if (changes.length > 0) changed.push({ id: y.id, changes });
  }
  const levelFields = (d: IndexDefinition): Map<string, Leaf> => flatten(d.levels, "", new Map());
  return {
    from: a.id,
    to: b.id,
    maxScore: a.maxScore === b.maxScore ? null : { from: a.maxScore, to: b.maxScore },
    criteria: {
      added: added.map(summary),
      removed: removed.map(summary),
      changed,
    },
    pillars: maxima(new Map(a.pillars.map((p) => [p.id, p.maxScore])), new Map(b.pillars.map((p) => [p.id, p.maxScore]))),
    indicators: maxima(indicatorMaxima(a), indicatorMaxima(b)),
    levels: compare(levelFields(a), levelFields(b)).map((c) => ({ ...c, field: c.field.replace(/^\./, "") })),
  };
}
