import { readFileSync } from "node:fs";
import path from "node:path";
import { provinceListSchema, type ProvinceUnit } from "../domain/provinces/province-unit.js";
import { createProvinceMatcher, type ProvinceMatcher } from "../domain/provinces/match-province.js";
import { SHIPPED_DEFINITIONS_DIR } from "./definition-files.js";

/**
 * Vietnam's 34 provincial-level units in force since 1 July 2025 (Resolution 202/2025/QH15 of the National Assembly,
 * 12 June 2025): 6 centrally-run cities and 28 provinces, shipped as data beside the index definitions.
 */
export const SHIPPED_PROVINCES_FILE = path.join(SHIPPED_DEFINITIONS_DIR, "provinces", "vietnam-2025.json");

let shipped: { readonly units: readonly ProvinceUnit[]; readonly matcher: ProvinceMatcher } | null = null;

function load(): NonNullable<typeof shipped> {
  if (shipped === null) {
    const units = provinceListSchema.parse(JSON.parse(readFileSync(SHIPPED_PROVINCES_FILE, "utf8")));
    shipped = { units, matcher: createProvinceMatcher(units) };
  }
  return shipped;
}

/** The shipped units, read and validated once. */
export function shippedProvinces(): readonly ProvinceUnit[] {
  return load().units;
}

/** Matches typed names against the shipped units (see createProvinceMatcher). */
export function shippedProvinceMatcher(): ProvinceMatcher {
  return load().matcher;
}
