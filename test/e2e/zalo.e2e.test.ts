import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadDefinitionFile, SHIPPED_DEFINITIONS_DIR } from "../../src/definitions/definition-files.js";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import type { AnswerValue } from "../../src/domain/questionnaire/answer-value.js";
import { listCriteria } from "../../src/domain/questionnaire/definition-index.js";
import type { Criterion } from "../../src/domain/questionnaire/definition-schema.js";
import { fromHundredths } from "../../src/domain/questionnaire/hundredths.js";
import { scoreAssessment } from "../../src/domain/questionnaire/scoring.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import { ZALO_LIMITS } from "../../src/domain/delivery/send-policy.js";
import { createService, type Service } from "../../src/service.js";
import { inviteCode, seedAgency, typingClock } from "../app/conversation-fixture.js";
import { startFakeZalo, TINY_JPEG, type FakeZalo } from "../support/fake-zalo.js";
import { LogCapture } from "../support/service-harness.js";
import { expectSameReadings } from "./reading-examples.js";

const TOKEN = "zalo-test-token";
const SECRET = "zalo-secret-1";

const definition = loadDefinitionFile(path.join(SHIPPED_DEFINITIONS_DIR, "press-dx-1827-2024.json"));

/**
 * What a person types for criterion number i, mixing numbered replies, typed numbers and words, and the value the
 * scoring should receive for it.
 */
function scripted(criterion: Criterion, i: number): { lines: string[]; value: AnswerValue } {
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      // "1" is Có and "2" is Không in the numbered list; every third answer is typed as a word instead.
      if (i % 3 === 0) return { lines: ["không"], value: false };
      return i % 2 === 0 ? { lines: ["1"], value: true } : { lines: ["2"], value: false };
    case "choice": {
      const n = (i % spec.options.length) + 1;
      return { lines: [String(n)], value: spec.options[n - 1]?.id ?? "" };
    }
    case "multi": {
      // A typed list saves at once; a trailing "xong" or the number of the "Xong" line inside it is ignored.
      const done = i % 3 === 0 ? "" : i % 3 === 1 ? " xong" : ` ${spec.options.length + 1}`;
      return { lines: [`1 3${done}`], value: [spec.options[0]?.id ?? "", spec.options[2]?.id ?? ""] };
    }
    case "number":
      return spec.unit === "percent" ? { lines: ["45,5%"], value: 45.5 } : { lines: ["1.000"], value: 1000 };
  }
}

let fake: FakeZalo;
let server: Server;
let service: Service;
let baseUrl: string;
let dir: string;
const logs = new LogCapture();
/** The agency whose lead answers the whole assessment, and a second one for the other cases. */
let leadAgencyId: string;
let otherAgencyId: string;

beforeAll(async () => {
  fake = await startFakeZalo({ token: TOKEN });
  dir = mkdtempSync(path.join(tmpdir(), "pdx-zalo-e2e-"));
  // The port is known before the service is built, so PUBLIC_URL can name it.
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    DATABASE_URL: `file:${path.join(dir, "data", "app.db")}`,
    ZALO_BOT_TOKEN: TOKEN,
    ZALO_WEBHOOK_SECRET: SECRET,
    ZALO_API_BASE: fake.url,
    // The fake platform serves its images on loopback, which downloads refuse by default.
    ZALO_DOWNLOAD_ALLOW_PRIVATE: "true",
    PUBLIC_URL: baseUrl,
    PORT: "0",
    LOG_LEVEL: "debug",
  });
  // The person here answers as fast as the service replies, far above a chat's one a second: the per-chat pace is
  // lifted (its arithmetic is tested in send-policy.test.ts).
  service = await createService(config, { logger: pino({ level: "debug" }, logs), clock: typingClock(), deliveryLimits: { zalo: { ...ZALO_LIMITS, chat: { burst: 1000, perSecond: 1000 } } } });
  server.on("request", service.app);
  leadAgencyId = (await seedAgency(service.database)).agency.id;
  otherAgencyId = (await addAgency(service.database.db, { name: "Tạp chí Minh Chứng", province: "Hà Nội", group: "magazine", type: "magazine" })).agency.id;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await service.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

let messageCounter = 0;

interface EventOptions {
  readonly wrapped?: boolean;
  readonly chatType?: "PRIVATE" | "GROUP";
  readonly chatId?: string;
}

/** A webhook body as the platform sends it; wrapped and flat alternate unless chosen. */
function zaloEvent(userId: string, event: string, fields: Record<string, unknown>, options: EventOptions = {}): Record<string, unknown> {
  messageCounter += 1;
  const body = {
    event_name: event,
    message: {
      from: { id: userId, display_name: `Người dùng ${userId}`, is_bot: false },
      chat: { id: options.chatId ?? userId, chat_type: options.chatType ?? "PRIVATE" },
      message_id: `msg${messageCounter.toString().padStart(6, "0")}`,
      date: 1730775600000 + messageCounter * 3000,
      ...fields,
    },
  };
  const wrapped = options.wrapped ?? messageCounter % 2 === 0;
  return wrapped ? { ok: true, result: body } : body;
}

const textEvent = (userId: string, text: string, options?: EventOptions) => zaloEvent(userId, "message.text.received", { text }, options);

async function post(body: unknown, headers: Record<string, string> = { "x-bot-api-secret-token": SECRET }): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/zalo`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Posts one event, waits for the outbox, and returns the texts sent to the chat because of it. */
async function deliver(body: Record<string, unknown>, chatId: string): Promise<string[]> {
  const before = fake.sentTexts(chatId).length;
  const res = await post(body);
  expect(res.status).toBe(200);
  await service.deliverer.deliverDue();
  return fake.sentTexts(chatId).slice(before);
}

/** A person linked to the second agency by typing an invite code, as every person starts. */
async function linkedMember(userId: string): Promise<string> {
  expect(await say(userId, await inviteCode(service.database.db, otherAgencyId, "member"))).toContain("Đã liên kết");
  return userId;
}

const say = async (userId: string, text: string, options?: EventOptions): Promise<string> =>
  (await deliver(textEvent(userId, text, options), options?.chatId ?? userId)).join("\n\n");

describe("Zalo end to end over real HTTP against a fake platform", () => {
  it("when a lead links by typing the invite code and answers all 43 criteria by number and word, then the score matches the scoring", async () => {
    const code = await inviteCode(service.database.db, leadAgencyId, "lead");
    const lead = "zl-lead-0001";
    expect(await say(lead, code)).toContain("Đã liên kết tài khoản với Báo Kiểm Thử (lãnh đạo phụ trách");
    const sentBefore = fake.sentTexts(lead).length;
    const first = await say(lead, "tiếp tục");
    expect(first).toContain("1/43 · P1.1.1");
    expect(first).toContain("\n1. Có\n2. Không");

    const answers = new Map<string, AnswerValue>();
    const criteria = listCriteria(definition);
    expect(criteria).toHaveLength(43);
    let last = "";
    for (const [i, { criterion }] of criteria.entries()) {
      const step = scripted(criterion, i);
      answers.set(criterion.id, step.value);
      for (const line of step.lines) last = await say(lead, line);
      expect(last, `after ${criterion.id}`).toMatch(/^✓ /);
      if (i + 1 < criteria.length) expect(last, `after ${criterion.id}`).toContain(`${i + 2}/43 · `);
    }
    expect(last).toContain("Đơn vị đã trả lời tất cả các tiêu chí");
    expect(await service.database.db.answer.count()).toBe(43);
    // One Zalo message per question on this path (the first question, then each confirmation with the next one).
    expect((fake.sentTexts(lead).length - sentBefore) / criteria.length).toBeLessThanOrEqual(1.05);

    const expected = scoreAssessment(definition, answers);
    const photosBefore = fake.calls.filter((c) => c.method === "sendPhoto").length;
    const scoreText = await say(lead, "điểm");
    // The score card goes out with sendPhoto, whose URL is served by this service under PUBLIC_URL.
    const photos = fake.calls.filter((c) => c.method === "sendPhoto" && c.status === 200).slice(photosBefore);
    expect(photos).toHaveLength(1);
    const photoUrl = String(photos[0]?.body.photo);
    expect(photoUrl.startsWith(`${baseUrl}/files/`)).toBe(true);
    const image = await fetch(photoUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString("latin1")).toBe("PNG");
    const score = `${String(photos[0]?.body.caption ?? "")}\n${scoreText}`;
    const total = /Tổng điểm: ([\d,]+)\/100 · Mức: (.+)/.exec(score);
    expect(total?.[1]).toBe(String(fromHundredths(expected.totalH)).replace(".", ","));
    expect(total?.[2]).toBe(expected.level.name.vi);
    for (const text of fake.sentTexts(lead)) expect(text.length).toBeLessThanOrEqual(2000);
  });

  it("when a photo arrives while a criterion is open, then it is downloaded, stored as evidence with a file: ref and its caption, and confirmed", async () => {
    const member = await linkedMember("zl-evidence-01");
    expect(await say(member, "tiếp tục")).toContain("1/43 · P1.1.1");
    const photoUrl = fake.serveFile("ke-hoach-cds-2024.jpg", TINY_JPEG, "image/jpeg");
    const reply = await deliver(zaloEvent(member, "message.image.received", { photo_url: photoUrl, caption: " Kế hoạch CĐS 2024 " }, { wrapped: false }), member);
    expect(reply.join("\n")).toContain("Đã lưu ảnh làm minh chứng cho P1.1.1");
    expect(reply.join("\n")).toContain("Kèm mô tả: “Kế hoạch CĐS 2024”.");
    const assessment = await service.database.db.assessment.findFirstOrThrow({ where: { agencyId: otherAgencyId } });
    const evidence = await service.database.db.evidence.findMany({ where: { assessmentId: assessment.id } });
    expect(evidence).toMatchObject([{ criterionId: "P1.1.1", kind: "photo", channel: "zalo", fileName: "ke-hoach-cds-2024.jpg", caption: "Kế hoạch CĐS 2024" }]);
    const ref = evidence[0]?.ref ?? "";
    // Relative to the data directory: a restored backup or a moved volume keeps the reference valid.
    expect(ref).toMatch(/^file:evidence\/[0-9a-f]{32}\.jpg$/);
    const file = path.join(dir, "data", ref.slice("file:".length));
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).equals(TINY_JPEG)).toBe(true);

    // Redelivered, the image is neither downloaded nor stored again.
    const event = zaloEvent(member, "message.image.received", { photo_url: photoUrl }, { wrapped: false });
    const first = await post(event);
    expect(first.status).toBe(200);
    const filesBefore = readdirSync(path.join(dir, "data", "evidence")).length;
    expect((await post(event)).status).toBe(200);
    expect(readdirSync(path.join(dir, "data", "evidence"))).toHaveLength(filesBefore);
    expect(await service.database.db.evidence.count({ where: { assessmentId: assessment.id } })).toBe(2);
  });

  it("when a member types issue 21's examples in their own words, then each is read exactly as in the terminal chat", async () => {
    const member = await linkedMember("zl-own-words");
    await expectSameReadings(service.database.db, otherAgencyId, (text) => say(member, text));
    // A move in a sentence, on a numbered platform: after P5.1.2 was answered (P5.1.3 showing), the previous one.
    expect(await say(member, "quay lại câu trước")).toContain("P5.1.2");
  });

  it("when the same event is delivered twice, then the second delivery is acknowledged and changes and sends nothing", async () => {
    const user = "zl-redelivery";
    const body = textEvent(user, "xin chào");
    const first = await deliver(body, user);
    expect(first.join("\n")).toContain("trợ lý tự động");
    const processed = await service.database.db.processedUpdate.count();
    const outbox = await service.database.db.outboxMessage.count();
    expect(await deliver(body, user)).toEqual([]);
    // The same message in the other body shape is the same delivery, too.
    const other = "result" in body ? body.result : { ok: true, result: body };
    expect(await deliver(other as Record<string, unknown>, user)).toEqual([]);
    expect(await service.database.db.processedUpdate.count()).toBe(processed);
    expect(await service.database.db.outboxMessage.count()).toBe(outbox);
  });

  it.each<[string, Record<string, string>]>([
    ["a wrong secret", { "x-bot-api-secret-token": "zalo-secret-2" }],
    ["no secret", {}],
    ["Telegram's header", { "x-telegram-bot-api-secret-token": SECRET }],
  ])("when a request carries %s, then it is refused with 401 and nothing is stored", async (_case, headers) => {
    const processed = await service.database.db.processedUpdate.count();
    const res = await post(textEvent("zl-intruder", "điểm"), headers);
    expect(res.status).toBe(401);
    expect(await service.database.db.processedUpdate.count()).toBe(processed);
    expect(await service.database.db.chatIdentity.count({ where: { externalUserId: "zl-intruder" } })).toBe(0);
  });

  it("when the body is not valid JSON, then the answer is 400", async () => {
    const res = await post('{"event_name": "message.text.received", "message": {');
    expect(res.status).toBe(400);
  });

  it.each([
    ["a sticker", "message.sticker.received", { sticker: "bfe458bf64fa8da4d4eb" }],
    ["an unsupported message", "message.unsupported.received", {}],
  ])("when %s arrives, then the person is told kindly what the assistant understands", async (_case, event, fields) => {
    const user = await linkedMember(`zl-${event.split(".")[1] ?? "x"}`);
    const reply = await deliver(zaloEvent(user, event, fields), user);
    expect(reply.join("\n")).toContain("Trợ lý chỉ đọc được tin nhắn chữ");
  });

  it("when someone starts the bot in a group chat, then the group gets a hint to write privately and other talk is ignored", async () => {
    const group = { chatType: "GROUP", chatId: "zl-group-chat" } as const;
    expect(await say("zl-group-member", "/start", group)).toContain("nhắn riêng cho trợ lý");
    expect(await say("zl-group-member", "điểm", group)).toBe("");
  });

  it("when the platform answers 429 once, then the reply is delivered exactly once after a retry", async () => {
    const user = "zl-throttled";
    fake.failNext({ status: 429, method: "sendMessage" });
    const reply = await say(user, "xin chào");
    expect(reply).toContain("trợ lý tự động");
    const calls = fake.calls.filter((c) => c.method === "sendMessage" && c.body.chat_id === user);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(fake.sentTexts(user)).toHaveLength(1);
  });

  it("when the platform answers 403 (the person blocked the bot), then the identity is marked unreachable", async () => {
    const user = "zl-blocked";
    fake.failNext({ status: 403, method: "sendMessage" });
    expect(await say(user, "xin chào")).toBe("");
    const identity = await service.database.db.chatIdentity.findFirstOrThrow({ where: { channel: "zalo", externalUserId: user } });
    expect(identity.reachable).toBe(false);
  });

  it("when an unknown public file is asked for, then the answer is 404", async () => {
    const res = await fetch(`${baseUrl}/files/${(Date.now() + 1e6).toString(36)}-${"0".repeat(48)}.png`);
    expect(res.status).toBe(404);
  });

  it("when everything above has run, then the token never appeared in the logs", () => {
    expect(logs.text().length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain(TOKEN);
  });
});

describe("Zalo polling (ZALO_MODE=polling) for local development", () => {
  it("when the service polls, then the webhook is deleted first and a queued message gets its reply", async () => {
    const polled = await startFakeZalo({ token: TOKEN, pollWaitMs: 50 });
    const pollDir = mkdtempSync(path.join(tmpdir(), "pdx-zalo-poll-"));
    const config = loadConfig({
      DATABASE_URL: `file:${path.join(pollDir, "app.db")}`,
      ZALO_BOT_TOKEN: TOKEN,
      ZALO_API_BASE: polled.url,
      ZALO_MODE: "polling",
      LOG_LEVEL: "silent",
    });
    const polling = await createService(config, { clock: typingClock() });
    try {
      polling.start();
      polled.queueUpdate(textEvent("zl-poller", "xin chào", { wrapped: true }));
      const deadline = Date.now() + 10_000;
      while (polled.sentTexts("zl-poller").length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(polled.calls[0]?.method).toBe("deleteWebhook");
      expect(polled.sentTexts("zl-poller").join("\n")).toContain("trợ lý tự động");
    } finally {
      await polling.close();
      await polled.close();
      rmSync(pollDir, { recursive: true, force: true });
    }
  });
});
