import { describe, expect, it } from "vitest";
import { rankByGroup, type RankInput } from "./ranking.js";

const agency = (id: string, group: string, totalH: number, submitted = true): RankInput => ({ id, name: `Agency ${id}`, group, submitted, totalH });
const GROUPS = ["central-newspaper", "local-newspaper", "magazine"];

describe("the national ranking by group (khối)", () => {
  it("when totals tie, then they share a rank and the next rank is skipped (1, 2, 2, 4)", () => {
    const [group] = rankByGroup([agency("a", "magazine", 7000), agency("b", "magazine", 8150), agency("c", "magazine", 7000), agency("d", "magazine", 6000)], GROUPS);
    expect(group?.agencies.map((a) => [a.id, a.rank])).toEqual([
      ["b", 1],
      ["a", 2],
      ["c", 2],
      ["d", 4],
    ]);
  });

  it("when agencies have not submitted, then they are listed after the ranked ones without a rank, whatever their draft score", () => {
    const [group] = rankByGroup([agency("a", "magazine", 9900, false), agency("b", "magazine", 5000), agency("c", "magazine", 0, false)], GROUPS);
    expect(group?.agencies.map((a) => [a.id, a.rank])).toEqual([
      ["b", 1],
      ["a", null],
      ["c", null],
    ]);
  });

  it("when agencies belong to several groups, then each group is ranked on its own, in the groups' official order", () => {
    const groups = rankByGroup([agency("m", "magazine", 9000), agency("l", "local-newspaper", 5000), agency("x", "unknown-group", 1), agency("c", "central-newspaper", 4000)], GROUPS);
    expect(groups.map((g) => [g.group, g.agencies.map((a) => [a.id, a.rank])])).toEqual([
      ["central-newspaper", [["c", 1]]],
      ["local-newspaper", [["l", 1]]],
      ["magazine", [["m", 1]]],
      ["unknown-group", [["x", 1]]],
    ]);
  });

  it("when nothing is given, then there are no groups", () => {
    expect(rankByGroup([], GROUPS)).toEqual([]);
  });
});
