import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleInbound, type InboundDeps } from "../../src/app/handle-inbound.js";
import { renderNumbered } from "../../src/channels/numbered-render.js";
import type { Input } from "../../src/domain/conversation/input.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { GENERATED_DIR, inviteCode, seedAgency, typingClock } from "./conversation-fixture.js";
import { inboundStore } from "../../src/persistence/inbound-store.js";

/**
 * Every trap of issue 14, each played by a person through the real inbound path (the terminal chat's rendering, a
 * real database) and ending with the stored answers compared to what the person meant: no answer lost, moved or
 * changed without a word. Option ids are those of the shipped 2024 definition.
 */
type Step = string | Input;
interface Trap {
  readonly name: string;
  /** The person's messages, after linking as the agency's lead. */
  readonly steps: readonly Step[];
  /** Every stored answer afterwards: value, and the note when one is expected. */
  readonly stored: Readonly<Record<string, { readonly value: unknown; readonly note?: string }>>;
  /** Evidence rows afterwards, as criterion ids. */
  readonly evidence?: readonly string[];
  /** Text the last reply must hold (what the person is told). */
  readonly lastReply?: readonly string[];
}

const pick = (questionId: string, value: string): Input => ({ kind: "pick", questionId, value });
const photo: Input = { kind: "attachment", attachment: { kind: "photo", ref: "telegram:photo-1" } };
// P1.2.3's options, in order (5 options, so "Xong" is 6).
const [ads, paywall, events, licensing] = ["a", "b", "c", "d"];

const traps: readonly Trap[] = [
  { name: "a typed list with the Xong number inside (1 3 6)", steps: ["đến P1.2.3", "1 3 6"], stored: { "P1.2.3": { value: [ads, events] } } },
  { name: "a typed list ending with xong (2 3 4 xong)", steps: ["đến P1.2.3", "2 3 4 xong"], stored: { "P1.2.3": { value: [paywall, events, licensing] } } },
  { name: "a typed list with commas (1,3)", steps: ["đến P1.2.3", "1,3"], stored: { "P1.2.3": { value: [ads, events] } } },
  { name: "option texts typed as a list", steps: ["đến P1.2.3", "quảng cáo trực tuyến, khai thác bản quyền"], stored: { "P1.2.3": { value: [ads, licensing] } } },
  { name: "“không” on a several-choice question", steps: ["đến P1.2.3", "không"], stored: { "P1.2.3": { value: [] } } },
  { name: "“0” on a several-choice question", steps: ["đến P1.2.3", "0"], stored: { "P1.2.3": { value: [] } } },
  {
    name: "buttons ticked, then “tiếp tục”",
    steps: ["đến P1.2.3", pick("P1.2.3", "a"), pick("P1.2.3", "c"), "tiếp tục"],
    stored: { "P1.2.3": { value: [ads, events] } },
    lastReply: ["✓ Đã lưu các lựa chọn của P1.2.3"],
  },
  { name: "buttons ticked, then “bỏ qua”", steps: ["đến P1.2.3", pick("P1.2.3", "b"), "bỏ qua"], stored: { "P1.2.3": { value: [paywall] } } },
  { name: "buttons ticked, then a jump", steps: ["đến P1.2.3", pick("P1.2.3", "b"), "đến câu 1"], stored: { "P1.2.3": { value: [paywall] } }, lastReply: ["1/43 · P1.1.1"] },
  { name: "buttons ticked, then a menu button", steps: ["đến P1.2.3", pick("P1.2.3", "b"), pick("menu", "progress")], stored: { "P1.2.3": { value: [paywall] } } },
  { name: "buttons ticked and Xong stays a button", steps: ["đến P1.2.3", pick("P1.2.3", "a"), pick("P1.2.3", "done")], stored: { "P1.2.3": { value: [ads] } } },
  {
    name: "a revisit of a saved several-choice answer with a typed list",
    steps: ["đến P1.2.3", "1 2", "đến P1.2.3", "1 3"],
    stored: { "P1.2.3": { value: [ads, events] } },
    lastReply: ["Đã đổi P1.2.3: Quảng cáo trực tuyến; Dịch vụ truyền thông, sự kiện trực tuyến"],
  },
  {
    name: "a note right after answering (ghi chú …)",
    steps: ["tiếp tục", "Có", "ghi chú kinh phí 500 triệu"],
    stored: { "P1.1.1": { value: true, note: "kinh phí 500 triệu" } },
    lastReply: ["ghi chú cho P1.1.1", "2/43 (P1.1.2)"],
  },
  { name: "a note with a colon (ghi chú: …)", steps: ["tiếp tục", "có", "ghi chú: đã ký ngày 10/3"], stored: { "P1.1.1": { value: true, note: "đã ký ngày 10/3" } } },
  { name: "a note in short form (gc …)", steps: ["tiếp tục", "có", "gc có quyết định"], stored: { "P1.1.1": { value: true, note: "có quyết định" } } },
  { name: "a photo right after answering", steps: ["tiếp tục", "có", photo], stored: { "P1.1.1": { value: true } }, evidence: ["P1.1.1"], lastReply: ["minh chứng cho P1.1.1"] },
  { name: "a photo on the question showing", steps: ["tiếp tục", "có", "tiến độ", photo], stored: { "P1.1.1": { value: true } }, evidence: ["P1.1.2"] },
  { name: "“ko”", steps: ["tiếp tục", "ko"], stored: { "P1.1.1": { value: false } } },
  { name: "“k”", steps: ["tiếp tục", "k"], stored: { "P1.1.1": { value: false } } },
  { name: "“có ạ”", steps: ["tiếp tục", "có ạ"], stored: { "P1.1.1": { value: true } } },
  { name: "“khong co”", steps: ["tiếp tục", "khong co"], stored: { "P1.1.1": { value: false } } },
  { name: "“đc”", steps: ["tiếp tục", "đc"], stored: { "P1.1.1": { value: true } } },
  { name: "part of an option's text", steps: ["đến P2.1.3", "trung tâm dữ liệu"], stored: { "P2.1.3": { value: "c" } } },
  { name: "an ambiguous part of an option's text", steps: ["đến P1.1.2", "đã ban hành"], stored: {}, lastReply: ["khớp với các phương án 2, 3"] },
  { name: "“khoảng 80” on a percentage", steps: ["đến P1.1.3", "khoảng 80"], stored: { "P1.1.3": { value: 80 } } },
  { name: "“đến câu 5”, then an answer", steps: ["đến câu 5", "2"], stored: { "P1.2.2": { value: "b" } } },
  { name: "“câu 5”, then an answer", steps: ["câu 5", "2"], stored: { "P1.2.2": { value: "b" } } },
  { name: "“2.1.3” without the P, then an answer", steps: ["2.1.3", "3"], stored: { "P2.1.3": { value: "c" } } },
  { name: "“đến 5” (question or pillar?)", steps: ["tiếp tục", "đến 5"], stored: {}, lastReply: ["câu 5 hay trụ cột 5"] },
  { name: "“english”, then an answer", steps: ["english", "tiếp tục", "yes"], stored: { "P1.1.1": { value: true } }, lastReply: ["2/43 · P1.1.2 · 3 points"] },
  { name: "an invite code typed by a linked person", steps: ["tiếp tục", "K7M2Q-9XWDA"], stored: {}, lastReply: ["đã được liên kết"] },
  {
    name: "an old question's button",
    steps: ["tiếp tục", "có", "1", pick("P1.1.1", "no")],
    stored: { "P1.1.1": { value: false }, "P1.1.2": { value: "a" } },
    lastReply: ["Đã đổi P1.1.1: Không", "3/43 · P1.1.3"],
  },
  {
    name: "“mở lại”, then “có”",
    steps: ["tiếp tục", "có", "nộp", "có", "mở lại"],
    stored: { "P1.1.1": { value: true } },
    lastReply: ["Đã mở lại", "2/43 · P1.1.2"],
  },
];

describe.each(databaseKinds)("the traps of a whole assessment on $name", (kind) => {
  let database: TestDatabase;
  let deps: InboundDeps;
  beforeAll(async () => {
    database = await kind.open();
    await seedAgency(database, "Báo Mẫu");
    deps = { port: inboundStore(database), db: database.db, translator: await createTranslator(), defaultLocale: "vi", clock: typingClock(), dataDir: GENERATED_DIR };
  });
  afterAll(async () => {
    await database.close();
  });

  it.each(traps.map((trap, i) => [trap.name, i] as const))("when %s, then the stored answers are what the person meant", async (_name, i) => {
    const trap = traps[i];
    if (!trap) throw new Error("no such trap");
    const { agency } = await addAgency(database.db, { name: `Báo Bẫy ${i}`, province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
    const user = `trap-${i}`;
    const send = async (input: Step): Promise<string> => {
      const result = await handleInbound(deps, {
        channel: "console",
        eventKey: randomUUID(),
        externalUserId: user,
        chatId: user,
        displayName: user,
        input: typeof input === "string" ? { kind: "text", text: input } : input,
      });
      if (result.kind !== "handled") throw new Error("unexpected duplicate");
      return result.outbox.map((e) => (e.message.kind === "reply" ? renderNumbered(e.message.reply) : e.message.kind === "photo" || e.message.kind === "document" ? e.message.caption : "")).join("\n\n");
    };
    await send(await inviteCode(database.db, agency.id, "lead"));
    let last = "";
    for (const step of trap.steps) last = await send(step);
    for (const phrase of trap.lastReply ?? []) expect(last).toContain(phrase);

    const rows = await database.db.answer.findMany({ where: { assessment: { agencyId: agency.id } } });
    const stored = Object.fromEntries(rows.map((r) => [r.criterionId, { value: r.value === null ? null : (JSON.parse(r.value) as unknown), ...(r.note === null ? {} : { note: r.note }) }]));
    expect(stored).toEqual(trap.stored);
    const evidence = await database.db.evidence.findMany({ where: { assessment: { agencyId: agency.id } } });
    expect(evidence.map((e) => e.criterionId)).toEqual(trap.evidence ?? []);
  });
});
