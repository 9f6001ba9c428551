import { closest } from "fastest-levenshtein";
import { foldText } from "../conversation/text.js";
import type { ProvinceUnit } from "./province-unit.js";

/**
 * How province names are compared: without diacritics, case, punctuation, spaces or the words that only say what
 * kind of unit it is ("Tỉnh", "Thành phố", "TP."), so "TP. Hà Nội", "ha noi" and "Hanoi" are one key.
 */
export function provinceKey(name: string): string {
  const words = foldText(name.normalize("NFC"))
    .replace(/[-–—_.,;:'"()/]+/g, " ")
    .trim();
  return words.replace(/^(?:(?:thanh pho|tp|tinh)\s+)+/, "").replace(/\s+/g, "");
}

export type ProvinceMatch =
  | {
      readonly kind: "found";
      readonly unit: ProvinceUnit;
      /** The name given was a unit merged into this one since 1 July 2025, or another spelling of it. */
      readonly via: "name" | "former" | "alias";
    }
  | { readonly kind: "unknown"; readonly suggestion: ProvinceUnit };

interface KeyEntry {
  readonly unit: ProvinceUnit;
  readonly via: "name" | "former" | "alias";
}

function buildIndex(units: readonly ProvinceUnit[]): Map<string, KeyEntry> {
  const index = new Map<string, KeyEntry>();
  for (const unit of units) {
    const names: [string, KeyEntry["via"]][] = [[unit.name, "name"], ...unit.formerly.map((n): [string, "former"] => [n, "former"]), ...unit.aliases.map((n): [string, "alias"] => [n, "alias"])];
    for (const [name, via] of names) {
      const key = provinceKey(name);
      const taken = index.get(key);
      if (taken && taken.unit !== unit) throw new Error(`province key "${key}" of ${name} is also ${taken.unit.name}'s`);
      if (!taken) index.set(key, { unit, via });
    }
  }
  return index;
}

export interface ProvinceMatcher {
  /** The unit a typed province name means, or the closest unit to suggest (by edit distance over every known name). */
  match(name: string): ProvinceMatch;
}

/** A matcher over the given units; two units sharing a name key is a mistake in the data and throws. */
export function createProvinceMatcher(units: readonly ProvinceUnit[]): ProvinceMatcher {
  const index = buildIndex(units);
  const keys = [...index.keys()];
  return {
    match(name) {
      const key = provinceKey(name);
      const entry = index.get(key);
      if (entry) return { kind: "found", unit: entry.unit, via: entry.via };
      const nearest = index.get(closest(key, keys));
      if (!nearest) throw new Error("the province index is empty");
      return { kind: "unknown", suggestion: nearest.unit };
    },
  };
}
