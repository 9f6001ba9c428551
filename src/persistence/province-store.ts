import { shippedProvinceMatcher, shippedProvinces } from "../definitions/province-file.js";
import type { Db, Tx } from "./db-client.js";
import { NotFoundError, isUniqueViolation } from "./store-errors.js";

/** Either the client or an interactive transaction: the stores work inside a caller's transaction too. */
export type DbClient = Db | Tx;

export interface ProvinceRecord {
  readonly id: string;
  readonly name: string;
  readonly demo: boolean;
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

/** A province name that is none of the 34 units (nor an older name of one), with the closest one to suggest. */
export class UnknownProvinceError extends NotFoundError {
  override name = "UnknownProvinceError";
  constructor(
    readonly given: string,
    readonly suggestion: string,
  ) {
    super(`no province named "${cleanName(given)}"; did you mean "${suggestion}"? (see: admin list provinces)`);
  }
}

export type ProvinceResolution =
  | { readonly kind: "found"; readonly province: ProvinceRecord; readonly formerName: string | null }
  | { readonly kind: "unknown"; readonly suggestion: string };

/**
 * The province a typed name means: one of the 34 units, by its name or a former one (diacritics, case and "Tỉnh",
 * "TP." ignored), or else a row an older version stored under another name (kept when it could not be merged).
 */
export async function resolveProvince(db: DbClient, name: string): Promise<ProvinceResolution> {
  const match = shippedProvinceMatcher().match(name);
  if (match.kind === "found") {
    const province =
      (await db.province.findUnique({ where: { name: match.unit.name } })) ??
      // Every database gets the 34 when it is opened; a row missing here was deleted by hand since.
      (await createIfMissing(db, match.unit.name));
    return { kind: "found", province, formerName: match.via === "former" ? cleanName(name) : null };
  }
  const key = nameKey(name);
  const legacy = (await db.province.findMany({ where: { demo: false } })).find((p) => nameKey(p.name) === key);
  return legacy ? { kind: "found", province: legacy, formerName: null } : { kind: "unknown", suggestion: match.suggestion.name };
}

/** resolveProvince, with an unknown name as UnknownProvinceError (the command prints it with the suggestion). */
export async function findProvince(db: DbClient, name: string): Promise<ProvinceRecord> {
  const resolved = await resolveProvince(db, name);
  if (resolved.kind === "unknown") throw new UnknownProvinceError(name, resolved.suggestion);
  return resolved.province;
}

async function createIfMissing(db: DbClient, name: string): Promise<ProvinceRecord> {
  try {
    return await db.province.create({ data: { name } });
  } catch (error) {
    // Another process (a second instance starting) created it meanwhile.
    if (!isUniqueViolation(error)) throw error;
    return db.province.findUniqueOrThrow({ where: { name } });
  }
}

/** Vietnamese alphabetical order, the same on SQLite and PostgreSQL (whose collations differ). */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, "vi");
}

export interface ProvinceSummary extends ProvinceRecord {
  readonly agencies: number;
  /** One of the 34 units in force since 1 July 2025; false for a row an older version kept under another name. */
  readonly current: boolean;
}

export async function listProvinces(db: DbClient): Promise<ProvinceSummary[]> {
  const current = new Set(shippedProvinces().map((unit) => unit.name));
  const rows = await db.province.findMany({ include: { _count: { select: { agencies: true } } } });
  return rows
    .map(({ _count, ...province }) => ({ ...province, agencies: _count.agencies, current: current.has(province.name) }))
    .sort((a, b) => Number(a.demo) - Number(b.demo) || Number(b.current) - Number(a.current) || compareNames(a.name, b.name));
}
