import { sql, type SqlStatement } from "./sql/statement.js";
import type { TransactionStep } from "./sql/steps.js";

/*
 * A person's answers are written by the message they sent, which was read (who they are, their agency) before its
 * transaction began. A lead may have removed them in between: their "Đã gỡ" is committed and the chat account is
 * unlinked, yet the message already in flight would still store its answer. So the link is checked again where the
 * answer is written, inside the same transaction: the chat account still belongs to the person, and the person still
 * holds a live grant of the assessment's agency. On PostgreSQL the grant is share-locked, so a removal waits for the
 * answer to commit or the answer sees the removal; SQLite writes one transaction at a time.
 */

/** The look-up, for both databases: one row when the identity still answers for the assessment's agency. */
export function memberLinkQuery(identityId: string, personId: string, assessmentId: string, database: "sqlite" | "postgres"): SqlStatement {
  // Only the grant row is locked: a removal revokes the grant before it unlinks the chat account, so one lock orders
  // the two transactions (a second lock, taken in the other order, could deadlock them).
  const lock = database === "postgres" ? sql` FOR SHARE OF g` : sql``;
  return sql`SELECT 1 FROM "ChatIdentity" ci
    JOIN "RoleGrant" g ON g."personId" = ci."personId"
    JOIN "Assessment" a ON a."agencyId" = g."agencyId"
    WHERE ci."id" = ${identityId} AND ci."personId" = ${personId} AND a."id" = ${assessmentId}
      AND g."revokedAt" IS NULL AND g."role" IN ('member', 'lead')${lock}`;
}

/** A transaction step that ends the transaction as stale (the app reads again) when the link is gone. */
export function requireMemberLinkStep(identityId: string, personId: string, assessmentId: string, database: "sqlite" | "postgres"): TransactionStep {
  return { kind: "require", statement: memberLinkQuery(identityId, personId, assessmentId, database) };
}
