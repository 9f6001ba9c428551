import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashInviteCode, normalizeInviteCode } from "../../src/domain/invites/invite-code.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import type { Tx } from "../../src/persistence/db-client.js";
import { applyTeamEffects, loadTeam, TeamScopeError, type TeamScope } from "../../src/persistence/team-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";

const NOW = new Date("2024-11-05T03:00:00Z");
const LATER = new Date("2024-11-19T03:00:00Z");

/**
 * The team store applies what the engine decided, but bounds every write by the sender's own scope: a lead's agency,
 * a supervisor's province. These tests hand it effects the engine would never make, to show they change nothing.
 */
describe.each(databaseKinds)("team store on $name", (kind) => {
  let database: TestDatabase;
  let home: { agencyId: string; provinceId: string };
  let other: { agencyId: string; provinceId: string };
  let people: Record<"lead" | "member" | "outsider" | "supervisor", string>;

  beforeAll(async () => {
    database = await kind.open();
    const db = database.db;
    const a = await addAgency(db, { name: "Báo Nhà", province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
    const b = await addAgency(db, { name: "Báo Khác", province: "Huế", group: "local-newspaper", type: "newspaper" });
    home = { agencyId: a.agency.id, provinceId: a.agency.provinceId };
    other = { agencyId: b.agency.id, provinceId: b.agency.provinceId };
    const person = async (name: string, role: string, agencyId: string | null, provinceId: string | null) => {
      const created = await db.person.create({ data: { displayName: name } });
      await db.roleGrant.create({ data: { personId: created.id, role, agencyId, provinceId } });
      await db.chatIdentity.create({ data: { personId: created.id, channel: "zalo", externalUserId: name, chatId: name } });
      return created.id;
    };
    people = {
      lead: await person("Lan", "lead", home.agencyId, null),
      member: await person("Minh", "member", home.agencyId, null),
      outsider: await person("Khách", "member", other.agencyId, null),
      supervisor: await person("Bảo", "supervisor", null, home.provinceId),
    };
  });
  afterAll(async () => {
    await database?.close();
  });

  const leadScope = (): TeamScope => ({ now: NOW, personId: people.lead, role: "lead", agencyId: home.agencyId, provinceId: home.provinceId });
  const supervisorScope = (): TeamScope => ({ now: NOW, personId: people.supervisor, role: "supervisor", agencyId: null, provinceId: home.provinceId });
  const tx = (work: (t: Tx) => Promise<void>): Promise<void> => database.db.$transaction(work);

  it("when the team is loaded, then it holds the agency's live people in the order they were linked", async () => {
    const team = await loadTeam(database.db, home.agencyId, NOW);
    expect(team.members.map((m) => [m.name, m.role])).toEqual([
      ["Lan", "lead"],
      ["Minh", "member"],
    ]);
  });

  it("when a lead assigns someone of another agency, then nothing changes; their own member is assigned", async () => {
    await tx((t) => applyTeamEffects(t, [{ kind: "assign", personId: people.outsider, parts: ["P1"] }], leadScope()));
    expect((await database.db.roleGrant.findFirstOrThrow({ where: { personId: people.outsider } })).assignedParts).toBeNull();
    await tx((t) => applyTeamEffects(t, [{ kind: "assign", personId: people.member, parts: ["P3", "P4.1"] }], leadScope()));
    expect((await loadTeam(database.db, home.agencyId, NOW)).members[1]?.assignedParts).toEqual(["P3", "P4.1"]);
  });

  it("when a lead removes someone of another agency, then they stay linked", async () => {
    await tx((t) => applyTeamEffects(t, [{ kind: "remove-member", personId: people.outsider }], leadScope()));
    expect((await database.db.chatIdentity.findFirstOrThrow({ where: { externalUserId: "Khách" } })).personId).toBe(people.outsider);
  });

  it.each<[string, () => TeamScope, string | null]>([
    ["a lead invites to another agency", () => leadScope(), "other"],
    ["a supervisor invites to an agency of another province", () => supervisorScope(), "other"],
    ["a member invites", () => ({ ...leadScope(), role: "member" }), null],
  ])("when %s, then the transaction fails with a scope error and no invite is stored", async (_case, scope, target) => {
    const before = await database.db.invite.count();
    const effect = { kind: "issue-invite", code: "ABCDE-FGHJK", role: "lead", agencyId: target === "other" ? other.agencyId : null, expiresAt: LATER } as const;
    await expect(tx((t) => applyTeamEffects(t, [effect], scope()))).rejects.toBeInstanceOf(TeamScopeError);
    expect(await database.db.invite.count()).toBe(before);
  });

  it("when a supervisor adds an agency, then it is in their province, with a hashed single-use lead invite", async () => {
    const code = "MNPQR-STUVW";
    await tx((t) => applyTeamEffects(t, [{ kind: "add-agency", name: "Tạp chí Mới", group: "magazine", type: "magazine", code, expiresAt: LATER }], supervisorScope()));
    const agency = await database.db.agency.findFirstOrThrow({ where: { name: "Tạp chí Mới" } });
    expect(agency.provinceId).toBe(home.provinceId);
    const invite = await database.db.invite.findUniqueOrThrow({ where: { codeHash: hashInviteCode(normalizeInviteCode(code) ?? "") } });
    expect(invite).toMatchObject({ role: "lead", agencyId: agency.id, usedAt: null, expiresAt: LATER, createdById: people.supervisor });
  });

  it("when a lead removes their member, then the grant is revoked, the chat account unlinked and the person kept", async () => {
    await tx((t) => applyTeamEffects(t, [{ kind: "remove-member", personId: people.member }], leadScope()));
    const grant = await database.db.roleGrant.findFirstOrThrow({ where: { personId: people.member } });
    expect(grant).toMatchObject({ revokedById: people.lead, assignedParts: null });
    expect(grant.revokedAt).toEqual(NOW);
    expect((await database.db.chatIdentity.findFirstOrThrow({ where: { externalUserId: "Minh" } })).personId).toBeNull();
    expect(await database.db.person.findUnique({ where: { id: people.member } })).not.toBeNull();
    expect((await loadTeam(database.db, home.agencyId, NOW)).members.map((m) => m.name)).toEqual(["Lan"]);
  });
});
