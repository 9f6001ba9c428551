import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleInbound } from "../../src/app/handle-inbound.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { chatter, inviteCode, seedAgency, typingClock } from "./conversation-fixture.js";
import { inboundStore } from "../../src/persistence/inbound-store.js";

describe.each(databaseKinds)("handling inbound messages on $name", (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await kind.open();
  });
  afterEach(async () => {
    await database.close();
  });

  it.each([
    ["zalo", "trợ giúp", 1],
    ["zalo", "45", 0],
    ["telegram", "trợ giúp", 0],
    ["telegram", "/help", 1],
  ] as const)("when someone in a %s group writes %j, then %i hint(s) to write privately are queued and nothing else", async (channel, text, hints) => {
    const deps = { port: inboundStore(database), db: database.db, translator: await createTranslator(), defaultLocale: "vi" as const, clock: typingClock() };
    const result = await handleInbound(deps, { channel, eventKey: `g-${channel}-${text}`, externalUserId: "u9", chatId: "group-1", chatType: "group", input: { kind: "text", text } });
    const texts = result.kind === "handled" ? result.outbox.flatMap((e) => (e.message.kind === "reply" ? [e.message.reply.text] : [])) : [];
    expect(texts).toHaveLength(hints);
    for (const hint of texts) expect(hint).toContain("tin nhắn riêng");
    expect(await database.db.conversationState.count()).toBe(0);
  });

  it("when an unlinked person writes, then the reply says it is an automated assistant and nothing is linked", async () => {
    const anna = await chatter(database, "u1");
    expect(await anna.say("xin chào")).toContain("trợ lý tự động");
    expect(await database.db.roleGrant.count()).toBe(0);
  });

  it("when a person sends a valid invite code, then they are linked once and the code cannot be reused", async () => {
    const { agency } = await seedAgency(database);
    const code = await inviteCode(database.db, agency.id, "member");
    const anna = await chatter(database, "u1");
    expect(await anna.say(`/start ${code.replace("-", "")}`)).toContain("Đã liên kết");
    const bao = await chatter(database, "u2");
    // Used, expired and unknown look alike to the sender; the log says which.
    expect(await bao.say(code.toLowerCase())).toContain("Mã mời không hợp lệ");
    const grants = await database.db.roleGrant.findMany();
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ role: "member", agencyId: agency.id });
  });

  it("when a used code is sent, then the sender is told only that it is not valid and the log says it was used", async () => {
    const { agency } = await seedAgency(database);
    const code = await inviteCode(database.db, agency.id, "member");
    await (await chatter(database, "u1")).say(code);
    const logged: unknown[] = [];
    const logger = { error: () => undefined, warn: () => undefined, info: (entry: unknown) => void logged.push(entry) };
    const deps = { port: inboundStore(database), db: database.db, translator: await createTranslator(), defaultLocale: "vi" as const, clock: typingClock(), logger };
    const result = await handleInbound(deps, { channel: "telegram", eventKey: "late-code", externalUserId: "u2", chatId: "c2", input: { kind: "text", text: code } });
    const text = result.kind === "handled" ? result.outbox.flatMap((e) => (e.message.kind === "reply" ? [e.message.reply.text] : [])).join("\n") : "";
    expect(text).toContain("không hợp lệ");
    expect(text).not.toContain("sử dụng");
    expect(logged).toEqual([expect.objectContaining({ invite: "used" })]);
    expect(JSON.stringify(logged)).not.toContain(code.replace("-", ""));
  });

  it("when an answer arrives, then it is stored with its history and queued reply before being acknowledged", async () => {
    const { agency } = await seedAgency(database);
    const anna = await chatter(database, "u1");
    await anna.say(await inviteCode(database.db, agency.id, "member"));
    expect(await anna.say("tiếp tục")).toContain("1/43 · P1.1.1");
    const reply = await anna.say("có");
    expect(reply).toContain("✓ Có (3/3)");
    expect(reply).toContain("2/43 · P1.1.2");
    const answer = await database.db.answer.findFirstOrThrow({ where: { criterionId: "P1.1.1" } });
    expect(JSON.parse(answer.value ?? "null")).toBe(true);
    const history = await database.db.answerChange.findMany({ where: { criterionId: "P1.1.1" } });
    expect(history).toMatchObject([{ field: "value", oldValue: null, newValue: "true" }]);
    const outbox = await database.db.outboxMessage.findMany({ where: { status: "pending" } });
    expect(outbox.length).toBeGreaterThanOrEqual(3);
  });

  it("when the same update is delivered twice, then the second delivery changes nothing and queues nothing", async () => {
    const { agency } = await seedAgency(database);
    const anna = await chatter(database, "u1");
    await anna.say(await inviteCode(database.db, agency.id, "member"));
    await anna.say("tiếp tục");
    const first = await anna.send("có", "update-42");
    const outboxBefore = await database.db.outboxMessage.count();
    const again = await anna.send("không", "update-42");
    expect(first.kind).toBe("handled");
    expect(again.kind).toBe("duplicate");
    expect(await database.db.outboxMessage.count()).toBe(outboxBefore);
    const answer = await database.db.answer.findFirstOrThrow({ where: { criterionId: "P1.1.1" } });
    expect(answer.value).toBe("true");
  });

  it("when two messages of one person arrive at once, then both are applied one after the other", async () => {
    const { agency } = await seedAgency(database);
    const anna = await chatter(database, "u1");
    await anna.say(await inviteCode(database.db, agency.id, "member"));
    await anna.say("tiếp tục");
    // "1" and "2" are valid answers to both P1.1.1 (yes/no) and P1.1.2 (three options), whatever the order.
    const results = await Promise.all([anna.send("1"), anna.send("2")]);
    expect(results.map((r) => r.kind)).toEqual(["handled", "handled"]);
    const answers = await database.db.answer.findMany({ orderBy: { criterionId: "asc" } });
    // Whichever came first answered P1.1.1; the other answered the next question, P1.1.2.
    expect(answers.map((a) => a.criterionId)).toEqual(["P1.1.1", "P1.1.2"]);
    const state = await database.db.conversationState.findFirstOrThrow();
    expect(JSON.parse(state.state)).toMatchObject({ criterionId: "P1.1.3" });
  });

  it("when the service restarts in the middle of a question, then the person resumes exactly there", async () => {
    const { agency } = await seedAgency(database);
    const code = await inviteCode(database.db, agency.id, "member");
    const before = await chatter(database, "u1");
    await before.say(code);
    await before.say("tiếp tục");
    await before.say("có");
    await before.say("/goto P3.2.1");
    // A new translator, deps and connection, as after a restart: only the database carries over.
    const reopened = await kind.reopen(database);
    const after = await chatter(reopened, "u1");
    expect(await after.say("tiếp tục")).toContain("P3.2.1");
    await reopened.close();
  });

  it("when a second member changes an answer the first gave, then they see who gave it and must confirm", async () => {
    const { agency } = await seedAgency(database);
    const anna = await chatter(database, "u1");
    const bao = await chatter(database, "u2");
    await anna.say(await inviteCode(database.db, agency.id, "member"));
    await bao.say(await inviteCode(database.db, agency.id, "member"));
    await anna.say("tiếp tục");
    await anna.say("có");
    await bao.say("/goto P1.1.1");
    const ask = await bao.say("không");
    expect(ask).toContain("Người dùng u1");
    expect(ask).toContain("10:00 05/11/2024");
    expect((await database.db.answer.findFirstOrThrow({ where: { criterionId: "P1.1.1" } })).value).toBe("true");
    await bao.say("có");
    expect((await database.db.answer.findFirstOrThrow({ where: { criterionId: "P1.1.1" } })).value).toBe("false");
    expect(await database.db.answerChange.count({ where: { criterionId: "P1.1.1" } })).toBe(2);
  });

  it("when the lead submits, then answers become read-only until the lead reopens", async () => {
    const { agency } = await seedAgency(database);
    const lead = await chatter(database, "lead");
    await lead.say(await inviteCode(database.db, agency.id, "lead"));
    await lead.say("tiếp tục");
    await lead.say("có");
    expect(await lead.say("nộp")).toContain("Còn 42 tiêu chí chưa trả lời");
    expect(await lead.say("có")).toContain("Đã nộp");
    const submitted = await database.db.assessment.findFirstOrThrow();
    expect(submitted).toMatchObject({ status: "submitted" });
    expect(submitted.submittedAt?.toISOString().slice(0, 10)).toBe("2024-11-05");
    expect(await lead.say("/goto P1.1.1")).toContain("P1.1.1");
    expect(await lead.say("không")).toContain("đã nộp kết quả");
    expect(await lead.say("mở lại")).toContain("Đã mở lại");
    expect((await database.db.assessment.findFirstOrThrow()).status).toBe("draft");
  });

  it("when the entry window has closed, then answering is refused but the score is still shown", async () => {
    const { agency } = await seedAgency(database);
    const code = await inviteCode(database.db, agency.id, "member");
    const late = await chatter(database, "u1", typingClock(new Date("2024-11-20T03:00:00Z")));
    await late.say(code);
    await late.say("tiếp tục");
    expect(await late.say("có")).toContain("Thời hạn nhập liệu đã kết thúc lúc 23:59 15/11/2024");
    expect(await database.db.answer.count()).toBe(0);
    expect(await late.say("điểm")).toContain("Tổng điểm: 0/100");
  });
});
