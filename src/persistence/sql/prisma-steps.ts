import type { Tx } from "../db-client.js";
import { walkSteps, type TransactionOutcome, type TransactionStep } from "./steps.js";

/**
 * The same statements inside a Prisma interactive transaction, for messages whose other effects (linking, nudges,
 * evidence…) are written with Prisma in that transaction. The statements are Prisma's tagged SQL already.
 */
export async function runStepsInTx(tx: Tx, steps: readonly TransactionStep[]): Promise<TransactionOutcome> {
  return walkSteps(steps, async (step) => (step.kind === "write" ? await tx.$executeRaw(step.statement) : (await tx.$queryRaw<unknown[]>(step.statement)).length));
}
