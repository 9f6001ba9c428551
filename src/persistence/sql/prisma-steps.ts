import { Prisma } from "../../generated/sqlite/client.js";
import type { Tx } from "../db-client.js";
import type { SqlStatement } from "./statement.js";
import { walkSteps, type TransactionOutcome, type TransactionStep } from "./steps.js";

/**
 * The same statements inside a Prisma interactive transaction, for messages whose other effects (linking, nudges,
 * evidence…) are written with Prisma in that transaction. Prisma's tagged SQL picks each database's placeholders.
 */
function prismaSql(statement: SqlStatement): Prisma.Sql {
  return new Prisma.Sql(statement.text.split(/\$\d+/), [...statement.values]);
}

export async function runStepsInTx(tx: Tx, steps: readonly TransactionStep[]): Promise<TransactionOutcome> {
  return walkSteps(steps, async (step) =>
    step.kind === "write" ? await tx.$executeRaw(prismaSql(step.statement)) : (await tx.$queryRaw<unknown[]>(prismaSql(step.statement))).length,
  );
}
