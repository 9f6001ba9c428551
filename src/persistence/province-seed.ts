import { shippedProvinceMatcher, shippedProvinces } from "../definitions/province-file.js";
import type { Db } from "./db-client.js";
import { isUniqueViolation } from "./store-errors.js";
import { nameKey } from "./province-store.js";

export interface ProvinceSeedReport {
  /** Units of the 34 that were missing and were created. */
  readonly created: readonly string[];
  /** Rows stored under an older or other spelling (`Ha Noi`, `Bình Dương`), moved into their unit and deleted. */
  readonly merged: readonly { readonly from: string; readonly into: string }[];
  /** Rows left as they are: no unit matches their name, or an agency of the same name is in the unit already. */
  readonly kept: readonly string[];
}

/**
 * Makes the database hold the 34 provincial-level units, and moves rows an older version created from typed names
 * (`Ha Noi` beside `Hà Nội`, a merged unit such as `Hải Dương`) into their unit: agencies, supervisor grants and
 * invites follow, the old row is deleted. Part of the seed step (seed.ts); once done it is one read. Safe when
 * two instances start together: creates tolerate the other's insert, and a merge moves whatever rows are left.
 */
export async function ensureProvinces(db: Db): Promise<ProvinceSeedReport> {
  const rows = await db.province.findMany({ where: { demo: false }, select: { id: true, name: true } });
  const byName = new Map(rows.map((row) => [row.name, row.id]));
  const created: string[] = [];
  for (const unit of shippedProvinces()) {
    if (byName.has(unit.name)) continue;
    try {
      byName.set(unit.name, (await db.province.create({ data: { name: unit.name } })).id);
      created.push(unit.name);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      byName.set(unit.name, (await db.province.findUniqueOrThrow({ where: { name: unit.name } })).id);
    }
  }
  const merged: { from: string; into: string }[] = [];
  const kept: string[] = [];
  const current = new Set(shippedProvinces().map((unit) => unit.name));
  for (const row of rows.filter((r) => !current.has(r.name))) {
    const match = shippedProvinceMatcher().match(row.name);
    const intoId = match.kind === "found" ? byName.get(match.unit.name) : undefined;
    if (match.kind !== "found" || intoId === undefined || !(await mergeProvince(db, row.id, intoId))) {
      kept.push(row.name);
      continue;
    }
    merged.push({ from: row.name, into: match.unit.name });
  }
  return { created, merged, kept };
}

/** Moves everything of one province row into another; false (and nothing moved) when an agency name would clash. */
async function mergeProvince(db: Db, fromId: string, intoId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const [moving, staying] = await Promise.all([
      tx.agency.findMany({ where: { provinceId: fromId }, select: { name: true } }),
      tx.agency.findMany({ where: { provinceId: intoId }, select: { name: true } }),
    ]);
    const names = new Set(staying.map((a) => nameKey(a.name)));
    if (moving.some((a) => names.has(nameKey(a.name)))) return false;
    await tx.agency.updateMany({ where: { provinceId: fromId }, data: { provinceId: intoId } });
    await tx.roleGrant.updateMany({ where: { provinceId: fromId }, data: { provinceId: intoId } });
    await tx.invite.updateMany({ where: { provinceId: fromId }, data: { provinceId: intoId } });
    await tx.province.deleteMany({ where: { id: fromId } });
    return true;
  });
}
