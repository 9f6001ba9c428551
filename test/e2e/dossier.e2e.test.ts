import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { ZALO_SECRET_HEADER } from "../../src/channels/zalo/zalo-adapter.js";
import { TELEGRAM_LIMITS, ZALO_LIMITS } from "../../src/domain/delivery/send-policy.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import type { Db, Store } from "../../src/persistence/database.js";
import { createInvite } from "../../src/persistence/invite-store.js";
import { inviteCode, NOW, seedAgency } from "../app/conversation-fixture.js";
import { startFakeTelegram, type FakeTelegram, type UploadedFile } from "../support/fake-telegram.js";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";
import { startService, type RunningService } from "../support/service-harness.js";
import { pdfOf } from "./upload-fixture.js";

/**
 * “hồ sơ” over both webhooks, the service whole: a lead on Telegram gets their agency's ZIP as a document, a lead and
 * a province supervisor on Zalo get an expiring link to it (Zalo bots send no documents), and a supervisor of another
 * province is refused — each ZIP read back.
 */

const TG_TOKEN = "123:DOSSIER";
const TG_SECRET = "dossier-tg-secret";
const ZALO_TOKEN = "777:dossier";
const ZALO_SECRET = "dossier-zalo-secret";
const PUBLIC = "https://bot.example.vn";

let telegram: FakeTelegram;
let zalo: FakeZalo;
let running: RunningService;
let db: Db;
let store: Store;
let dataDir: string;
let hanoiAgencyId: string;
let danangAgencyId: string;
const bytes = { hanoi: pdfOf(200_000), danang: pdfOf(50_000) };
let updateId = 1;
let zaloMessage = 0;

async function telegramSays(chat: number, text: string): Promise<void> {
  const update = { update_id: ++updateId, message: { message_id: updateId, date: Math.floor(NOW.getTime() / 1000), from: { id: chat, is_bot: false, first_name: `P${chat}` }, chat: { id: chat, type: "private" }, text } };
  const res = await fetch(`${running.url}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: TG_SECRET }, body: JSON.stringify(update) });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  await running.service.deliverer.deliverDue();
}

async function zaloSays(user: string, text: string): Promise<string[]> {
  const before = zalo.sentTexts(user).length;
  zaloMessage += 1;
  const body = { event_name: "message.text.received", message: { from: { id: user, display_name: user, is_bot: false }, chat: { id: user, chat_type: "PRIVATE" }, message_id: `dm${zaloMessage}`, date: NOW.getTime() + zaloMessage * 3000, text } };
  const res = await fetch(`${running.url}/webhooks/zalo`, { method: "POST", headers: { "content-type": "application/json", [ZALO_SECRET_HEADER]: ZALO_SECRET }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  await running.service.deliverer.deliverDue();
  return zalo.sentTexts(user).slice(before);
}

/** A stored PDF on one criterion of an agency's assessment, as the upload page or a chat leaves it. */
async function storeEvidence(agencyId: string, name: string, pdf: Buffer): Promise<void> {
  const period = await db.assessmentPeriod.findFirstOrThrow({ where: { demo: false } });
  const assessment = await db.assessment.upsert({ where: { agencyId_periodId: { agencyId, periodId: period.id } }, create: { agencyId, periodId: period.id }, update: {} });
  const person = await db.person.create({ data: { displayName: "Người tải tệp" } });
  const stored = `${agencyId}.pdf`;
  mkdirSync(path.join(dataDir, "evidence"), { recursive: true });
  writeFileSync(path.join(dataDir, "evidence", stored), pdf);
  await db.evidence.create({ data: { assessmentId: assessment.id, criterionId: "P1.1.1", kind: "document", channel: "web", ref: `file:evidence/${stored}`, fileName: name, addedById: person.id } });
}

/** The ZIP behind a link the service sent on Zalo, fetched from the service itself. */
async function zipFromLink(texts: readonly string[]): Promise<JSZip> {
  const link = texts.join("\n").match(/https:\/\/bot\.example\.vn(\/files\/\S+)/)?.[1];
  if (link === undefined) throw new Error(`no link in ${texts.join(" | ")}`);
  const res = await fetch(`${running.url}${link}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/zip");
  return JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
}

const entries = (zip: JSZip): string[] => Object.keys(zip.files).filter((name) => !zip.files[name]?.dir);

beforeAll(async () => {
  telegram = await startFakeTelegram();
  zalo = await startFakeZalo({ token: ZALO_TOKEN });
  let offset = 0;
  const fast = { burst: 1000, perSecond: 1000 };
  running = await startService(
    { TELEGRAM_BOT_TOKEN: TG_TOKEN, TELEGRAM_WEBHOOK_SECRET: TG_SECRET, TELEGRAM_API_ROOT: telegram.url, ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_WEBHOOK_SECRET: ZALO_SECRET, ZALO_API_BASE: zalo.url, PUBLIC_URL: PUBLIC },
    { clock: () => new Date(NOW.getTime() + (offset += 3000)), deliveryLimits: { telegram: { ...TELEGRAM_LIMITS, chat: fast }, zalo: { ...ZALO_LIMITS, chat: fast } } },
  );
  db = running.service.database.db;
  store = running.service.database;
  const target = running.service.database.target;
  dataDir = path.dirname(target.kind === "sqlite" ? target.file : "");
  hanoiAgencyId = (await seedAgency(store)).agency.id;
  danangAgencyId = (await addAgency(db, { name: "Báo Đà Nẵng Thử", province: "Đà Nẵng", group: "local-newspaper", type: "newspaper" })).agency.id;
  await storeEvidence(hanoiAgencyId, "Kế hoạch CĐS Hà Nội.pdf", bytes.hanoi);
  await storeEvidence(danangAgencyId, "Kế hoạch CĐS Đà Nẵng.pdf", bytes.danang);
  await telegramSays(5200000001, `/start ${await inviteCode(db, hanoiAgencyId, "lead")}`);
  await telegramSays(5200000002, `/start ${await inviteCode(db, hanoiAgencyId, "member")}`);
  await zaloSays("zlead", await inviteCode(db, danangAgencyId, "lead"));
  await zaloSays("zsup", (await createInvite(db, { kind: "province", province: "Hà Nội", role: "supervisor" }, { now: NOW })).code);
  await telegramSays(5200000003, `/start ${(await createInvite(db, { kind: "province", province: "Đà Nẵng", role: "supervisor" }, { now: NOW })).code}`);
});

afterAll(async () => {
  await running?.close();
  await telegram?.close();
  await zalo?.close();
});

describe("the dossier over the webhooks", () => {
  it("when a lead on Telegram types “hồ sơ”, then the ZIP of their agency arrives as a document and holds its files byte for byte", async () => {
    await telegramSays(5200000001, "hồ sơ");
    const sent = telegram.sent("sendDocument").filter((c) => c.body.chat_id === 5200000001);
    expect(sent).toHaveLength(1);
    const document = sent[0]?.body.document as UploadedFile;
    expect(document.filename).toBe("ho-so-Báo Kiểm Thử.zip");
    expect(document.head).toBe("PK\u0003\u0004");
    expect(String(sent[0]?.body.caption)).toContain("Hồ sơ tự đánh giá — Báo Kiểm Thử");
    // The bytes the fake received were read from this file: the one the outbox holds.
    const row = await db.outboxMessage.findFirstOrThrow({ where: { chatId: "5200000001", payload: { contains: '"kind":"document"' } } });
    const file = (JSON.parse(row.payload) as { file: string }).file;
    expect(readFileSync(file).length).toBe(document.bytes);
    const zip = await JSZip.loadAsync(readFileSync(file));
    expect(entries(zip)).toEqual(["00-tong-hop.xlsx", "P1.1.1/01-Kế hoạch CĐS Hà Nội.pdf"]);
    expect(await zip.file("P1.1.1/01-Kế hoạch CĐS Hà Nội.pdf")?.async("nodebuffer")).toEqual(bytes.hanoi);
  });

  it("when a member asks, then they are told only the lead receives it, and no file is sent", async () => {
    await telegramSays(5200000002, "hồ sơ");
    expect(telegram.sent("sendDocument").filter((c) => c.body.chat_id === 5200000002)).toEqual([]);
    const last = telegram.sent("sendMessage").filter((c) => c.body.chat_id === 5200000002).at(-1);
    expect(String(last?.body.text)).toContain("Chỉ lãnh đạo phụ trách");
  });

  it("when a lead on Zalo types “hồ sơ”, then an expiring link brings their own agency's ZIP, and nothing of another agency", async () => {
    const texts = await zaloSays("zlead", "hồ sơ");
    expect(texts.join("\n")).toContain("dùng được trong 24 giờ");
    const zip = await zipFromLink(texts);
    expect(entries(zip)).toEqual(["00-tong-hop.xlsx", "P1.1.1/01-Kế hoạch CĐS Đà Nẵng.pdf"]);
    expect(await zip.file("P1.1.1/01-Kế hoạch CĐS Đà Nẵng.pdf")?.async("nodebuffer")).toEqual(bytes.danang);
  });

  it("when a supervisor on Zalo asks for an agency of their province by name, then its ZIP comes as a link", async () => {
    const texts = await zaloSays("zsup", "hồ sơ Báo Kiểm Thử");
    const zip = await zipFromLink(texts);
    expect(entries(zip)).toEqual(["00-tong-hop.xlsx", "P1.1.1/01-Kế hoạch CĐS Hà Nội.pdf"]);
  });

  it("when a supervisor asks for an agency of another province, by name or by number, then it is not found and nothing is sent", async () => {
    const documents = telegram.sent("sendDocument").length;
    await telegramSays(5200000003, "hồ sơ Báo Kiểm Thử");
    await telegramSays(5200000003, "/dossier 2");
    const replies = telegram.sent("sendMessage").filter((c) => c.body.chat_id === 5200000003).slice(-2).map((c) => String(c.body.text));
    expect(replies).toEqual([expect.stringContaining("Không tìm thấy cơ quan “Báo Kiểm Thử”"), expect.stringContaining("Không tìm thấy cơ quan “2”")]);
    expect(replies.every((text) => !text.includes("ho-so"))).toBe(true);
    expect(telegram.sent("sendDocument")).toHaveLength(documents);
    // Their own province's agency, number 1 of their overview, is theirs to take.
    await telegramSays(5200000003, "/dossier 1");
    const own = telegram.sent("sendDocument").filter((c) => c.body.chat_id === 5200000003);
    expect((own[0]?.body.document as UploadedFile | undefined)?.filename).toBe("ho-so-Báo Đà Nẵng Thử.zip");
  });
});
