import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteCode, seedAgency, typingClock } from "../app/conversation-fixture.js";
import { startFakeZalo, TINY_JPEG, type FakeZalo } from "../support/fake-zalo.js";
import { startService, type RunningService } from "../support/service-harness.js";

/** Issue 26, item 7, over the Zalo webhook: voice messages, a photo that cannot be fetched, an image without an id. */
const TOKEN = "zalo-inputs-token";
const SECRET = "zalo-inputs-secret";
const USER = "zl-inputs-lead";

describe("Zalo messages that are not plain text, over the webhook", () => {
  let fake: FakeZalo;
  let images: Server;
  let imagesUrl: string;
  let running: RunningService;
  let counter = 0;

  beforeAll(async () => {
    fake = await startFakeZalo({ token: TOKEN });
    images = createServer((req, res) => {
      if (req.url === "/ok.jpg") {
        res.writeHead(200, { "content-type": "image/jpeg" });
        res.end(TINY_JPEG);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
    imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    running = await startService(
      { ZALO_BOT_TOKEN: TOKEN, ZALO_WEBHOOK_SECRET: SECRET, ZALO_API_BASE: fake.url, ZALO_DOWNLOAD_ALLOW_PRIVATE: "true" },
      { clock: typingClock() },
    );
    const { agency } = await seedAgency(running.service.database);
    expect(await say({ text: await inviteCode(running.service.database.db, agency.id, "lead") })).toContain("Đã liên kết");
    expect(await say({ text: "tiếp tục" })).toContain("P1.1.1");
  });
  afterAll(async () => {
    await running?.close();
    await fake?.close();
    images?.closeAllConnections();
    await new Promise((resolve) => images?.close(resolve));
  });

  async function say(message: Record<string, unknown>, event = "message.text.received", withId = true): Promise<string> {
    counter += 1;
    const before = fake.sentTexts(USER).length;
    const res = await fetch(`${running.url}/webhooks/zalo`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-bot-api-secret-token": SECRET },
      body: JSON.stringify({
        event_name: event,
        message: {
          from: { id: USER, display_name: "Lan", is_bot: false },
          chat: { id: USER, chat_type: "PRIVATE" },
          date: 1730775600000 + counter * 3000,
          ...(withId ? { message_id: `in${counter}` } : {}),
          ...message,
        },
      }),
    });
    expect(res.status).toBe(200);
    await running.service.deliverer.deliverDue();
    return fake.sentTexts(USER).slice(before).join("\n\n");
  }

  it("when a voice message arrives, then the person is asked to type", async () => {
    expect(await say({ url: "https://example.invalid/v.aac" }, "message.voice.received")).toContain("tin nhắn thoại");
  });

  it("when a photo cannot be fetched, then the person is told so and its caption becomes a note when they agree", async () => {
    const reply = await say({ photo_url: `${imagesUrl}/gone.jpg`, caption: "Quyết định 45/QĐ" }, "message.image.received");
    expect(reply).toContain("chưa tải được ảnh");
    expect(reply).toContain("Quyết định 45/QĐ");
    expect(reply).not.toContain("chỉ đọc được tin nhắn chữ");
    expect(await say({ text: "1" })).toContain("Đã lưu ghi chú cho P1.1.1");
    expect(await running.service.database.db.answer.findFirst({ where: { criterionId: "P1.1.1" } })).toMatchObject({ note: "Quyết định 45/QĐ" });
  });

  it("when an image comes without message_id, then it is kept as evidence, once however often it is redelivered", async () => {
    const image = { photo_url: `${imagesUrl}/ok.jpg`, caption: "Ảnh hội nghị", date: 1730775600000 };
    expect(await say(image, "message.image.received", false)).toContain("Đã lưu ảnh làm minh chứng");
    expect(await say(image, "message.image.received", false)).toBe("");
    expect(await running.service.database.db.evidence.count({ where: { caption: "Ảnh hội nghị" } })).toBe(1);
  });
});
