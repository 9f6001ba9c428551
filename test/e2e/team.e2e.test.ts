import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashInviteCode, normalizeInviteCode } from "../../src/domain/invites/invite-code.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import type { Db, Store } from "../../src/persistence/db-client.js";
import { createInvite } from "../../src/persistence/invite-store.js";
import { inviteCode, NOW, seedAgency } from "../app/conversation-fixture.js";
import { BOT_USERNAME, DISPLAY_NAMES, telegramDriver, zaloDriver, type ChannelDriver, type Who } from "./team-drivers.js";

/**
 * Working as a team, over each platform's webhook against its fake: a lead brings two members in with codes made in
 * the chat, shares out a part, a member walks it, reminders name it, the lead removes someone; a province supervisor
 * adds an agency step by step and invites leads. Every refusal is checked, and logged.
 */

const CODE = /Mã mời: ([A-Z0-9]{5}-[A-Z0-9]{5})/;
const DAY_MS = 24 * 60 * 60 * 1000;

describe.each([
  ["Telegram", telegramDriver],
  ["Zalo", zaloDriver],
])("working as a team on %s", (_name, start) => {
  let driver: ChannelDriver;
  let db: Db;
  let store: Store;
  let agencyId: string;
  let periodId: string;
  const say = (who: Who, text: string) => driver.say(who, text);
  const cmd = (slash: string, word: string) => driver.command(slash, word);
  const personOf = async (who: Who) =>
    (await db.chatIdentity.findFirstOrThrow({ where: { channel: driver.channel, displayName: DISPLAY_NAMES[who] } })).personId;
  const refusals = () => (driver.running.logs.text().match(/team action refused/g) ?? []).length;

  beforeAll(async () => {
    driver = await start();
    db = driver.running.service.database.db;
    store = driver.running.service.database;
    const seeded = await seedAgency(store);
    agencyId = seeded.agency.id;
    periodId = seeded.period.id;
    // A neighbour agency in the same province and one in another province: never in this lead's or supervisor's reach.
    const neighbour = await addAgency(db, { name: "Tạp chí Láng Giềng", province: "Hà Nội", group: "magazine", type: "magazine" });
    await addAgency(db, { name: "Báo Đà Nẵng Thử", province: "Đà Nẵng", group: "local-newspaper", type: "newspaper" });
    expect(await say("neighbour", await inviteCode(db, neighbour.agency.id, "member"))).toContain("Đã liên kết");
    expect(await say("lead", await inviteCode(db, agencyId, "lead"))).toContain("Đã liên kết");
    const supervisor = await createInvite(db, { kind: "province", province: "Hà Nội", role: "supervisor" }, { now: NOW, expiresDays: 60 });
    expect(await say("supervisor", supervisor.code)).toContain("cán bộ theo dõi");
  });

  afterAll(async () => {
    await driver?.close();
  });

  it("when the lead invites twice, then each code is stored hashed, single use and expiring in 14 days, and links one member", async () => {
    for (const who of ["member1", "member2"] as const) {
      const reply = await say("lead", cmd("/invite", "mời"));
      expect(reply).toContain("Đã tạo mã mời thành viên nhập liệu cho Báo Kiểm Thử");
      expect(reply).toContain("chuyển tiếp tin nhắn dưới đây");
      expect(reply).toContain(`${DISPLAY_NAMES.lead} mời Anh/Chị cùng nhập liệu`);
      const code = CODE.exec(reply)?.[1] ?? "";
      if (driver.channel === "telegram") expect(reply).toContain(`https://t.me/${BOT_USERNAME}?start=${code.replace("-", "")}`);
      else expect(reply).not.toContain("t.me");
      const invite = await db.invite.findUniqueOrThrow({ where: { codeHash: hashInviteCode(normalizeInviteCode(code) ?? "") } });
      expect(invite).toMatchObject({ role: "member", agencyId, usedAt: null, createdById: await personOf("lead") });
      // The service's clock starts at NOW and moves 3 s a reading: the invite lasts 14 days from the moment it was asked.
      expect(Math.floor((invite.expiresAt.getTime() - NOW.getTime()) / DAY_MS)).toBe(14);
      expect(JSON.stringify(await db.invite.findMany())).not.toContain(normalizeInviteCode(code) ?? "?");
      expect(await say(who, code)).toContain("Đã liên kết tài khoản với Báo Kiểm Thử (thành viên nhập liệu)");
      // Single use: the same code again, from someone else, links nobody.
      expect(await say("stranger", code)).toContain("Mã mời không hợp lệ");
    }
    expect(await personOf("stranger")).toBeNull();
  });

  it("when the lead asks for a co-lead's invite, then the code makes a lead", async () => {
    const reply = await say("lead", cmd("/invite lead", "mời lãnh đạo"));
    expect(reply).toContain("Đã tạo mã mời lãnh đạo phụ trách cho Báo Kiểm Thử");
    const invite = await db.invite.findUniqueOrThrow({ where: { codeHash: hashInviteCode(normalizeInviteCode(CODE.exec(reply)?.[1] ?? "") ?? "") } });
    expect(invite).toMatchObject({ role: "lead", agencyId });
  });

  it("when the lead lists the team, then the agency's three people come numbered in the order they joined, and nobody else", async () => {
    const reply = await say("lead", cmd("/team", "thành viên"));
    expect(reply).toContain("Thành viên của Báo Kiểm Thử (3 người)");
    expect(reply).toContain(`1. ${DISPLAY_NAMES.lead} — lãnh đạo phụ trách · đã trả lời 0 câu`);
    expect(reply).toContain(`2. ${DISPLAY_NAMES.member1} — thành viên`);
    expect(reply).toContain(`3. ${DISPLAY_NAMES.member2} — thành viên`);
    expect(reply).not.toContain(DISPLAY_NAMES.neighbour);
  });

  it.each<[string, Who, string, string, string]>([
    ["a member invites", "member1", "/invite", "mời", "Chỉ lãnh đạo phụ trách"],
    ["a member lists the team", "member1", "/team", "thành viên", "Chỉ lãnh đạo phụ trách"],
    ["a member assigns", "member1", "/assign 3 2", "phân công 3 trụ cột 2", "Chỉ lãnh đạo phụ trách"],
    ["a member unassigns", "member2", "/unassign 2", "bỏ phân công 2", "Chỉ lãnh đạo phụ trách"],
    ["a member removes", "member2", "/remove 2", "gỡ 2", "Chỉ lãnh đạo phụ trách"],
    ["a lead adds an agency", "lead", "/addagency", "thêm cơ quan", "Chỉ cán bộ theo dõi của Sở"],
    ["a supervisor assigns", "supervisor", "/assign 2 3", "phân công 2 trụ cột 3", "Chỉ lãnh đạo phụ trách"],
    ["a supervisor removes", "supervisor", "/remove 1", "gỡ 1", "Chỉ lãnh đạo phụ trách"],
  ])("when %s, then it is refused in one line and logged", async (_case, who, slash, word, refusal) => {
    const before = refusals();
    const invites = await db.invite.count();
    const reply = await say(who, cmd(slash, word));
    expect(reply).toContain(refusal);
    expect(reply.split("\n")).toHaveLength(1);
    expect(refusals()).toBe(before + 1);
    expect(await db.invite.count()).toBe(invites);
  });

  it("when the lead assigns indicator P3.1 to member 2, then the member walks it first and is told when it is done and what remains", async () => {
    const assigned = await say("lead", cmd("/assign 2 P3.1", "phân công 2 chỉ số 3.1"));
    expect(assigned).toContain(`Đã phân công cho ${DISPLAY_NAMES.member1}: P3.1`);
    const grant = await db.roleGrant.findFirstOrThrow({ where: { personId: (await personOf("member1")) ?? "", revokedAt: null } });
    expect(grant.assignedParts).toBe(JSON.stringify(["P3.1"]));

    expect(await say("member1", cmd("/continue", "tiếp tục"))).toContain("P3.1.1");
    expect(await say("member1", "1")).toContain("P3.1.2");
    expect(await say("member1", "1")).toContain("P3.1.3");
    expect(await say("member1", "có")).toContain("P3.1.4");
    const done = await say("member1", "có");
    expect(done).toMatch(/^✓ Có \(\d+\/\d+\)/);
    expect(done).toContain("đã trả lời xong phần được phân công (P3.1)");
    expect(done).toContain("Đơn vị còn 39 câu cho những người khác");
    expect(done).toContain("• Trụ cột 3: 4 câu");
    expect(done).not.toMatch(/\d+\/43 · /);
    // And on with the rest, from the first question nobody answered.
    expect(await say("member1", cmd("/continue", "tiếp tục"))).toContain("P3.2.1");
  });

  it("when the lead looks at progress and the team, then each person's answers are counted", async () => {
    const progress = await say("lead", cmd("/progress", "tiến độ"));
    expect(progress).toContain("Người trả lời:");
    expect(progress).toContain(`• ${DISPLAY_NAMES.member1}: 4 câu`);
    const team = await say("lead", cmd("/team", "thành viên"));
    expect(team).toContain(`2. ${DISPLAY_NAMES.member1} — thành viên · đã trả lời 4 câu`);
    expect(team).toContain("Phân công: P3.1");
    expect(team).toContain("Chưa phân công");
    expect(await say("member1", cmd("/progress", "tiến độ"))).toContain("Phần được phân công cho Anh/Chị (P3.1): còn 0/4 câu");
  });

  it("when a reminder goes out, then a member with an assignment reads their unanswered questions of it first", async () => {
    expect(await say("lead", cmd("/assign 3 4", "phân công 3 trụ cột 4"))).toContain(`Đã phân công cho ${DISPLAY_NAMES.member2}: Trụ cột 4`);
    const before = await db.outboxMessage.count();
    await driver.running.service.reminders.runOnce(driver.running.service.deliverer, new Date("2024-11-08T08:30:00+07:00"));
    const rows = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `reminder:${periodId}` } }, orderBy: { createdAt: "asc" } });
    expect(rows.length).toBeGreaterThan(0);
    expect(await db.outboxMessage.count()).toBeGreaterThan(before);
    const text = (who: string) => rows.find((r) => r.identityId === who)?.payload ?? "";
    const member2 = await db.chatIdentity.findFirstOrThrow({ where: { channel: driver.channel, displayName: DISPLAY_NAMES.member2 } });
    const lead = await db.chatIdentity.findFirstOrThrow({ where: { channel: driver.channel, displayName: DISPLAY_NAMES.lead } });
    const reminder = text(member2.id);
    expect(reminder).toContain("Phần được phân công cho Anh/Chị (Trụ cột 4) còn 10 câu: P4.1.1, P4.1.2");
    expect(reminder.indexOf("Phần được phân công")).toBeLessThan(reminder.indexOf("Báo Kiểm Thử · "));
    expect(text(lead.id)).not.toContain("Phần được phân công");
  });

  it("when the lead removes member 3 after confirming, then they are unlinked and their answers stay theirs", async () => {
    expect(await say("member2", "tiếp tục")).toContain("P4.1.1");
    // P4.1.1 takes several options: a typed list saves at once.
    expect(await say("member2", "1")).toMatch(/^✓ /);
    const member2 = await personOf("member2");
    const kept = await driver.say("lead", cmd("/remove 3", "gỡ 3"));
    expect(kept).toContain(`Anh/Chị có chắc muốn gỡ ${DISPLAY_NAMES.member2} khỏi đơn vị không?`);
    expect(await driver.choose("lead", "Không")).toContain(`Đã giữ ${DISPLAY_NAMES.member2} trong đơn vị`);
    expect(await personOf("member2")).toBe(member2);

    await say("lead", cmd("/remove 3", "gỡ 3"));
    expect(await driver.choose("lead", "Có")).toContain(`Đã gỡ ${DISPLAY_NAMES.member2} khỏi Báo Kiểm Thử`);
    expect(await personOf("member2")).toBeNull();
    const grant = await db.roleGrant.findFirstOrThrow({ where: { personId: member2 ?? "" } });
    expect(grant.revokedAt).not.toBeNull();
    expect(grant.revokedById).toBe(await personOf("lead"));
    const answer = await db.answer.findFirstOrThrow({ where: { criterionId: "P4.1.1" } });
    expect(answer.answeredById).toBe(member2);
    // The removed member is told who removed them, from which agency, not greeted as a stranger.
    const told = await say("member2", "tiếp tục");
    expect(told).toContain(`Anh/Chị đã được ${DISPLAY_NAMES.lead} gỡ khỏi Báo Kiểm Thử lúc `);
    expect(told).toContain("gửi mã mời");
    const team = await say("lead", cmd("/team", "thành viên"));
    expect(team).toContain("(2 người)");
    expect(team).toContain("1 người đã rời đơn vị");
  });

  it("when the only lead tries to remove themselves, or names nobody, then nothing changes", async () => {
    const before = refusals();
    expect(await say("lead", cmd("/remove 1", "gỡ 1"))).toContain("lãnh đạo phụ trách duy nhất");
    expect(refusals()).toBe(before + 1);
    expect(await say("lead", cmd("/remove 9", "gỡ 9"))).toContain("Không có người số 9");
    expect(await say("lead", cmd("/assign 2 P9", "phân công 2 trụ cột 9"))).toContain("Chưa rõ phần");
    expect(await db.roleGrant.count({ where: { agencyId, revokedAt: null } })).toBe(2);
  });

  it("when the lead lists the unused codes and revokes one, then the list names who made them and the revoked code links nobody", async () => {
    const code = CODE.exec(await say("lead", cmd("/invite", "mời")))?.[1] ?? "";
    const list = await say("lead", cmd("/invites", "mã mời"));
    // The co-lead code made earlier, and this one.
    expect(list).toContain("Mã mời chưa dùng của Báo Kiểm Thử (2 mã)");
    expect(list).toContain("1. Mã mời lãnh đạo phụ trách");
    expect(list).toContain("2. Mã mời thành viên");
    expect(list).toContain(`Người tạo: ${DISPLAY_NAMES.lead}`);
    expect(list).not.toContain(code);
    expect(await say("member1", cmd("/invites", "mã mời"))).toContain("Chỉ lãnh đạo phụ trách");
    expect(await say("lead", cmd("/revoke 2", "thu hồi 2"))).toContain("Đã thu hồi mã mời số 2");
    expect(await say("stranger", code)).toContain("Mã mời không hợp lệ");
    expect(await say("lead", cmd("/invites", "mã mời"))).toContain("(1 mã)");
  });

  it("when the supervisor adds an agency step by step, then it is created in their province with a lead invite", async () => {
    expect(await say("supervisor", cmd("/addagency", "thêm cơ quan"))).toContain("Thêm cơ quan báo chí mới vào Hà Nội");
    expect(await say("supervisor", "Tạp chí Láng Giềng")).toContain("Trong tỉnh đã có cơ quan");
    expect(await say("supervisor", "Tạp chí Khoa Học Thử")).toContain("thuộc khối nào?");
    expect(await driver.choose("supervisor", "Khối tạp chí khoa học")).toContain("Loại hình của “Tạp chí Khoa Học Thử”");
    const reply = await driver.choose("supervisor", "Tạp chí khoa học");
    expect(reply).toContain("Đã thêm Tạp chí Khoa Học Thử (Khối tạp chí khoa học) vào Hà Nội");
    const agency = await db.agency.findFirstOrThrow({ where: { name: "Tạp chí Khoa Học Thử" }, include: { province: true } });
    expect(agency).toMatchObject({ group: "science-journal", type: "science-journal", province: { name: "Hà Nội" } });
    const code = CODE.exec(reply)?.[1] ?? "";
    const invite = await db.invite.findUniqueOrThrow({ where: { codeHash: hashInviteCode(normalizeInviteCode(code) ?? "") } });
    expect(invite).toMatchObject({ role: "lead", agencyId: agency.id, createdById: await personOf("supervisor") });
    expect(await say("stranger", code)).toContain("Đã liên kết tài khoản với Tạp chí Khoa Học Thử (lãnh đạo phụ trách");
  });

  it("when the supervisor invites by the overview's number, then the lead invite is for that agency of their province only", async () => {
    const overview = await say("supervisor", cmd("/overview", "tổng quan"));
    expect(overview).not.toContain("Báo Đà Nẵng Thử");
    const line = /(\d+)\. Tạp chí Láng Giềng/.exec(overview);
    const reply = await say("supervisor", cmd(`/invite ${line?.[1]}`, `mời ${line?.[1]}`));
    expect(reply).toContain("Đã tạo mã mời lãnh đạo phụ trách cho Tạp chí Láng Giềng");
    const invite = await db.invite.findUniqueOrThrow({ where: { codeHash: hashInviteCode(normalizeInviteCode(CODE.exec(reply)?.[1] ?? "") ?? "") } });
    const neighbour = await db.agency.findFirstOrThrow({ where: { name: "Tạp chí Láng Giềng" } });
    expect(invite).toMatchObject({ role: "lead", agencyId: neighbour.id });
    const invites = await db.invite.count();
    expect(await say("supervisor", cmd("/invite 99", "mời 99"))).toContain("Không tìm thấy cơ quan “99”");
    expect(await db.invite.count()).toBe(invites);
  });
});
