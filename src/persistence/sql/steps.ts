import type { SqlStatement } from "./statement.js";

/**
 * One step of a transaction: a write, which may end the transaction when it changes no row (the event was seen, the
 * state moved on), a look-up that skips the next steps when it finds a row (an answer that did not change), or a
 * look-up that ends the transaction as stale when it finds none (the assessment is no longer a draft).
 */
export type TransactionStep =
  | { readonly kind: "write"; readonly statement: SqlStatement; readonly noRowMeans?: "duplicate" | "stale" }
  | { readonly kind: "skip-if-found"; readonly statement: SqlStatement; readonly skip: number }
  | { readonly kind: "require"; readonly statement: SqlStatement };

/** "committed", or why the transaction was rolled back. */
export type TransactionOutcome = "committed" | "duplicate" | "stale";

/** After step `i` found or changed `count` rows: the index of the next step, or the outcome that ends the transaction. */
function afterStep(step: TransactionStep, i: number, count: number): number | Exclude<TransactionOutcome, "committed"> {
  if (step.kind === "skip-if-found") return count > 0 ? i + 1 + step.skip : i + 1;
  if (step.kind === "require") return count > 0 ? i + 1 : "stale";
  return count === 0 && step.noRowMeans ? step.noRowMeans : i + 1;
}

/**
 * The one loop over the steps: yields each step to run and takes back the number of rows it found or changed. A
 * generator, so the synchronous SQLite driver (whose transaction must never yield to the event loop) and the
 * asynchronous ones share it. Returns early with the outcome that ends the transaction; the caller rolls back unless
 * it is "committed".
 */
function* stepWalk(steps: readonly TransactionStep[]): Generator<TransactionStep, TransactionOutcome, number> {
  for (let i = 0; i < steps.length; ) {
    const step = steps[i] as TransactionStep;
    const next = afterStep(step, i, yield step);
    if (typeof next !== "number") return next;
    i = next;
  }
  return "committed";
}

/** Runs the steps with `execute` (which answers what each one found or changed): PostgreSQL, Prisma transactions. */
export async function walkSteps(steps: readonly TransactionStep[], execute: (step: TransactionStep) => Promise<number>): Promise<TransactionOutcome> {
  const walk = stepWalk(steps);
  for (let at = walk.next(); ; at = walk.next(await execute(at.value))) if (at.done) return at.value;
}

/** walkSteps for a synchronous driver: the whole transaction runs without yielding. */
export function walkStepsNow(steps: readonly TransactionStep[], execute: (step: TransactionStep) => number): TransactionOutcome {
  const walk = stepWalk(steps);
  for (let at = walk.next(); ; at = walk.next(execute(at.value))) if (at.done) return at.value;
}
