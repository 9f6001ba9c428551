/**
 * Damaged copies of a real payload, for the "parse is total" contract: each top-level field and each field one level
 * down replaced by values of the wrong type or removed. Real shapes damaged one field at a time reach deeper into a
 * parser than random junk does.
 */
export function damagedVariants(body: unknown): unknown[] {
  if (!isRecord(body)) return [];
  const variants: unknown[] = [];
  for (const [key, value] of Object.entries(body)) {
    for (const wrong of WRONG_VALUES) variants.push({ ...body, [key]: wrong });
    variants.push(without(body, key));
    if (!isRecord(value)) continue;
    for (const inner of Object.keys(value)) {
      for (const wrong of WRONG_VALUES) variants.push({ ...body, [key]: { ...value, [inner]: wrong } });
      variants.push({ ...body, [key]: without(value, inner) });
    }
  }
  return variants;
}

/** The same body with every object's keys in reverse order: a redelivery serialised differently is still the same. */
export function reordered(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(reordered);
  if (!isRecord(body)) return body;
  return Object.fromEntries(Object.entries(body).reverse().map(([key, value]) => [key, reordered(value)]));
}

/** Bodies no platform sends, which must still give [] or "ignored". */
export const JUNK: readonly unknown[] = [
  null, undefined, 0, -1, Number.NaN, "", "{}", true, [], [{}], {}, { ok: true }, { ok: false, result: {} },
  { update_id: "1" }, { update_id: 1.5 }, { update_id: 1 }, { event_name: 7 }, { event_name: "" }, { result: [] },
  { __proto__: { update_id: 1, message: {} } }, { update_id: 1, message: "x".repeat(100_000) },
];

const WRONG_VALUES: readonly unknown[] = [null, "x", -7, 1e308, [], {}, true];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function without(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}
