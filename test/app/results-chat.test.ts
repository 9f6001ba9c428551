import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../src/channels/channel.js";
import { formatNumber } from "../../src/i18n/format.js";
import { fromHundredths } from "../../src/domain/questionnaire/hundredths.js";
import { scoreAssessment } from "../../src/domain/questionnaire/scoring.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { NOW, seedProvinces } from "../results/results-fixture.js";
import { chatter, typingClock } from "./conversation-fixture.js";

type Seeded = Awaited<ReturnType<typeof seedProvinces>>;
const DAY_MS = 86_400_000;

const messagesOf = (result: Awaited<ReturnType<Awaited<ReturnType<typeof chatter>>["send"]>>): OutboundMessage[] =>
  result.kind === "handled" ? result.outbox.map((e) => e.message) : [];
const textOf = (messages: readonly OutboundMessage[]): string =>
  messages.map((m) => (m.kind === "reply" ? m.reply.text : m.kind === "photo" || m.kind === "document" ? m.caption : "")).join("\n\n");
const vi = (n: number) => formatNumber(n, "vi");

describe.each(databaseKinds)("results and the supervisor's view in chat on $name", (kind) => {
  let database: TestDatabase;
  let seeded: Seeded;
  beforeEach(async () => {
    database = await kind.open();
    seeded = await seedProvinces(database);
  });
  afterEach(async () => {
    await database.close();
  });

  const as = (userId: string, start: Date = NOW) => chatter(database, userId, typingClock(start));

  it("when a lead asks for the score, then a PNG score card goes first and the full text with the change since 2023 follows", async () => {
    const lead = await as("lead-bao");
    const messages = messagesOf(await lead.send("/score"));
    expect(messages.map((m) => m.kind)).toEqual(["photo", "reply"]);
    const [photo, full] = messages;
    if (photo?.kind !== "photo" || full?.kind !== "reply") throw new Error("unexpected messages");
    const png = readFileSync(photo.file);
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(photo.caption.length).toBeLessThanOrEqual(1024);
    expect(photo.caption).toContain("KẾT QUẢ TỰ ĐÁNH GIÁ — Báo Kiểm Thử — Năm 2024");
    expect(photo.caption).toMatch(/Tổng điểm: [\d,]+\/100 · Mức: .+\n\nĐã trả lời 43\/43 tiêu chí \(100%\)\.$/);

    const now = scoreAssessment(seeded.definitions.def2024, seeded.values.bao2024);
    const before = scoreAssessment(seeded.definitions.def2023, seeded.values.bao2023);
    expect(full.reply.text).toContain(`Tổng điểm: ${vi(fromHundredths(now.totalH))}/100`);
    expect(full.reply.text).toContain("So với Năm 2023:");
    expect(full.reply.text).toContain(`• Tổng điểm: ${vi(fromHundredths(before.totalH))} → ${vi(fromHundredths(now.totalH))}`);
    now.pillars.forEach((pillar, i) => {
      const previous = before.pillars[i];
      if (!previous) throw new Error("pillar missing in 2023");
      const delta = pillar.scoreH - previous.scoreH;
      const sign = delta > 0 ? `+${vi(fromHundredths(delta))}` : delta < 0 ? `-${vi(fromHundredths(-delta))}` : "không đổi";
      expect(full.reply.text).toContain(`• ${pillar.id} `);
      expect(full.reply.text).toContain(`${vi(fromHundredths(previous.scoreH))} → ${vi(fromHundredths(pillar.scoreH))} (${sign})`);
    });
    expect(full.reply.text).toContain("press-dx-951-2023 và press-dx-1827-2024");
    const stored = await database.db.outboxMessage.findMany({ where: { chatId: "chat-lead-bao" }, orderBy: { createdAt: "asc" } });
    expect(stored.map((row) => (JSON.parse(row.payload) as OutboundMessage).kind)).toEqual(["photo", "reply"]);
  });

  it("when an agency has no earlier result, then the score has no change paragraph", async () => {
    const lead = await as("lead-hue");
    const text = textOf(messagesOf(await lead.send("điểm")));
    expect(text).toContain("Báo Huế Thử");
    expect(text).not.toContain("So với");
  });

  it("when a lead asks for the plan in words, then the biggest gaps come in one message with what full marks require", async () => {
    const lead = await as("lead-hue");
    const messages = messagesOf(await lead.send("kế hoạch"));
    expect(messages.length).toBe(1);
    expect(messages.every((m) => m.kind === "reply")).toBe(true);
    const text = textOf(messages);
    expect(text).toContain("KẾ HOẠCH CẢI THIỆN — Báo Huế Thử — Năm 2024");
    expect(text).toContain("Để đạt điểm tối đa: Đạt điểm tối đa khi");
    for (const message of messages) if (message.kind === "reply") expect(message.reply.text.length).toBeLessThan(2000);
  });

  it("when a member or lead uses supervisor commands, then they are refused and learn nothing about other agencies", async () => {
    const lead = await as("lead-bao");
    for (const message of ["tổng quan", "tổng quan Báo Huế Thử", "nhắc", "xuất báo cáo"]) {
      const messages = messagesOf(await lead.send(message));
      expect(messages.map((m) => m.kind)).toEqual(["reply"]);
      expect(textOf(messages)).toContain("chỉ dành cho cán bộ theo dõi");
      expect(textOf(messages)).not.toMatch(/Huế Thử|Tạp chí|Đài/);
    }
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "nudge:" } } })).toBe(0);
  });

  it("when a supervisor asks for the overview, then they see their province's agencies only, with status, score, level and unreachable people", async () => {
    const supervisor = await as("sup-hn");
    const text = textOf(messagesOf(await supervisor.send("tổng quan")));
    expect(text).toContain("TỔNG QUAN — Hà Nội — Năm 2024");
    expect(text).toContain("3 cơ quan: 1 đã nộp · 1 đang thực hiện · 1 chưa bắt đầu");
    const bao = scoreAssessment(seeded.definitions.def2024, seeded.values.bao2024);
    // Numbered by name, so a number keeps meaning the same agency; the demo agency inside the province is left out.
    expect(text).toContain(`1. Báo Kiểm Thử — ✅ đã nộp 09:30 04/11/2024 · ${vi(fromHundredths(bao.totalH))} điểm · ${bao.level.name.vi}`);
    expect(text).toMatch(/2\. Đài Phát thanh Thử — ⛔ chưa bắt đầu/);
    expect(text).toMatch(/3\. Tạp chí Thử Nghiệm — ⏳ đang thực hiện 23%/);
    expect(text).not.toContain("Dùng thử");
    expect(text).toContain("1 người không nhận được tin nhắn (đã chặn trợ lý): Lê Đã Chặn");
    expect(text).not.toContain("Huế");
    const hue = textOf(messagesOf(await (await as("sup-hue")).send("/overview")));
    expect(hue).toContain("Báo Huế Thử");
    expect(hue).not.toMatch(/Kiểm Thử|Tạp chí|Đài/);
  });

  it("when a supervisor names an agency of another province, then the refusal is word for word the one for an agency that does not exist", async () => {
    const supervisor = await as("sup-hn");
    const elsewhere = textOf(messagesOf(await supervisor.send("tổng quan Báo Huế Thử")));
    const nowhere = textOf(messagesOf(await supervisor.send("tổng quan Báo Không Tồn Tại")));
    expect(elsewhere.replace("Báo Huế Thử", "X")).toBe(nowhere.replace("Báo Không Tồn Tại", "X"));
    const own = textOf(messagesOf(await supervisor.send("tổng quan kiem thu")));
    expect(own).toContain("Báo Kiểm Thử — Năm 2024");
    expect(own).toContain("Trần Lãnh Đạo");
  });

  it("when a supervisor tries to answer or submit, then nothing changes", async () => {
    const supervisor = await as("sup-hn");
    const answersBefore = await database.db.answer.count();
    const statusBefore = await database.db.assessment.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } });
    for (const message of ["tiếp tục", "có", "/submit", "mở lại", "ghi chú xin sửa"]) {
      expect(textOf(messagesOf(await supervisor.send(message)))).toMatch(/chỉ dùng để xem|Tài khoản cán bộ theo dõi/);
    }
    expect(await database.db.answer.count()).toBe(answersBefore);
    expect(await database.db.assessment.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } })).toEqual(statusBefore);
  });

  it("when a supervisor nudges, then the unfinished agencies of their province get it now in each person's language, once a day", async () => {
    const supervisor = await as("sup-hn");
    const first = textOf(messagesOf(await supervisor.send("nhắc")));
    expect(first).toContain("Đã gửi lời nhắc tới 1 cơ quan (2 người): Tạp chí Thử Nghiệm");
    expect(first).toContain("1 cơ quan chưa có ai nhận được tin nhắn");
    const rows = await database.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "nudge:" } }, orderBy: { chatId: "asc" } });
    expect(rows.map((r) => [r.channel, r.chatId, r.status])).toEqual([
      ["zalo", "chat-lead-tapchi", "pending"],
      ["telegram", "chat-member-tapchi", "pending"],
    ]);
    expect(rows.every((r) => r.dedupeKey?.startsWith(`nudge:${seeded.agencies.tapChi.id}:2024-11-05:`))).toBe(true);
    const texts = rows.map((r) => (JSON.parse(r.payload) as { reply: { text: string } }).reply.text);
    expect(texts[0]).toContain("📣 Lời nhắc từ Đỗ Giám Sát, cán bộ theo dõi của Hà Nội: Tạp chí Thử Nghiệm chưa nộp");
    expect(texts[1]).toContain("Reminder from Đỗ Giám Sát, supervisor for Hà Nội: Tạp chí Thử Nghiệm has not submitted");

    const again = textOf(messagesOf(await (await as("sup-hn-2")).send("/nudge")));
    expect(again).toContain("1 cơ quan đã được nhắc hôm nay nên không nhắc lại: Tạp chí Thử Nghiệm");
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "nudge:" } } })).toBe(2);

    const nextDay = await as("sup-hn", new Date(NOW.getTime() + DAY_MS));
    expect(textOf(messagesOf(await nextDay.send("đôn đốc")))).toContain("Đã gửi lời nhắc tới 1 cơ quan");
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "nudge:" } } })).toBe(4);
    expect(await database.db.outboxMessage.count({ where: { chatId: "chat-lead-hue" } })).toBe(0);
  });

  it("when two supervisors of a province nudge at the same moment, then each agency is nudged once", async () => {
    const [a, b] = await Promise.all([as("sup-hn"), as("sup-hn-2")]);
    const results = await Promise.all([a.send("nhắc"), b.send("nhắc")]);
    expect(results.map((r) => r.kind)).toEqual(["handled", "handled"]);
    expect(await database.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "nudge:" } } })).toBe(2);
  });

  it("when a supervisor asks for the export, then a workbook of their province alone comes as a document", async () => {
    const supervisor = await as("sup-hn");
    const messages = messagesOf(await supervisor.send("xuất báo cáo"));
    expect(messages.map((m) => m.kind)).toEqual(["document"]);
    const [document] = messages;
    if (document?.kind !== "document") throw new Error("no document");
    expect(document.fileName).toBe("bao-cao-ha-noi-nam-2024.xlsx");
    expect(document.caption).toContain("Hà Nội — Năm 2024 (3 cơ quan)");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(document.file) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Tổng hợp", "1. Báo Kiểm Thử", "2. Đài Phát thanh Thử", "3. Tạp chí Thử Nghiệm", "Thông tin"]);
    const summary = workbook.getWorksheet("Tổng hợp");
    const names = [2, 3, 4].map((r) => summary?.getRow(r).getCell(3).value);
    expect(names).toEqual(["Báo Kiểm Thử", "Đài Phát thanh Thử", "Tạp chí Thử Nghiệm"]);
    const bao = scoreAssessment(seeded.definitions.def2024, seeded.values.bao2024);
    expect(summary?.getRow(2).getCell(12).value).toBe(fromHundredths(bao.totalH));
    expect(JSON.stringify(workbook.worksheets.map((w) => w.getSheetValues()))).not.toContain("Huế");
  });
});
