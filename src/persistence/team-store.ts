import type { Effect, TeamEffect } from "../domain/conversation/effects.js";
import type { PendingInviteView, TeamMemberView, TeamView } from "../domain/conversation/team-view.js";
import { parseAssignedParts } from "./assigned-parts-column.js";
import { StaleStateError } from "./store-errors.js";
import type { Db, Tx } from "./db-client.js";
import { sql } from "./sql/statement.js";
import { createInvite, REVOKED_INVITE_EXPIRY } from "./invite-store.js";
import { runStepsInTx } from "./sql/prisma-steps.js";
import { nameKey, type DbClient } from "./province-store.js";


/**
 * The people of one agency with a live member or lead grant, in the order they were first linked (stable, so numbers
 * shown by "/team" still name the same people in "/assign 2"), each with their latest grant's role and assignment;
 * and the agency's invites still open at `now`, oldest first.
 */
export async function loadTeam(db: DbClient, agencyId: string, now: Date): Promise<TeamView> {
  const grants = await db.roleGrant.findMany({
    where: { agencyId, revokedAt: null, role: { in: ["member", "lead"] } },
    include: { person: { select: { displayName: true, identities: { select: { reachable: true } } } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const byPerson = new Map<string, TeamMemberView>();
  for (const grant of grants) {
    // Later grants (a member made lead) replace earlier ones but keep the place of the first.
    byPerson.set(grant.personId, {
      personId: grant.personId,
      name: grant.person.displayName,
      role: grant.role === "lead" ? "lead" : "member",
      assignedParts: parseAssignedParts(grant.assignedParts),
      reachable: grant.person.identities.length === 0 || grant.person.identities.some((identity) => identity.reachable),
    });
  }
  return { members: [...byPerson.values()], invites: await pendingInvites(db, agencyId, now) };
}

async function pendingInvites(db: DbClient, agencyId: string, now: Date): Promise<PendingInviteView[]> {
  const rows = await db.invite.findMany({
    where: { agencyId, usedAt: null, expiresAt: { gt: now }, role: { in: ["member", "lead"] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const creatorIds = [...new Set(rows.flatMap((row) => (row.createdById === null ? [] : [row.createdById])))];
  const creators = creatorIds.length === 0 ? [] : await db.person.findMany({ where: { id: { in: creatorIds } }, select: { id: true, displayName: true } });
  const names = new Map(creators.map((person) => [person.id, person.displayName]));
  return rows.map((row) => ({
    inviteId: row.id,
    role: row.role === "lead" ? "lead" : "member",
    createdByName: row.createdById === null ? null : (names.get(row.createdById) ?? null),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  }));
}

/** Who sent the team effects: their own agency (a lead) or province (a supervisor) bounds what they change. */
export interface TeamScope {
  readonly now: Date;
  readonly personId: string;
  readonly role: "member" | "lead" | "supervisor";
  readonly agencyId: string | null;
  readonly provinceId: string;
}

/** A team effect outside the sender's scope: the engine never makes one, so it is a bug and nothing is written. */
export class TeamScopeError extends Error {
  override name = "TeamScopeError";
}

/**
 * Applies the team effects inside the caller's transaction. Every write is bounded by the sender's scope (the lead's
 * agency, the supervisor's province) whatever ids the effect carries.
 *
 * A lead's changes are serialised per agency: the agency's row is locked first, then the sender must still be a lead
 * of it, and a removal must leave the agency a lead. The engine decided on a team read before this transaction; two
 * leads removing each other (or themselves) at the same moment each saw the other still there. When the team moved
 * on, StaleStateError makes the app read it again and run the step anew, which then refuses or finds nothing to do.
 */
export async function applyTeamEffects(tx: Tx, effects: readonly Effect[], scope: TeamScope): Promise<void> {
  const teamEffects = writesOf(effects);
  if (teamEffects.length === 0) return;
  await lockTeamFor(tx, effects, scope);
  for (const effect of teamEffects) await applyTeamEffect(tx, effect, scope);
  if (scope.role === "lead" && scope.agencyId !== null && teamEffects.some((effect) => effect.kind === "remove-member")) {
    const leads = await tx.roleGrant.count({ where: { agencyId: scope.agencyId, role: "lead", revokedAt: null } });
    if (leads === 0) throw new StaleStateError();
  }
}

/**
 * Takes the agency's team lock when a lead's message changes the team (see applyTeamEffects). The app calls it first
 * in the transaction, before writing the sender's own conversation state: a removal also writes the removed person's
 * state, so a lock taken after one's own state row could deadlock with the other lead's removal. Taking it twice in
 * one transaction is harmless.
 */
export async function lockTeamFor(tx: Tx, effects: readonly Effect[], scope: Pick<TeamScope, "personId" | "role" | "agencyId">): Promise<void> {
  if (scope.role === "lead" && scope.agencyId !== null && writesOf(effects).length > 0) await lockTeam(tx, scope.agencyId, scope.personId);
}

function writesOf(effects: readonly Effect[]): Exclude<TeamEffect, { kind: "refusal" }>[] {
  return effects.filter(isTeamEffect).filter((effect): effect is Exclude<TeamEffect, { kind: "refusal" }> => effect.kind !== "refusal");
}

const TEAM_EFFECT_KINDS: ReadonlySet<string> = new Set(["issue-invite", "add-agency", "assign", "remove-member", "revoke-invite", "refusal"]);

function isTeamEffect(effect: Effect): effect is TeamEffect {
  return TEAM_EFFECT_KINDS.has(effect.kind);
}

/**
 * Waits for any other team change of the agency to commit (a no-op write takes the row's lock on PostgreSQL and the
 * write lock on SQLite; both databases read committed data after it), then checks the sender is still its lead.
 */
async function lockTeam(tx: Tx, agencyId: string, personId: string): Promise<void> {
  await runStepsInTx(tx, [{ kind: "write", statement: sql`UPDATE "Agency" SET "name" = "name" WHERE "id" = ${agencyId}` }]);
  const live = await tx.roleGrant.count({ where: { personId, agencyId, role: "lead", revokedAt: null } });
  if (live === 0) throw new StaleStateError();
}

async function applyTeamEffect(tx: Tx, effect: Exclude<TeamEffect, { kind: "refusal" }>, scope: TeamScope): Promise<void> {
  const invite = (e: { code: string; expiresAt: Date }) => ({ code: e.code, expiresAt: e.expiresAt, createdById: scope.personId });
  switch (effect.kind) {
    case "issue-invite": {
      const agencyId = await invitedAgency(tx, effect.agencyId, scope);
      await createInvite(tx, { kind: "agency", agencyId, role: effect.role }, invite(effect));
      return;
    }
    case "add-agency": {
      if (scope.role !== "supervisor") throw new TeamScopeError("only a supervisor adds agencies");
      const siblings = await tx.agency.findMany({ where: { provinceId: scope.provinceId }, select: { id: true, name: true } });
      // Added meanwhile (or before any period let the engine see the province's agencies): invite to that one.
      const existing = siblings.find((agency) => nameKey(agency.name) === nameKey(effect.name));
      const agencyId =
        existing?.id ?? (await tx.agency.create({ data: { name: effect.name, provinceId: scope.provinceId, group: effect.group, type: effect.type } })).id;
      await createInvite(tx, { kind: "agency", agencyId, role: "lead" }, invite(effect));
      return;
    }
    case "assign": {
      const agencyId = leadAgency(scope);
      await tx.roleGrant.updateMany({
        where: { personId: effect.personId, agencyId, revokedAt: null },
        data: { assignedParts: effect.parts.length === 0 ? null : JSON.stringify(effect.parts) },
      });
      return;
    }
    case "remove-member": {
      const agencyId = leadAgency(scope);
      const revoked = await tx.roleGrant.updateMany({
        where: { personId: effect.personId, agencyId, revokedAt: null },
        data: { revokedAt: scope.now, revokedById: scope.personId, assignedParts: null },
      });
      if (revoked.count === 0) return;
      // Codes they made and nobody used end now: a removed lead must not come back through one they kept.
      await tx.invite.updateMany({ where: { createdById: effect.personId, agencyId, usedAt: null, expiresAt: { gt: scope.now } }, data: { expiresAt: REVOKED_INVITE_EXPIRY } });
      // Unlinked chat accounts talk to the assistant as strangers again; the Person row keeps their answers' names.
      const live = await tx.roleGrant.count({ where: { personId: effect.personId, revokedAt: null } });
      // The chat remembers whose it was, so a person removed by someone else is told so when they write in again.
      const former = effect.personId === scope.personId ? null : effect.personId;
      if (live === 0) await tx.chatIdentity.updateMany({ where: { personId: effect.personId }, data: { personId: null, formerPersonId: former } });
      return;
    }
    case "revoke-invite":
      return revokeInvite(tx, effect.inviteId, scope);
  }
}

async function revokeInvite(tx: Tx, inviteId: string, scope: TeamScope): Promise<void> {
  await tx.invite.updateMany({ where: { id: inviteId, agencyId: leadAgency(scope), usedAt: null, expiresAt: { gt: scope.now } }, data: { expiresAt: REVOKED_INVITE_EXPIRY } });
}

function leadAgency(scope: TeamScope): string {
  if (scope.role !== "lead" || scope.agencyId === null) throw new TeamScopeError("only a lead of an agency manages its team");
  return scope.agencyId;
}

/** The agency an invite is for: the lead's own, or an agency of the supervisor's province. */
async function invitedAgency(tx: Tx, agencyId: string | null, scope: TeamScope): Promise<string> {
  if (scope.role === "lead") {
    if (agencyId !== null && agencyId !== scope.agencyId) throw new TeamScopeError("a lead invites to their own agency only");
    return leadAgency(scope);
  }
  if (scope.role !== "supervisor" || agencyId === null) throw new TeamScopeError("a member cannot invite");
  const agency = await tx.agency.findFirst({ where: { id: agencyId, provinceId: scope.provinceId }, select: { id: true } });
  if (agency === null) throw new TeamScopeError("a supervisor invites to agencies of their own province only");
  return agency.id;
}

/** Who removed a person from which agency, and when: their latest revoked grant, for the notice in the chat. */
export async function findRemoval(db: Db, personId: string): Promise<{ agency: string; by: string; at: Date } | null> {
  const grant = await db.roleGrant.findFirst({
    where: { personId, revokedAt: { not: null }, agencyId: { not: null } },
    orderBy: { revokedAt: "desc" },
    select: { revokedAt: true, revokedById: true, agency: { select: { name: true } } },
  });
  if (grant?.revokedAt == null || grant.revokedById === null) return null;
  const by = await db.person.findUnique({ where: { id: grant.revokedById }, select: { displayName: true } });
  return { agency: grant.agency?.name ?? "", by: by?.displayName ?? "", at: grant.revokedAt };
}
