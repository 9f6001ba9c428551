import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether `given` is the configured secret, in constant time. Both sides are hashed first, so the comparison takes
 * the same time whatever was sent and leaks no length. An unset or empty secret matches nothing: a webhook without its
 * secret configured refuses every caller rather than accepting them all.
 */
export function secretEquals(given: unknown, expected: string | undefined): boolean {
  if (expected === undefined || expected === "" || typeof given !== "string") return false;
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
