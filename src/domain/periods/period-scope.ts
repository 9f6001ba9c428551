import type { AgencyGroup } from "../agencies/agency-kinds.js";

/**
 * Which agencies a period is for: some provinces, some agency groups, both (an agency must match both), or every
 * agency (both null). The demo period is a scope of its own: only demo agencies see it, and they see nothing else.
 */
export interface PeriodScope {
  /** Province ids; null = every province. */
  readonly provinces: readonly string[] | null;
  /** Agency groups; null = every group. */
  readonly groups: readonly AgencyGroup[] | null;
  readonly demo: boolean;
}

/** A period as the overlap rules see it: an entry window [entryOpens, entryCloses] and a scope. */
export interface ScopedWindow {
  readonly id: string;
  readonly name: string;
  readonly entryOpens: Date;
  readonly entryCloses: Date;
  readonly scope: PeriodScope;
}

/** Two overlapping periods: both could be open for one agency at the same moment. */
export interface PeriodOverlap {
  readonly first: ScopedWindow;
  readonly second: ScopedWindow;
}

const meet = <T>(a: readonly T[] | null, b: readonly T[] | null): boolean => a === null || b === null || a.some((x) => b.includes(x));

/** Whether some agency could be in both scopes. */
export function scopesMeet(a: PeriodScope, b: PeriodScope): boolean {
  return a.demo === b.demo && meet(a.provinces, b.provinces) && meet(a.groups, b.groups);
}

/** Whether a scope includes an agency. */
export function scopeIncludes(scope: PeriodScope, agency: { readonly provinceId: string; readonly group: string; readonly demo: boolean }): boolean {
  return (
    scope.demo === agency.demo &&
    (scope.provinces === null || scope.provinces.includes(agency.provinceId)) &&
    (scope.groups === null || scope.groups.some((g) => g === agency.group))
  );
}

/**
 * Whether two entry windows share a moment (both ends inclusive, as the chat reads them). A window of no length (a
 * period closed before it opened) shares none: it never takes answers.
 */
export function windowsOverlap(a: Pick<ScopedWindow, "entryOpens" | "entryCloses">, b: Pick<ScopedWindow, "entryOpens" | "entryCloses">): boolean {
  const empty = (w: Pick<ScopedWindow, "entryOpens" | "entryCloses">) => w.entryCloses <= w.entryOpens;
  return !empty(a) && !empty(b) && a.entryOpens <= b.entryCloses && b.entryOpens <= a.entryCloses;
}

/** The periods among `others` that overlap `period` (itself excluded by id), earliest first. */
export function overlapsWith(period: ScopedWindow, others: readonly ScopedWindow[]): ScopedWindow[] {
  return others
    .filter((o) => o.id !== period.id && scopesMeet(o.scope, period.scope) && windowsOverlap(o, period))
    .sort((a, b) => a.entryOpens.getTime() - b.entryOpens.getTime() || a.id.localeCompare(b.id));
}

/** Every overlapping pair among stored periods, each pair once, the earlier-opening period first. */
export function findOverlaps(periods: readonly ScopedWindow[]): PeriodOverlap[] {
  const sorted = [...periods].sort((a, b) => a.entryOpens.getTime() - b.entryOpens.getTime() || a.id.localeCompare(b.id));
  const pairs: PeriodOverlap[] = [];
  sorted.forEach((first, i) => {
    for (const second of sorted.slice(i + 1)) {
      if (scopesMeet(first.scope, second.scope) && windowsOverlap(first, second)) pairs.push({ first, second });
    }
  });
  return pairs;
}

/** The stored form of a scope list: JSON text, or null for "every". Ids and groups hold no quotes, so SQL can match `"id"`. */
export function scopeListText(list: readonly string[] | null): string | null {
  return list === null ? null : JSON.stringify([...new Set(list)].sort());
}

/** Reads a stored scope list back; anything but a list of strings is a damaged row. */
export function parseScopeList(text: string | null): string[] | null {
  if (text === null) return null;
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new Error(`stored period scope is not a list: ${text}`);
  return value as string[];
}
