import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleInbound } from "../../src/app/handle-inbound.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { answerTransaction, writeAnswerTransaction } from "../../src/persistence/answer-transaction.js";
import { StaleStateError } from "../../src/persistence/conversation-store.js";
import type { Db, Store } from "../../src/persistence/db-client.js";
import { outboxSteps } from "../../src/persistence/outbox-store.js";
import { loadProvinceView } from "../../src/persistence/results-store.js";
import { applyTeamEffects, type TeamScope } from "../../src/persistence/team-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { chatter, GENERATED_DIR, inviteCode, NOW, seedAgency, typingClock } from "./conversation-fixture.js";
import { inboundStore } from "../../src/persistence/inbound-store.js";

/**
 * Issue 26, items 1–4: what a removed lead or member could still do, and two leads acting at the same moment. Each
 * agency here is fresh, so the scenarios do not see each other's people.
 */
describe.each(databaseKinds)("team safety on $name", (kind) => {
  let database: TestDatabase;
  let db: Db;
  let store: Store;
  let agencies = 0;

  beforeAll(async () => {
    database = await kind.open();
    db = database.db;
    store = database;
  });
  afterAll(async () => {
    await database?.close();
  });

  /** A fresh agency with an open period and its first lead linked; each person has a clock of their own. */
  async function agencyWithLead(lead: string) {
    agencies += 1;
    // The period is the province's (seeded once with the first agency); each scenario gets an agency of its own.
    const agency = agencies === 1 ? (await seedAgency(store, `Báo An Toàn ${agencies}`)).agency : (await addAgency(db, { name: `Báo An Toàn ${agencies}`, province: "Hà Nội", group: "local-newspaper", type: "newspaper" })).agency;
    const people = new Map<string, Awaited<ReturnType<typeof chatter>>>();
    const person = async (name: string) => {
      const existing = people.get(name);
      if (existing) return existing;
      const created = await chatter(store, `${name}-${agencies}`);
      people.set(name, created);
      return created;
    };
    expect(await (await person(lead)).say(await inviteCode(db, agency.id, "lead"))).toContain("Đã liên kết");
    const personId = async (name: string) =>
      (await db.chatIdentity.findUniqueOrThrow({ where: { channel_externalUserId: { channel: "telegram", externalUserId: `${name}-${agencies}` } } })).personId;
    const liveLeads = () => db.roleGrant.count({ where: { agencyId: agency.id, role: "lead", revokedAt: null } });
    return { agency, person, personId, liveLeads };
  }

  const CODE = /Mã mời: ([A-Z0-9]{5}-[A-Z0-9]{5})/;

  it("when a removed lead sends a lead code they made earlier, then it links nobody and the remaining lead stays", async () => {
    const team = await agencyWithLead("good");
    const good = await team.person("good");
    const bad = await team.person("bad");
    expect(await bad.say(await inviteCode(db, team.agency.id, "lead"))).toContain("lãnh đạo phụ trách");
    const kept: string[] = [];
    for (let i = 0; i < 3; i += 1) kept.push(CODE.exec(await bad.say("/invite lead"))?.[1] ?? "");
    expect(kept.every((code) => code !== "")).toBe(true);

    expect(await good.say("/remove 2")).toContain("có chắc muốn gỡ");
    expect(await good.say("có")).toContain("Đã gỡ");
    for (const code of kept) expect(await bad.say(code)).toContain("Mã mời không hợp lệ");
    expect(await team.personId("bad")).toBeNull();
    expect(await db.roleGrant.count({ where: { agencyId: team.agency.id, role: "lead", revokedAt: null, personId: (await team.personId("good")) ?? "" } })).toBe(1);
    expect(await team.liveLeads()).toBe(1);
  });

  it("when a lead lists the pending invites and revokes one, then the list names them and the revoked code links nobody", async () => {
    const team = await agencyWithLead("lister");
    const lead = await team.person("lister");
    const first = CODE.exec(await lead.say("/invite"))?.[1] ?? "";
    const second = CODE.exec(await lead.say("/invite lead"))?.[1] ?? "";
    const list = await lead.say("/invites");
    expect(list).toContain("Mã mời chưa dùng của");
    expect(list).toContain("(2 mã)");
    expect(list).toMatch(/1\. Mã mời thành viên, tạo ngày \d\d\/\d\d\/\d{4}, hết hạn ngày 19\/11\/2024/);
    expect(list).toMatch(/2\. Mã mời lãnh đạo phụ trách/);
    expect(list).not.toContain(first);
    expect(await lead.say("thu hồi 2")).toContain("Đã thu hồi mã mời số 2");
    expect(await lead.say("/invites")).toContain("(1 mã)");
    expect(await (await team.person("taker")).say(second)).toContain("Mã mời không hợp lệ");
    expect(await (await team.person("joiner")).say(first)).toContain("Đã liên kết");
    expect(await lead.say("/invites")).toContain("không có mã mời nào chưa dùng");
  });

  it("when a member asks for the invites or revokes one, then it is refused", async () => {
    const team = await agencyWithLead("boss");
    const member = await team.person("helper");
    expect(await member.say(await inviteCode(db, team.agency.id, "member"))).toContain("Đã liên kết");
    expect(await member.say("/invites")).toContain("Chỉ lãnh đạo phụ trách");
    expect(await member.say("/revoke 1")).toContain("Chỉ lãnh đạo phụ trách");
  });

  it.each([
    ["remove each other", [2, 1]],
    ["remove themselves", [1, 2]],
  ] as const)("when two leads %s with effects decided on the same team, then the second is stale and a lead remains", async (_case, targets) => {
    const team = await agencyWithLead("one");
    expect(await (await team.person("two")).say(await inviteCode(db, team.agency.id, "lead"))).toContain("Đã liên kết");
    const ids = [(await team.personId("one")) ?? "", (await team.personId("two")) ?? ""];
    const scope = (i: number): TeamScope => ({ now: NOW, personId: ids[i] ?? "", role: "lead", agencyId: team.agency.id, provinceId: team.agency.provinceId });
    const remove = (i: number) => db.$transaction((tx) => applyTeamEffects(tx, [{ kind: "remove-member", personId: ids[(targets[i] ?? 1) - 1] ?? "" }], scope(i)));
    await remove(0);
    await expect(remove(1)).rejects.toBeInstanceOf(StaleStateError);
    expect(await team.liveLeads()).toBe(1);
  });

  it.each([
    ["each other", ["/remove 2", "/remove 1"], "Đã gỡ"],
    ["themselves", ["/remove 1", "/remove 2"], "lãnh đạo phụ trách duy nhất"],
  ] as const)("when two leads confirm removing %s at the same moment, round after round, then the agency keeps a lead", async (who, commands, once) => {
    for (let round = 0; round < 3; round += 1) {
      const tag = `${who.replace(" ", "")}${round}`;
      const team = await agencyWithLead(`a${tag}`);
      const leads = [await team.person(`a${tag}`), await team.person(`b${tag}`)] as const;
      expect(await leads[1].say(await inviteCode(db, team.agency.id, "lead"))).toContain("Đã liên kết");
      expect(await leads[0].say(commands[0])).toContain("có chắc");
      expect(await leads[1].say(commands[1])).toContain("có chắc");
      const replies = await Promise.all([leads[0].say("có"), leads[1].say("có")]);
      expect(await team.liveLeads()).toBe(1);
      // One removal went through; the other was decided again on the team as it then was.
      expect(replies.filter((reply) => reply.includes(once))).toHaveLength(1);
    }
  });

  it("when a member's answer was read before a lead removed them, then writing it is refused as stale and nothing is stored", async () => {
    const team = await agencyWithLead("chief");
    const member = await team.person("leaver");
    expect(await member.say(await inviteCode(db, team.agency.id, "member"))).toContain("Đã liên kết");
    expect(await member.say("/continue")).toContain("P1.1.1");
    const identity = await db.chatIdentity.findUniqueOrThrow({ where: { channel_externalUserId: { channel: "telegram", externalUserId: `leaver-${agencies}` } } });
    const state = await db.conversationState.findUniqueOrThrow({ where: { identityId: identity.id } });
    const personId = identity.personId ?? "";
    const assessmentId = (JSON.parse(state.state) as { assessmentId: string }).assessmentId;
    // The lead's removal commits between the member's read and the member's write.
    const chief = (await team.personId("chief")) ?? "";
    await db.$transaction((tx) =>
      applyTeamEffects(tx, [{ kind: "remove-member", personId }], { now: NOW, personId: chief, role: "lead", agencyId: team.agency.id, provinceId: team.agency.provinceId }),
    );
    const write = answerTransaction(
      { channel: "telegram", eventKey: `late-${agencies}`, identityId: identity.id, expectedVersion: state.version, stateJson: state.state, replies: outboxSteps({ channel: "telegram", chatId: identity.chatId, identityId: identity.id }, [], NOW), now: NOW },
      [{ kind: "save-answer", criterionId: "P1.1.1", value: true }],
      { assessmentId, personId },
    );
    expect(await writeAnswerTransaction(store.sql, write)).toBe("stale");
    expect(await db.answer.count({ where: { assessmentId } })).toBe(0);
  });

  it("when a member's photo is fetched while a lead removes them, then it is not kept and they are answered as a stranger", async () => {
    const team = await agencyWithLead("head");
    const member = await team.person("sender");
    expect(await member.say(await inviteCode(db, team.agency.id, "member"))).toContain("Đã liên kết");
    expect(await member.say("/continue")).toContain("P1.1.1");
    const identity = await db.chatIdentity.findUniqueOrThrow({ where: { channel_externalUserId: { channel: "telegram", externalUserId: `sender-${agencies}` } } });
    const personId = identity.personId ?? "";
    const head = (await team.personId("head")) ?? "";
    const attachment = { kind: "photo", ref: "telegram:photo-1" } as const;
    const result = await handleInbound(
      { port: inboundStore(store), db, translator: await createTranslator(), defaultLocale: "vi", clock: typingClock(new Date(NOW.getTime() + 600_000)), dataDir: GENERATED_DIR },
      {
        channel: "telegram",
        eventKey: `photo-${agencies}`,
        externalUserId: `sender-${agencies}`,
        chatId: `chat-sender-${agencies}`,
        input: { kind: "attachment", attachment },
        resolveAttachment: async () => {
          await db.$transaction((tx) =>
            applyTeamEffects(tx, [{ kind: "remove-member", personId }], { now: NOW, personId: head, role: "lead", agencyId: team.agency.id, provinceId: team.agency.provinceId }),
          );
          return { kind: "attachment", attachment };
        },
      },
    );
    expect(result.kind).toBe("handled");
    expect(await db.evidence.count({ where: { addedById: personId } })).toBe(0);
  });

  it("when the supervisor's overview is read after a removal, then the removed person is not listed at all", async () => {
    const team = await agencyWithLead("keeper");
    const member = await team.person("gone");
    expect(await member.say(await inviteCode(db, team.agency.id, "member"))).toContain("Đã liên kết");
    const keeper = await team.person("keeper");
    expect(await keeper.say("/remove 2")).toContain("có chắc");
    expect(await keeper.say("có")).toContain("Đã gỡ");
    const view = await loadProvinceView(db, team.agency.provinceId, NOW);
    const agency = view.agencies.find((a) => a.id === team.agency.id);
    expect(agency?.members.map((m) => m.name)).toEqual([`Người dùng keeper-${agencies}`]);
  });
});
