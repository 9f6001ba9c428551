import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { chatter, inviteCode, seedAgency } from "./conversation-fixture.js";

describe.each(databaseKinds)("turning reminders off on $name", (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await kind.open();
  });
  afterEach(async () => {
    await database.close();
  });

  /** An agency with a lead and two members, all linked on Telegram. */
  async function team() {
    const { agency } = await seedAgency(database);
    const lead = await chatter(database, "lead");
    const one = await chatter(database, "m1");
    const two = await chatter(database, "m2");
    await lead.say(await inviteCode(database.db, agency.id, "lead"));
    await one.say(await inviteCode(database.db, agency.id, "member"));
    await two.say(await inviteCode(database.db, agency.id, "member"));
    return { lead, one, two };
  }
  const noticesToLead = () => database.db.outboxMessage.findMany({ where: { chatId: "chat-lead", payload: { contains: "vừa tắt nhắc hạn" } } });
  const identity = (user: string) => database.db.chatIdentity.findUniqueOrThrow({ where: { channel_externalUserId: { channel: "telegram", externalUserId: user } } });

  it("when a member types “tắt nhắc”, then their account stops getting reminders and “bật nhắc” turns them back on", async () => {
    const { one } = await team();
    expect(await one.say("tắt nhắc")).toContain("Đã tắt nhắc hạn cho tài khoản này");
    expect(await identity("m1")).toMatchObject({ remindersEnabled: false });
    expect(await one.say("/reminders on")).toContain("Đã bật nhắc hạn");
    expect(await identity("m1")).toMatchObject({ remindersEnabled: true });
  });

  it("when the last member who still gets reminders turns them off, then the lead is told, once, and the member's reply does not carry it", async () => {
    const { one, two } = await team();
    await one.say("tắt nhắc");
    expect(await noticesToLead()).toEqual([]);
    const reply = await two.say("nhac off");
    expect(reply).not.toContain("vừa tắt nhắc hạn");
    const notices = await noticesToLead();
    expect(notices).toHaveLength(1);
    expect(notices[0]?.payload).toContain("Thông báo: Người dùng m2 vừa tắt nhắc hạn. Hiện không còn thành viên nào của Báo Kiểm Thử nhận nhắc hạn qua trợ lý.");
    await two.say("tắt nhắc");
    expect(await noticesToLead()).toHaveLength(1);
  });

  it("when the other member cannot be reached (blocked the bot), then turning off the last reachable one tells the lead", async () => {
    const { two } = await team();
    await database.db.chatIdentity.update({ where: { id: (await identity("m1")).id }, data: { reachable: false } });
    await two.say("/reminders off");
    expect(await noticesToLead()).toHaveLength(1);
  });

  it("when the lead turns their own reminders off, then nobody is notified", async () => {
    const { lead, one, two } = await team();
    await one.say("tắt nhắc");
    await two.say("bật nhắc");
    await lead.say("tắt nhắc");
    expect(await noticesToLead()).toEqual([]);
    expect(await identity("lead")).toMatchObject({ remindersEnabled: false });
  });
});
