import type { Db, Tx } from "./database.js";
import { StoreRefusal, isUniqueViolation } from "./store-errors.js";

/** Either the client or an interactive transaction: the stores work inside a caller's transaction too. */
export type DbClient = Db | Tx;

export interface ProvinceRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

/**
 * How names are written down: Unicode NFC (Vietnamese typed on some keyboards arrives decomposed, and "Hà Nội" in
 * two encodings must be one province), trimmed, inner spaces collapsed.
 */
export function cleanName(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/g, " ");
}

/** How names are compared: cleaned and case-insensitive, so "báo Hà Nội mới" is not a second "Báo Hà Nội Mới". */
export function nameKey(name: string): string {
  return cleanName(name).toLocaleLowerCase("vi");
}

/** The province of that name (compared by nameKey), or null. A few dozen rows: compared in memory. */
export async function findProvinceByName(db: DbClient, name: string): Promise<ProvinceRecord | null> {
  const key = nameKey(name);
  const provinces = await db.province.findMany({ orderBy: { createdAt: "asc" } });
  return provinces.find((province) => nameKey(province.name) === key) ?? null;
}

/** Adds a province, or returns the existing one of that name with `created: false`. */
export async function addProvince(db: DbClient, name: string): Promise<{ province: ProvinceRecord; created: boolean }> {
  const clean = cleanName(name);
  if (clean === "") throw new StoreRefusal("province name must not be empty");
  const existing = await findProvinceByName(db, clean);
  if (existing) return { province: existing, created: false };
  try {
    return { province: await db.province.create({ data: { name: clean } }), created: true };
  } catch (error) {
    // Another command added the same name between the lookup and the insert.
    if (!isUniqueViolation(error)) throw error;
    return { province: await db.province.findUniqueOrThrow({ where: { name: clean } }), created: false };
  }
}

/** Vietnamese alphabetical order, the same on SQLite and PostgreSQL (whose collations differ). */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, "vi");
}

export interface ProvinceSummary extends ProvinceRecord {
  readonly agencies: number;
}

export async function listProvinces(db: DbClient): Promise<ProvinceSummary[]> {
  const rows = await db.province.findMany({ include: { _count: { select: { agencies: true } } } });
  return rows
    .map(({ _count, ...province }) => ({ ...province, agencies: _count.agencies }))
    .sort((a, b) => compareNames(a.name, b.name));
}
