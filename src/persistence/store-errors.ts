/**
 * The store refused a request because of the data already there or missing (an unknown id, a duplicate name,
 * a conflicting definition). The message is one operator-ready line; commands map these errors to exit 2.
 * Anything else a store throws is a bug or an outage.
 */
export class StoreRefusal extends Error {
  override name = "StoreRefusal";
}

/** A stored definition has the same id but other content: assessments scored against it must never change. */
export class DefinitionConflictError extends StoreRefusal {
  override name = "DefinitionConflictError";
  constructor(readonly definitionId: string) {
    super(`a different definition with id ${definitionId} is already stored; give the new file a new id`);
  }
}

/** Something the request points at (agency id, province name, definition id) does not exist. */
export class NotFoundError extends StoreRefusal {
  override name = "NotFoundError";
}

/** The request would create a second copy of something that must be unique. */
export class DuplicateError extends StoreRefusal {
  override name = "DuplicateError";
}

/** Prisma's unique-constraint violation (P2002), the same through both driver adapters. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

/** PostgreSQL's SQLSTATE class 22, "data exception": the value itself is wrong (a NUL byte in text, for one). */
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;
/** What the drivers say of text no retry will ever store (PostgreSQL's NUL, Prisma's lone surrogates). */
const UNSTORABLE_TEXT = /invalid byte sequence|untranslatable character|unexpected end of hex escape|lone leading surrogate|unpaired surrogate/i;

/**
 * Whether a write failed on the data it was given rather than on the database (down, locked, busy): retrying such a
 * write fails the same way for ever. Looks through the causes the driver adapters wrap errors in.
 */
export function isUnstorableData(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const fields = error as Record<string, unknown>;
  for (const name of ["code", "originalCode"]) {
    const code = fields[name];
    if (typeof code === "string" && DATA_EXCEPTION.test(code)) return true;
  }
  if (error instanceof Error && UNSTORABLE_TEXT.test(error.message)) return true;
  return ["cause", "meta", "driverAdapterError"].some((name) => isUnstorableData(fields[name], depth + 1));
}

/** The conversation or the team moved on since it was read: the app reads again and runs the step anew. */
export class StaleStateError extends Error {
  override name = "StaleStateError";
}
