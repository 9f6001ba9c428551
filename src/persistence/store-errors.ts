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
