import { v7 as uuidv7 } from "uuid";

/**
 * Ids for rows written with plain SQL (the per-message hot path), where Prisma's client-side cuid default does not
 * run. UUIDv7 sorts by creation time and, within one process, by creation order: several outbox rows queued in one
 * transaction share createdAt, and the id keeps them in order.
 */
export function newRowId(): string {
  return uuidv7();
}
