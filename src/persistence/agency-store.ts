import type { Db } from "./db-client.js";
import { UnknownProvinceError, cleanName, compareNames, nameKey, resolveProvince, type DbClient } from "./province-store.js";
import { DuplicateError, StoreRefusal, isUniqueViolation } from "./store-errors.js";

import type { AgencyGroup, AgencyType } from "../domain/agencies/agency-kinds.js";

export { AGENCY_GROUPS, AGENCY_TYPES, type AgencyGroup, type AgencyType } from "../domain/agencies/agency-kinds.js";

export interface AgencyInput {
  readonly name: string;
  /** A province's name: one of the 34 units, or a former unit merged into one (see resolveProvince). */
  readonly province: string;
  readonly group: AgencyGroup;
  readonly type: AgencyType;
}

export interface AgencyRecord {
  readonly id: string;
  readonly name: string;
  readonly provinceId: string;
  readonly province: string;
  readonly group: string;
  readonly type: string;
  /** Created by the terminal chat's demo: left out of reports, overviews and reminders. */
  readonly demo: boolean;
  readonly createdAt: Date;
}

/** Adds one agency. Names are unique within a province, compared like province names (see nameKey). */
export async function addAgency(db: Db, input: AgencyInput): Promise<{ agency: AgencyRecord; formerProvinceName: string | null }> {
  const name = cleanName(input.name);
  if (name === "") throw new StoreRefusal("agency name must not be empty");
  try {
    return await db.$transaction(async (tx) => {
      const resolved = await resolveProvince(tx, input.province);
      if (resolved.kind === "unknown") throw new UnknownProvinceError(input.province, resolved.suggestion);
      const { province } = resolved;
      const existing = await tx.agency.findMany({ where: { provinceId: province.id }, select: { id: true, name: true } });
      const duplicate = existing.find((agency) => nameKey(agency.name) === nameKey(name));
      if (duplicate) {
        throw new DuplicateError(`agency "${duplicate.name}" already exists in ${province.name} (id ${duplicate.id})`);
      }
      const agency = await tx.agency.create({ data: { name, provinceId: province.id, group: input.group, type: input.type } });
      return { agency: { ...agency, province: province.name }, formerProvinceName: resolved.formerName };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(`agency "${name}" was just added in ${cleanName(input.province)} by someone else`);
    throw error;
  }
}

/** One data row of an import file; `line` is its line in the file, for the error report. */
export interface AgencyImportRow extends AgencyInput {
  readonly line: number;
}

/** Why a row was refused, with what an operator's text needs to say it in their language. */
export type AgencyImportCause =
  | { readonly kind: "empty" }
  | { readonly kind: "unknown-province"; readonly name: string; readonly suggestion: string }
  | { readonly kind: "duplicate"; readonly line: number; readonly name: string; readonly province: string };

export interface AgencyImportProblem {
  readonly line: number;
  readonly field: string;
  /** In English, for logs and callers without a translator. */
  readonly reason: string;
  readonly cause: AgencyImportCause;
}

export function formatImportProblem(problem: AgencyImportProblem): string {
  return `line ${problem.line}: ${problem.field}: ${problem.reason}`;
}

/** Some rows were refused; nothing of the import was kept. One problem per line of the message. */
export class AgencyImportError extends StoreRefusal {
  override name = "AgencyImportError";
  constructor(readonly problems: readonly AgencyImportProblem[]) {
    super(problems.map(formatImportProblem).join("\n"));
  }
}

/**
 * What an import did, row by row: added; already there as written (unchanged); already there with another group or
 * type, changed with `update` (updated) or left as it was (differing).
 */
export interface AgencyImportResult {
  readonly agencies: readonly AgencyRecord[];
  readonly unchanged: readonly AgencyRecord[];
  readonly updated: readonly AgencyRecord[];
  readonly differing: readonly { readonly agency: AgencyRecord; readonly line: number; readonly group: string; readonly type: string }[];
}

class DryRunRollback extends Error {
  override name = "DryRunRollback";
  constructor(readonly result: AgencyImportResult) {
    super("dry run");
  }
}

interface ProvinceEntry {
  id: string;
  name: string;
  /** By nameKey: an agency already stored (id) or one met earlier in this import (line). */
  agencies: Map<string, { name: string; id: string; group: string; type: string; demo: boolean; createdAt: Date; line?: number }>;
}

/**
 * Imports all rows or none, in one transaction, and may be run again with the same file: a row naming an agency
 * already stored in its province is reported as unchanged (or, with another group or type, changed only with
 * `update`). Every row is checked (duplicates inside the file, unknown provinces) and written as it goes; if any row
 * was refused the transaction is rolled back and AgencyImportError lists every refused row. With `dryRun` the
 * transaction is always rolled back: the caller learns the problems, or what would have been imported.
 */
export async function importAgencies(
  db: Db,
  rows: readonly AgencyImportRow[],
  options: { readonly dryRun?: boolean; readonly update?: boolean } = {},
): Promise<AgencyImportResult> {
  try {
    return await db.$transaction(
      async (tx) => {
        const provinces = await loadProvinces(tx);
        const problems: AgencyImportProblem[] = [];
        const result = { agencies: [] as AgencyRecord[], unchanged: [] as AgencyRecord[], updated: [] as AgencyRecord[], differing: [] as AgencyImportResult["differing"][number][] };
        for (const row of rows) {
          const name = cleanName(row.name);
          const provinceName = cleanName(row.province);
          if (name === "" || provinceName === "") {
            problems.push({ line: row.line, field: name === "" ? "name" : "province", reason: "must not be empty", cause: { kind: "empty" } });
            continue;
          }
          const resolved = await resolveProvince(tx, provinceName);
          if (resolved.kind === "unknown") {
            problems.push({ line: row.line, field: "province", reason: new UnknownProvinceError(provinceName, resolved.suggestion).message, cause: { kind: "unknown-province", name: provinceName, suggestion: resolved.suggestion } });
            continue;
          }
          const province = provinces.get(resolved.province.id) ?? { id: resolved.province.id, name: resolved.province.name, agencies: new Map() };
          provinces.set(province.id, province);
          const taken = province.agencies.get(nameKey(name));
          if (taken?.line !== undefined) {
            problems.push({ line: row.line, field: "name", reason: `duplicate of line ${taken.line} ("${taken.name}" in ${province.name})`, cause: { kind: "duplicate", line: taken.line, name: taken.name, province: province.name } });
            continue;
          }
          if (taken) {
            const stored: AgencyRecord = { id: taken.id, name: taken.name, provinceId: province.id, province: province.name, group: taken.group, type: taken.type, demo: taken.demo, createdAt: taken.createdAt };
            province.agencies.set(nameKey(name), { ...taken, line: row.line });
            if (taken.group === row.group && taken.type === row.type) result.unchanged.push(stored);
            else if (options.update) {
              await tx.agency.update({ where: { id: taken.id }, data: { group: row.group, type: row.type } });
              result.updated.push({ ...stored, group: row.group, type: row.type });
            } else result.differing.push({ agency: stored, line: row.line, group: row.group, type: row.type });
            continue;
          }
          const agency = await tx.agency.create({ data: { name, provinceId: province.id, group: row.group, type: row.type } });
          province.agencies.set(nameKey(name), { ...agency, line: row.line });
          result.agencies.push({ ...agency, province: province.name });
        }
        if (problems.length > 0) throw new AgencyImportError(problems);
        if (options.dryRun) throw new DryRunRollback(result);
        return result;
      },
      // Hundreds of rows on a remote PostgreSQL take longer than Prisma's 5 s default.
      { maxWait: 10_000, timeout: 120_000 },
    );
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    if (isUniqueViolation(error)) throw new DuplicateError("agencies of this file were added by someone else meanwhile; nothing was imported, run the import again");
    throw error;
  }
}

async function loadProvinces(db: DbClient): Promise<Map<string, ProvinceEntry>> {
  const rows = await db.province.findMany({ include: { agencies: { select: { id: true, name: true, group: true, type: true, demo: true, createdAt: true } } } });
  const provinces = new Map<string, ProvinceEntry>();
  for (const row of rows) {
    const agencies = new Map(row.agencies.map((agency) => [nameKey(agency.name), agency]));
    provinces.set(row.id, { id: row.id, name: row.name, agencies });
  }
  return provinces;
}

export async function findAgency(db: DbClient, id: string): Promise<AgencyRecord | null> {
  const agency = await db.agency.findUnique({ where: { id }, include: { province: { select: { name: true } } } });
  return agency ? { ...agency, province: agency.province.name } : null;
}

/** Every agency, by province then name. */
export async function listAgencies(db: DbClient): Promise<AgencyRecord[]> {
  const rows = await db.agency.findMany({ include: { province: { select: { name: true } } } });
  return rows
    .map((agency) => ({ ...agency, province: agency.province.name }))
    .sort((a, b) => compareNames(a.province, b.province) || compareNames(a.name, b.name));
}

/**
 * The agencies an operator means by `--agency`: the one with that id, else those whose name matches (cleaned,
 * case-insensitive; a name shared by agencies of several provinces gives them all, for the operator to choose).
 */
export async function findAgenciesByIdOrName(db: DbClient, given: string): Promise<AgencyRecord[]> {
  const byId = await findAgency(db, given.trim());
  if (byId) return [byId];
  const key = nameKey(given);
  return (await listAgencies(db)).filter((a) => nameKey(a.name) === key);
}
