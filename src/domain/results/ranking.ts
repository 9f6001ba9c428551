/** One agency's result as ranked nationally. */
export interface RankInput {
  readonly id: string;
  readonly name: string;
  readonly group: string;
  readonly submitted: boolean;
  readonly totalH: number;
}

export interface RankedGroup<T extends RankInput> {
  readonly group: string;
  /** Submitted agencies by total, best first, then the others (rank null) by name. */
  readonly agencies: readonly (T & { readonly rank: number | null })[];
}

/**
 * The national view: agencies are compared within their ranking group (khối) only, and only submitted results are
 * ranked (an unfinished draft is not a result). Equal totals share a rank and the next rank is skipped (1, 2, 2, 4),
 * as published rankings do. Groups come in `groupOrder`, then any unknown group by name.
 */
export function rankByGroup<T extends RankInput>(agencies: readonly T[], groupOrder: readonly string[]): RankedGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const agency of agencies) groups.set(agency.group, [...(groups.get(agency.group) ?? []), agency]);
  const order = (g: string) => {
    const i = groupOrder.indexOf(g);
    return i === -1 ? groupOrder.length : i;
  };
  return [...groups.keys()]
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((group) => {
      const members = groups.get(group) ?? [];
      const byName = (a: T, b: T) => a.name.localeCompare(b.name, "vi") || a.id.localeCompare(b.id);
      const submitted = members.filter((a) => a.submitted).sort((a, b) => b.totalH - a.totalH || byName(a, b));
      const others = members.filter((a) => !a.submitted).sort(byName);
      const ranked = submitted.map((agency, i) => {
        const rank = submitted.findIndex((other) => other.totalH === agency.totalH) + 1;
        return { ...agency, rank: i === 0 ? 1 : rank };
      });
      return { group, agencies: [...ranked, ...others.map((agency) => ({ ...agency, rank: null }))] };
    });
}
