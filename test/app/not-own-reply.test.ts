import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTelegramUpdate } from "../../src/channels/telegram/parse.js";
import type { Input } from "../../src/domain/conversation/input.js";
import { MAX_MESSAGE_CHARS } from "../../src/domain/conversation/step.js";
import { storableText } from "../../src/domain/text/clean-text.js";
import type { Db, Store } from "../../src/persistence/db-client.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { chatter, inviteCode, seedAgency } from "./conversation-fixture.js";

/**
 * Issue 26, items 5, 7 and 9 through the real inbound path: what reaches a person's conversation without being their
 * own reply (forwarded messages, a photo that could not be fetched, a voice message), and long texts cut on whole
 * characters. Each scenario has a lead of an agency of its own, on question P1.1.1.
 */
describe.each(databaseKinds)("messages that are not the person's own reply, on $name", (kind) => {
  let database: TestDatabase;
  let db: Db;
  let store: Store;
  let count = 0;

  beforeAll(async () => {
    database = await kind.open();
    db = database.db;
    store = database;
    await seedAgency(store, "Báo Chuyển Tiếp 0");
  });
  afterAll(async () => {
    await database?.close();
  });

  async function leadAtFirstQuestion() {
    count += 1;
    const { agency } = await addAgency(db, { name: `Báo Chuyển Tiếp ${count}`, province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
    const person = await chatter(store, `fwd-${count}`);
    expect(await person.say(await inviteCode(db, agency.id, "lead"))).toContain("Đã liên kết");
    expect(await person.say("/continue")).toContain("P1.1.1");
    const assessment = await db.assessment.findFirstOrThrow({ where: { agencyId: agency.id } });
    const answer = () => db.answer.findUnique({ where: { assessmentId_criterionId: { assessmentId: assessment.id, criterionId: "P1.1.1" } } });
    const evidence = () => db.evidence.findMany({ where: { assessmentId: assessment.id } });
    const reply = async (input: Input) => {
      const result = await person.send(input);
      return result.kind === "handled" ? result.outbox.map((e) => (e.message.kind === "reply" ? e.message.reply.text : "")).join("\n\n") : "";
    };
    return { ...person, reply, answer, evidence, agencyId: agency.id };
  }

  it("when a forwarded channel post says “Có”, then it is not the answer; kept as a note when the person agrees", async () => {
    const lead = await leadAtFirstQuestion();
    const offered = await lead.reply({ kind: "text", text: "Có", forwarded: true });
    expect(offered).toContain("tin nhắn được chuyển tiếp");
    expect(offered).toContain("làm ghi chú cho P1.1.1");
    expect(await lead.answer()).toBeNull();
    expect(await lead.say("có")).toContain("Đã lưu ghi chú cho P1.1.1");
    expect(await lead.answer()).toMatchObject({ value: null, note: "Có" });
  });

  it("when a forwarded text is a command, then it is not carried out", async () => {
    const lead = await leadAtFirstQuestion();
    const reply = await lead.reply({ kind: "text", text: "/submit", forwarded: true });
    expect(reply).toContain("tin nhắn được chuyển tiếp");
    expect(reply).not.toContain("nộp");
    expect(await lead.say("không")).toContain("Đã bỏ qua");
    expect(await lead.answer()).toBeNull();
  });

  it("when a forwarded file is offered as evidence, then “không” keeps nothing and “có” keeps it", async () => {
    const lead = await leadAtFirstQuestion();
    const file = { kind: "document", ref: "telegram:doc-1", fileName: "ke-hoach.pdf" } as const;
    expect(await lead.reply({ kind: "attachment", attachment: file, forwarded: true })).toContain("làm minh chứng cho P1.1.1");
    expect(await lead.say("2")).toContain("Đã bỏ qua");
    expect(await lead.evidence()).toHaveLength(0);
    await lead.reply({ kind: "attachment", attachment: file, forwarded: true });
    expect(await lead.say("có")).toContain("Đã lưu tệp làm minh chứng cho P1.1.1");
    expect(await lead.evidence()).toMatchObject([{ criterionId: "P1.1.1", ref: "telegram:doc-1", fileName: "ke-hoach.pdf" }]);
  });

  it("when an offer is left unanswered and the person goes on, then the offer is dropped and the message handled as usual", async () => {
    const lead = await leadAtFirstQuestion();
    await lead.reply({ kind: "text", text: "Có", forwarded: true });
    expect(await lead.say("/progress")).not.toContain("ghi chú");
    expect(await lead.say("có")).toMatch(/✓ Có/);
    expect(await lead.answer()).toMatchObject({ value: "true", note: null });
  });

  it("when a forwarded text arrives while the submission waits for “có”, then “có” keeps the note and never submits", async () => {
    const lead = await leadAtFirstQuestion();
    expect(await lead.say("/submit")).toContain("chắc chắn muốn nộp");
    expect(await lead.reply({ kind: "text", text: "Có", forwarded: true })).toContain("làm ghi chú cho P1.1.1");
    expect(await lead.say("có")).toContain("Đã lưu ghi chú cho P1.1.1");
    expect(await lead.say("có")).not.toContain("Đã nộp");
    expect(await db.assessment.findFirstOrThrow({ where: { agencyId: lead.agencyId } })).toMatchObject({ status: "draft" });
  });

  it("when the person asked to write a note and then forwards its text, then it is offered as that note", async () => {
    const lead = await leadAtFirstQuestion();
    expect(await lead.say("có")).toContain("P1.1.2");
    expect(await lead.say("/note")).toContain("P1.1.1");
    expect(await lead.reply({ kind: "text", text: "Theo Quyết định 12", forwarded: true })).toContain("làm ghi chú cho P1.1.1");
    expect(await lead.say("có")).toContain("Đã lưu ghi chú cho P1.1.1");
    expect(await lead.answer()).toMatchObject({ value: "true", note: "Theo Quyết định 12" });
    // The note is written: the next reply answers the question showing (P1.1.2), it is not a second note.
    expect(await lead.say("1")).toMatch(/✓ /);
    expect(await lead.answer()).toMatchObject({ note: "Theo Quyết định 12" });
  });

  it("when a photo could not be fetched, then the person is told so and its caption is offered as a note, not lost", async () => {
    const lead = await leadAtFirstQuestion();
    const reply = await lead.reply({ kind: "unsupported", failed: { kind: "unavailable", what: "photo", caption: "Quyết định 123/QĐ" } });
    expect(reply).toContain("chưa tải được ảnh");
    expect(reply).toContain("Quyết định 123/QĐ");
    expect(reply).not.toContain("chỉ đọc được tin nhắn chữ");
    expect(await lead.say("1")).toContain("Đã lưu ghi chú cho P1.1.1");
    expect(await lead.answer()).toMatchObject({ note: "Quyết định 123/QĐ" });
  });

  it("when a voice message arrives, then the person is asked to type", async () => {
    const lead = await leadAtFirstQuestion();
    expect(await lead.reply({ kind: "unsupported", failed: { kind: "voice" } })).toContain("tin nhắn thoại");
  });

  it("when a note is longer than the limit and the cut falls inside an emoji, then it is cut before the emoji and stored", async () => {
    const lead = await leadAtFirstQuestion();
    const head = "ghi chú: ";
    const body = `${"a".repeat(MAX_MESSAGE_CHARS - head.length - 1)}${"😀".repeat(25)}x`;
    expect(head.length + body.length).toBe(4050);
    const reply = await lead.say(`${head}${body}`);
    expect(reply).toContain("Đã lưu ghi chú cho P1.1.1");
    const note = (await lead.answer())?.note ?? "";
    expect(note).toBe("a".repeat(MAX_MESSAGE_CHARS - head.length - 1));
    expect(storableText(note)).toBe(note);
  });

  it("when a photo's caption is long and full of emoji, then the photo is kept with its caption cut on a whole character", async () => {
    const lead = await leadAtFirstQuestion();
    const [event] = parseTelegramUpdate({
      update_id: 1,
      message: { message_id: 1, from: { id: 5, is_bot: false, first_name: "L" }, chat: { id: 5, type: "private" }, photo: [{ file_id: "ph-1", file_unique_id: "u" }], caption: `x${"📷".repeat(600)}` },
    });
    if (event?.kind !== "event") throw new Error("not an event");
    expect(await lead.reply(event.input)).toContain("Đã lưu ảnh làm minh chứng");
    const [kept] = await lead.evidence();
    expect(kept?.caption).toBe(`x${"📷".repeat(511)}`);
  });
});
