import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SendError } from "../../src/channels/channel.js";
import type { AgencyRecord } from "../../src/persistence/agency-store.js";
import type { PeriodRecord } from "../../src/persistence/period-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { linkPerson, recordingChannel, reminderStack, seedAgencies, vn, type SentMessage } from "./reminder-fixture.js";

describe.each(databaseKinds)("deadline reminders on $name", (kind) => {
  let database: TestDatabase;
  let now: Date;
  const clock = () => now;
  let period: PeriodRecord;
  let agencies: AgencyRecord[];
  let log: SentMessage[];
  let telegram: ReturnType<typeof recordingChannel>;
  let zalo: ReturnType<typeof recordingChannel>;

  beforeEach(async () => {
    database = await kind.open();
    ({ period, agencies } = await seedAgencies(database, ["Báo Hà Nội Mới", "Tạp chí Thủ đô"]));
    log = [];
    telegram = recordingChannel("telegram", log);
    zalo = recordingChannel("zalo", log);
  });
  afterEach(async () => {
    await database.close();
  });

  const stack = () => reminderStack(database, [telegram.adapter, zalo.adapter], clock);
  const agency = (i: number): AgencyRecord => {
    const found = agencies[i];
    if (!found) throw new Error(`no agency ${i}`);
    return found;
  };
  const submit = (agencyId: string) =>
    database.db.assessment.upsert({
      where: { agencyId_periodId: { agencyId, periodId: period.id } },
      create: { agencyId, periodId: period.id, status: "submitted", submittedAt: now },
      update: { status: "submitted", submittedAt: now },
    });
  const rows = () => database.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "reminder:" } }, orderBy: { dedupeKey: "asc" } });

  it("when the entry window's first reminder is due, then every member and lead gets one: a button on Telegram, a word on Zalo", async () => {
    const member = await linkPerson(database.db, { name: "Nguyễn Thu Hà", role: "member", agencyId: agency(0).id, channel: "zalo" });
    const lead = await linkPerson(database.db, { name: "Trần Minh", role: "lead", agencyId: agency(0).id, channel: "telegram" });
    await linkPerson(database.db, { name: "Lê Bình", role: "member", agencyId: agency(1).id });
    now = vn("2027-11-01T08:30:00");
    const { reminders, deliverer } = await stack();
    const summary = await reminders.runOnce(deliverer, now);
    expect(summary).toMatchObject({ sent: 3, queued: 3, skipped: 0, failed: 0, dropped: 0 });
    const toLead = log.find((m) => m.chatId === lead.chatId);
    expect(toLead?.text).toContain("⏰ Nhắc hạn: Hạn nhập liệu tự đánh giá — 23:59 15/11/2027 (còn 14 ngày).");
    expect(toLead?.text).toContain("Báo Hà Nội Mới · Năm 2027");
    expect(toLead?.text).toContain("Đơn vị chưa trả lời câu nào (0/43 tiêu chí).");
    expect(toLead).toMatchObject({ questionId: "menu", choices: [{ value: "continue", label: "Tiếp tục trả lời" }] });
    const toMember = log.find((m) => m.chatId === member.chatId);
    expect(toMember?.choices).toEqual([]);
    expect(toMember?.text).toContain("gõ “tiếp tục”");
    expect((await rows()).map((r) => [r.dedupeKey, r.status])).toEqual(
      [member.identityId, lead.identityId, (await database.db.chatIdentity.findFirstOrThrow({ where: { person: { displayName: "Lê Bình" } } })).id]
        .map((id) => [`reminder:${period.id}:entry:14:${id}`, "sent"])
        .sort(),
    );
  });

  it("when the agency has answered some questions, then the reminder gives its completion, estimated score and what is left", async () => {
    const lead = await linkPerson(database.db, { name: "Trần Minh", role: "lead", agencyId: agency(0).id });
    const assessment = await database.db.assessment.create({ data: { agencyId: agency(0).id, periodId: period.id } });
    for (const criterionId of ["P1.1.1", "P3.1.3"]) {
      await database.db.answer.create({ data: { assessmentId: assessment.id, criterionId, value: "true", answeredById: lead.personId } });
    }
    now = vn("2027-11-08T10:15:00");
    const { reminders, deliverer } = await stack();
    await reminders.runOnce(deliverer, now);
    const text = log.find((m) => m.chatId === lead.chatId)?.text ?? "";
    expect(text).toContain("(còn 7 ngày)");
    expect(text).toMatch(/Đã trả lời 2\/43 tiêu chí \(4%\) · điểm tạm tính [\d,]+\/100 \(Yếu\)/);
    expect(text).toContain("Đơn vị còn 41 câu, nhiều nhất ở Trụ cột 2 (10 câu chưa trả lời).");
  });

  it("when the same moment is run twice, then the second run queues and sends nothing", async () => {
    await linkPerson(database.db, { name: "A", role: "member", agencyId: agency(0).id });
    await linkPerson(database.db, { name: "B", role: "lead", agencyId: agency(1).id, channel: "zalo" });
    now = vn("2027-11-08T09:00:00");
    const first = await stack();
    expect(await first.reminders.runOnce(first.deliverer, now)).toMatchObject({ sent: 2, queued: 2 });
    const second = await stack();
    expect(await second.reminders.runOnce(second.deliverer, now)).toMatchObject({ sent: 0, queued: 0, skipped: 2, skippedReasons: { alreadyQueued: 2 } });
    now = vn("2027-11-08T16:00:00");
    expect(await second.reminders.runOnce(second.deliverer, now)).toMatchObject({ sent: 0, queued: 0 });
    expect(log).toHaveLength(2);
  });

  it("when an agency has submitted, then its people get nothing; when it submits after its reminder was queued, the row is dropped", async () => {
    const early = await linkPerson(database.db, { name: "A", role: "member", agencyId: agency(0).id });
    const late = await linkPerson(database.db, { name: "B", role: "member", agencyId: agency(1).id });
    now = vn("2027-11-08T08:30:00");
    await submit(agency(0).id);
    const { reminders, deliverer } = await stack();
    expect(await reminders.materialise(now)).toMatchObject({ queued: 1 });
    await submit(agency(1).id);
    now = vn("2027-11-08T08:31:00");
    expect(await deliverer.deliverDue()).toBe(0);
    expect(log).toEqual([]);
    expect(await rows()).toMatchObject([{ dedupeKey: `reminder:${period.id}:entry:7:${late.identityId}`, status: "dropped", lastError: "reminder: submitted" }]);
    expect((await rows()).some((r) => r.identityId === early.identityId)).toBe(false);
  });

  it("when delivery would fall in quiet hours, then the reminder waits until 07:00 and is sent then, once", async () => {
    const member = await linkPerson(database.db, { name: "A", role: "member", agencyId: agency(0).id });
    now = vn("2027-11-08T20:59:00");
    const { reminders, deliverer } = await stack();
    expect(await reminders.materialise(now)).toMatchObject({ queued: 1 });
    now = vn("2027-11-08T21:00:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 0, deferred: 1, queued: 0 });
    expect((await rows())[0]).toMatchObject({ status: "pending", nextAttemptAt: vn("2027-11-09T07:00:00"), attempts: 0 });
    now = vn("2027-11-09T06:59:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 0, queued: 0 });
    now = vn("2027-11-09T07:00:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 1, queued: 0 });
    expect(log.map((m) => m.chatId)).toEqual([member.chatId]);
  });

  it("when the deadline passes before a queued reminder is sent, then it is dropped, not sent late", async () => {
    await linkPerson(database.db, { name: "A", role: "member", agencyId: agency(0).id });
    now = vn("2027-11-15T20:00:00");
    const { reminders, deliverer } = await stack();
    // The entry window's last reminder, and the province report's first (open until 18/11).
    expect(await reminders.materialise(now)).toMatchObject({ queued: 2 });
    now = vn("2027-11-16T00:00:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 0, dropped: 1, deferred: 1 });
    expect((await rows()).map((r) => [r.dedupeKey?.split(":")[2], r.status, r.lastError])).toEqual(
      expect.arrayContaining([
        ["entry", "dropped", "reminder: deadline-passed"],
        [period.deadlines[0]?.id, "pending", null],
      ]),
    );
  });

  it("when people opted out, blocked the bot or use a channel that is off, then they are skipped and nothing is queued for them", async () => {
    await linkPerson(database.db, { name: "Off", role: "member", agencyId: agency(0).id, remindersEnabled: false });
    await linkPerson(database.db, { name: "Blocked", role: "member", agencyId: agency(0).id, reachable: false });
    await linkPerson(database.db, { name: "Terminal", role: "lead", agencyId: agency(0).id, channel: "console" });
    now = vn("2027-11-08T08:30:00");
    const { reminders, deliverer } = await stack();
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({
      sent: 0,
      queued: 0,
      skipped: 3,
      skippedReasons: { optedOut: 1, unreachable: 1, channelOff: 1, alreadyQueued: 0 },
    });
    expect(await rows()).toEqual([]);
  });

  it("when a person blocks the bot, then they are marked unreachable, skipped next time and named in the supervisor's digest", async () => {
    const blocker = await linkPerson(database.db, { name: "Phạm Văn Chặn", role: "member", agencyId: agency(0).id, channel: "zalo" });
    await linkPerson(database.db, { name: "Lê Bình", role: "lead", agencyId: agency(1).id });
    const supervisor = await linkPerson(database.db, { name: "Sở Hà Nội", role: "supervisor", provinceId: agency(0).provinceId });
    zalo.failFor.set(blocker.chatId, new SendError("blocked", "403 bot was blocked"));
    now = vn("2027-11-01T08:30:00");
    const { reminders, deliverer } = await stack();
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 1, failed: 1, retrying: 0 });
    expect(await database.db.chatIdentity.findUniqueOrThrow({ where: { id: blocker.identityId } })).toMatchObject({ reachable: false });
    now = vn("2027-11-08T08:30:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 1, skippedReasons: { unreachable: 1 } });
    now = vn("2027-12-01T08:30:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 1 });
    const digest = log.find((m) => m.chatId === supervisor.chatId)?.text ?? "";
    expect(digest).toContain("📋 Tổng hợp Hà Nội · Năm 2027");
    expect(digest).toContain("Báo cáo Bộ trước 15/12/2027 — 17:00 15/12/2027 (còn 14 ngày)");
    expect(digest).toContain("2 cơ quan báo chí: đã nộp 0 · đang làm 0 · chưa bắt đầu 2.");
    expect(digest).toContain("Không liên lạc được, đã chặn trợ lý (1):\n• Phạm Văn Chặn — Báo Hà Nội Mới (Zalo)");
    expect(digest).toContain("Chưa nộp và không có ai nhận nhắc hạn (1):\n• Báo Hà Nội Mới");
  });

  it("when a send fails for a while, then it is retried with backoff and sent once; a retry after the next reminder took over is dropped", async () => {
    const member = await linkPerson(database.db, { name: "A", role: "member", agencyId: agency(0).id });
    telegram.failFor.set(member.chatId, new SendError("network", "timeout"));
    now = vn("2027-11-01T08:30:00");
    const { reminders, deliverer } = await stack();
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 0, failed: 1, retrying: 1 });
    now = vn("2027-11-01T08:30:04");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 0, failed: 0 });
    telegram.failFor.delete(member.chatId);
    now = vn("2027-11-01T08:31:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ sent: 1 });
    expect(log).toHaveLength(1);

    telegram.failFor.set(member.chatId, new SendError("network", "timeout"));
    now = vn("2027-11-08T08:29:50");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ queued: 0 });
    now = vn("2027-11-08T08:30:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ queued: 1, retrying: 1 });
    now = vn("2027-11-12T08:30:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ dropped: 1 });
    expect((await rows()).find((r) => r.dedupeKey?.includes(":entry:7:"))).toMatchObject({ status: "dropped", lastError: "reminder: superseded", attempts: 1 });
    expect(log).toHaveLength(1);
  });

  it("when interactive replies are queued too, then the reminder check leaves them alone", async () => {
    const member = await linkPerson(database.db, { name: "A", role: "member", agencyId: agency(0).id });
    now = vn("2027-11-08T22:00:00");
    await database.db.outboxMessage.create({
      data: { channel: "telegram", chatId: member.chatId, identityId: member.identityId, payload: JSON.stringify({ kind: "reply", reply: { text: "✓ Đã lưu", choices: [] } }), lane: "interactive", nextAttemptAt: now },
    });
    const { deliverer } = await stack();
    expect(await deliverer.deliverDue()).toBe(1);
    expect(log.map((m) => m.text)).toEqual(["✓ Đã lưu"]);
  });

  it("when the service restarts in the middle of a batch, then nothing is lost and nothing is sent twice", async () => {
    const chats: string[] = [];
    for (let i = 0; i < 12; i += 1) chats.push((await linkPerson(database.db, { name: `P${i}`, role: "member", agencyId: agency(i % 2).id })).chatId);
    now = vn("2027-11-08T08:30:00");
    // First life: queues, starts sending, and one send hangs when the process dies (a dead process renews no lease).
    const first = await reminderStack(database, [telegram.adapter, zalo.adapter], clock, { leaseRenewMs: 3_600_000 });
    const stuck = chats[5] ?? "";
    telegram.hold.add(stuck);
    expect(await first.reminders.materialise(now)).toMatchObject({ queued: 12 });
    void first.deliverer.deliverDue();
    while ((await database.db.outboxMessage.count({ where: { status: "sent" } })) < 11) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toHaveLength(11);

    // Second life: a new connection and a new instance; the stuck row's lease runs out and it is sent.
    const reopened = await kind.reopen(database);
    try {
      telegram.hold.clear();
      const second = await reminderStack(reopened, [telegram.adapter, zalo.adapter], clock);
      now = vn("2027-11-08T08:30:03");
      expect(await second.reminders.runOnce(second.deliverer, now)).toMatchObject({ queued: 0, sent: 0, skippedReasons: { alreadyQueued: 12 } });
      // Leases are short (OUTBOX_LEASE_MS): seconds later the row is free.
      now = vn("2027-11-08T08:30:10");
      expect(await second.reminders.runOnce(second.deliverer, now)).toMatchObject({ queued: 0, sent: 1 });
      expect(log.map((m) => m.chatId).sort()).toEqual([...chats].sort());
      expect(await database.db.outboxMessage.count({ where: { status: "sent" } })).toBe(12);
    } finally {
      await reopened.close();
    }
  });

  it("when an instance died while queuing a batch, then the next run queues only the rest and everyone gets exactly one", async () => {
    const chats: string[] = [];
    for (let i = 0; i < 8; i += 1) chats.push((await linkPerson(database.db, { name: `P${i}`, role: "member", agencyId: agency(i % 2).id })).chatId);
    now = vn("2027-11-08T08:30:00");
    const { reminders, deliverer } = await stack();
    const due = await reminders.preview(now);
    expect(due).toHaveLength(8);
    const { enqueueOnce } = await import("../../src/persistence/outbox-store.js");
    for (const item of due.slice(0, 3)) {
      const chatId = (await database.db.chatIdentity.findUniqueOrThrow({ where: { id: item.recipient.identityId } })).chatId;
      const message = { kind: "reply" as const, reply: { text: `queued before the crash: ${item.dedupeKey}`, choices: [], questionId: undefined } };
      await enqueueOnce(database.db, { channel: "telegram", chatId, identityId: item.recipient.identityId }, message, item.dedupeKey, now);
    }
    now = vn("2027-11-08T08:35:00");
    expect(await reminders.runOnce(deliverer, now)).toMatchObject({ queued: 5, sent: 8, skippedReasons: { alreadyQueued: 3 } });
    expect(log.map((m) => m.chatId).sort()).toEqual([...chats].sort());
  });

  // SQLite serves one instance (its writers would only queue behind each other); several instances need PostgreSQL.
  it.runIf(kind.name === "postgres")("when two instances queue and send the same moment's reminders concurrently, then each is delivered exactly once", async () => {
    const many = [...agencies];
    for (let i = 0; i < 18; i += 1) many.push((await seedMore(i)).agency);
    const expected: string[] = [];
    for (const [i, a] of many.entries()) {
      expected.push((await linkPerson(database.db, { name: `M${i}`, role: "member", agencyId: a.id, channel: i % 3 === 0 ? "zalo" : "telegram" })).chatId);
      expected.push((await linkPerson(database.db, { name: `L${i}`, role: "lead", agencyId: a.id })).chatId);
    }
    now = vn("2027-11-08T08:30:00");
    const other = await kind.reopen(database);
    try {
      const logA: SentMessage[] = [];
      const logB: SentMessage[] = [];
      const a = await reminderStack(database, [recordingChannel("telegram", logA).adapter, recordingChannel("zalo", logA).adapter], clock);
      const b = await reminderStack(other, [recordingChannel("telegram", logB).adapter, recordingChannel("zalo", logB).adapter], clock);
      const [one, two] = await Promise.all([a.reminders.runOnce(a.deliverer, now), b.reminders.runOnce(b.deliverer, now)]);
      const delivered = [...logA, ...logB].map((m) => m.chatId);
      expect(delivered).toHaveLength(expected.length);
      expect(new Set(delivered)).toEqual(new Set(expected));
      expect(one.sent + two.sent).toBe(expected.length);
      expect(one.queued + two.queued).toBe(expected.length);
      expect(await database.db.outboxMessage.count({ where: { status: "sent" } })).toBe(expected.length);
    } finally {
      await other.close();
    }
  });

  async function seedMore(i: number) {
    const { addAgency } = await import("../../src/persistence/agency-store.js");
    return addAgency(database.db, { name: `Báo số ${i}`, province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
  }
});
