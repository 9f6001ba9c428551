/** Stored as JSON text; anything else (an older or hand-edited row) reads as no assignment. */
export function parseAssignedParts(json: string | null): string[] {
  if (json === null) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((part): part is string => typeof part === "string") : [];
  } catch {
    return [];
  }
}
