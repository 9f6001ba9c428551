import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "../../../test/support/fake-telegram.js";
import { MissingCapabilityError, SendError, type ParsedUpdate, type SendFailure } from "../channel.js";
import { createTelegramAdapter, TELEGRAM_SECRET_HEADER, type TelegramAdapter } from "./telegram-adapter.js";
import { redactToken } from "./telegram-errors.js";

const TOKEN = "123456:AAH-secret_TOKEN-value";
const SECRET = "s3cret-value";

/** The first bytes of a PNG: enough for the fake to tell what was uploaded. */
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

let fake: FakeTelegram;
let adapter: TelegramAdapter;
let dir: string;
let png: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "pdx-tg-"));
  png = path.join(dir, "score-card.png");
  writeFileSync(png, PNG_BYTES);
  fake = await startFakeTelegram();
  adapter = createTelegramAdapter({ token: TOKEN, webhookSecret: SECRET, apiRoot: fake.url, sendDeadlineMs: 1_500 });
});
afterEach(() => fake.clear());
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const reply = { kind: "reply", reply: { text: "Câu 1/43\n\nCó hay không?", choices: [{ value: "yes", label: "Có", selected: false }, { value: "no", label: "Không", selected: false }], questionId: "P1.1.1" } } as const;

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SendError) return error;
    throw error;
  }
  throw new Error("expected a SendError");
}

describe("verify", () => {
  it.each<[string, Record<string, string | string[] | undefined>, boolean]>([
    ["the right secret", { [TELEGRAM_SECRET_HEADER]: SECRET }, true],
    ["a wrong secret of the same length", { [TELEGRAM_SECRET_HEADER]: "s3cret-valuX" }, false],
    ["a longer secret", { [TELEGRAM_SECRET_HEADER]: `${SECRET}x` }, false],
    ["an empty header", { [TELEGRAM_SECRET_HEADER]: "" }, false],
    ["no header", {}, false],
    ["the header twice", { [TELEGRAM_SECRET_HEADER]: [SECRET, SECRET] }, false],
  ])("when the request carries %s, then verify says %s", (_case, headers, expected) => {
    expect(adapter.verify(headers)).toBe(expected);
  });

  it("when no webhook secret is configured (polling mode), then every webhook request is refused", () => {
    const polling = createTelegramAdapter({ token: TOKEN, apiRoot: fake.url });
    expect(polling.verify({ [TELEGRAM_SECRET_HEADER]: "" })).toBe(false);
    expect(polling.verify({ [TELEGRAM_SECRET_HEADER]: SECRET })).toBe(false);
  });
});

describe("send", () => {
  it("when a question is sent, then sendMessage gets plain text, no parse mode and the inline keyboard", async () => {
    await adapter.send("5123456789", reply);
    expect(fake.calls.map((c) => [c.method, c.token])).toEqual([["sendMessage", TOKEN]]);
    expect(fake.calls[0]?.body).toEqual({
      chat_id: 5123456789,
      text: "Câu 1/43\n\nCó hay không?",
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: "Có", callback_data: "1|P1.1.1|yes" }, { text: "Không", callback_data: "1|P1.1.1|no" }]] },
    });
  });

  it("when a reply is longer than 4,096 characters, then it goes out as several messages in order", async () => {
    const text = Array.from({ length: 120 }, (_, i) => `Dòng ${i}: ${"chữ ".repeat(12).trim()}`).join("\n");
    await adapter.send("-100200", { kind: "reply", reply: { text, choices: [], questionId: undefined } });
    const sent = fake.sent("sendMessage");
    expect(sent.length).toBe(2);
    expect(sent.map((c) => c.body.chat_id)).toEqual([-100200, -100200]);
    expect(sent.map((c) => String(c.body.text)).join("\n")).toBe(text);
  });

  it("when a generated picture is sent, then it is uploaded with sendPhoto and its caption", async () => {
    await adapter.send("42", { kind: "photo", file: png, caption: "Điểm: 73,5/100" });
    expect(fake.calls.map((c) => [c.method, c.body])).toEqual([
      ["sendPhoto", { chat_id: 42, photo: { filename: "score-card.png", bytes: PNG_BYTES.length, head: "\x89PNG" }, caption: "Điểm: 73,5/100" }],
    ]);
  });

  it("when a report is sent, then it is uploaded with sendDocument under the name the recipient should see", async () => {
    await adapter.send("42", { kind: "document", file: png, fileName: "bao-cao-ha-noi-2024.xlsx", caption: "Báo cáo tỉnh" });
    expect(fake.calls.map((c) => c.method)).toEqual(["sendDocument"]);
    expect(fake.calls[0]?.body).toMatchObject({ chat_id: 42, document: { filename: "bao-cao-ha-noi-2024.xlsx" }, caption: "Báo cáo tỉnh" });
  });

  it("when a caption is longer than Telegram allows, then the file goes without it and the text follows", async () => {
    const caption = "x ".repeat(700).trim();
    await adapter.send("42", { kind: "photo", file: png, caption });
    expect(fake.calls.map((c) => c.method)).toEqual(["sendPhoto", "sendMessage"]);
    expect(fake.calls[0]?.body).not.toHaveProperty("caption");
    expect(fake.calls[1]?.body.text).toBe(caption);
  });

  it("when the file to upload does not exist, then the send is rejected for good and Telegram is not called", async () => {
    const error = await sendError(adapter.send("42", { kind: "photo", file: path.join(dir, "missing.png"), caption: "" }));
    expect(error.reason).toBe("rejected");
    expect(fake.calls).toEqual([]);
  });

  it("when an upload meets a 429, then it fails as throttled after one call, and the next try uploads the same file", async () => {
    fake.failNext("sendPhoto", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const error = await sendError(adapter.send("42", { kind: "photo", file: png, caption: "" }));
    expect(error).toMatchObject({ reason: "throttled", retryAfterMs: 1000 });
    await adapter.send("42", { kind: "photo", file: png, caption: "" });
    expect(fake.calls.map((c) => c.outcome)).toEqual([429, "ok"]);
    expect(fake.sent("sendPhoto")[0]?.body.photo).toMatchObject({ bytes: PNG_BYTES.length });
  });

  it("when Telegram says 429 with a short retry_after, then the adapter does not wait it out itself (the outbox's policy pauses the chat)", async () => {
    fake.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const error = await sendError(adapter.send("42", reply));
    expect(error).toMatchObject({ reason: "throttled", retryAfterMs: 1000 });
    expect(fake.calls.map((c) => c.outcome)).toEqual([429]);
  });

  it.each<[string, { error_code: number; description: string; retry_after?: number }, SendFailure, number | undefined]>([
    ["429 with a long retry_after", { error_code: 429, description: "Too Many Requests: retry after 35", retry_after: 35 }, "throttled", 35_000],
    ["403 (blocked by the user)", { error_code: 403, description: "Forbidden: bot was blocked by the user" }, "blocked", undefined],
    ["400 (bad request)", { error_code: 400, description: "Bad Request: chat not found" }, "rejected", undefined],
    ["500 (server error)", { error_code: 500, description: "Internal Server Error" }, "network", undefined],
    ["502 (bad gateway)", { error_code: 502, description: "Bad Gateway" }, "network", undefined],
  ])("when Telegram answers %s, then the send fails as %s", async (_case, failure, reason, retryAfterMs) => {
    fake.failNext("sendMessage", failure);
    const error = await sendError(adapter.send("42", reply));
    expect(error.reason).toBe(reason);
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.retryable).toBe(reason === "throttled" || reason === "network");
    expect(error.message).toContain(failure.description);
    expect(fake.calls).toHaveLength(1);
  });

  it("when the connection breaks and keeps breaking, then the send gives up within its deadline as a network failure without the token", async () => {
    fake.failNext("sendMessage", "drop", 10);
    const started = Date.now();
    const error = await sendError(adapter.send("42", reply));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.reason).toBe("network");
    expect(`${error.message}\n${error.stack ?? ""}`).not.toContain(TOKEN);
    expect(`${error.message}\n${error.stack ?? ""}`).not.toContain("AAH-secret");
  });

  it("when the API cannot be reached at all, then the error names the method but never the token", async () => {
    const unreachable = createTelegramAdapter({ token: TOKEN, webhookSecret: SECRET, apiRoot: "http://127.0.0.1:1", sendDeadlineMs: 500 });
    const error = await sendError(unreachable.send("42", reply));
    expect(error.reason).toBe("network");
    expect(error.message).toContain("sendMessage");
    expect(error.message).not.toContain(TOKEN);
  });
});

describe("capabilities", () => {
  it("when no data directory is set, then file ids are stored as they are: the adapter says it fetches nothing, and resolving throws", () => {
    expect(adapter.capabilities).toEqual({ buttons: true, textLimitChars: 4096, tapAnswers: true, tapAnswerInWebhookReply: true, polling: true, fetchesAttachments: false });
    expect(() => adapter.resolveAttachment("telegram:abc")).toThrow(MissingCapabilityError);
  });

  it("when a data directory is set, then attachments are fetched into it", () => {
    expect(createTelegramAdapter({ token: TOKEN, apiRoot: fake.url, dataDir: dir }).capabilities.fetchesAttachments).toBe(true);
  });
});

describe("answerCallback", () => {
  it("when a callback query is answered, then answerCallbackQuery gets its id", async () => {
    await adapter.answerCallback({ id: "4382137469812653921" });
    expect(fake.calls.map((c) => [c.method, c.body])).toEqual([["answerCallbackQuery", { callback_query_id: "4382137469812653921" }]]);
  });

  it("when a tap has a notice longer than Telegram's 200 characters, then it is shown cut with an ellipsis", async () => {
    const notice = `Đã đánh dấu 9 phương án (bấm “Xong” để lưu): ${"Quảng cáo trực tuyến; ".repeat(12)}`;
    await adapter.answerCallback({ id: "77", text: notice });
    const text = String(fake.calls[0]?.body.text);
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text.length).toBeGreaterThan(190);
    expect(text.endsWith("…")).toBe(true);
    expect(notice.startsWith(text.slice(0, -1).trimEnd())).toBe(true);
  });

  it("when the webhook response carries the answer, then it holds the notice and the id", () => {
    expect(adapter.callbackWebhookReply({ id: "9", text: "  Đã đánh dấu 1 phương án (bấm “Xong” để lưu): Quảng cáo  " })).toEqual({ method: "answerCallbackQuery", callback_query_id: "9", text: "Đã đánh dấu 1 phương án (bấm “Xong” để lưu): Quảng cáo" });
    expect(adapter.callbackWebhookReply({ id: "9", text: " " })).toEqual({ method: "answerCallbackQuery", callback_query_id: "9" });
  });

  it("when the query has expired, then the error is swallowed", async () => {
    fake.failNext("answerCallbackQuery", { error_code: 400, description: "Bad Request: query is too old and response timeout expired or query ID is invalid" });
    await expect(adapter.answerCallback({ id: "1" })).resolves.toBeUndefined();
  });
});

describe("startPolling", () => {
  const update = (id: number, text: string) => ({ update_id: id, message: { message_id: id, date: 1, chat: { id: 42, type: "private" }, from: { id: 42, is_bot: false, first_name: "A" }, text } });

  it("when updates arrive, then the webhook is removed first, each batch is handed over, and the offset moves only after it resolved", async () => {
    const batches: ParsedUpdate[][] = [];
    let failOnce = true;
    fake.queueUpdates(update(10, "một"), update(11, "hai"));
    const polling = adapter.startPolling(async (updates) => {
      batches.push(updates);
      if (failOnce) {
        failOnce = false;
        throw new Error("database busy");
      }
    });
    const pollingAdapter = createTelegramAdapter({ token: TOKEN, apiRoot: fake.url });
    expect(pollingAdapter.capabilities.polling).toBe(true);
    await expect.poll(() => batches.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    fake.queueUpdates(update(12, "ba"));
    await expect.poll(() => batches.flat().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    await polling.stop();

    expect(fake.calls[0]?.method).toBe("deleteWebhook");
    expect(fake.calls[0]?.body).toEqual({ drop_pending_updates: false });
    // The failed batch came again (same update ids), then the next one alone.
    expect(batches.map((b) => b.map((u) => (u.kind === "event" ? u.eventKey : u.kind)))).toEqual([["10", "11"], ["10", "11"], ["12"]]);
    const polls = fake.sent("getUpdates").map((c) => c.body);
    expect(polls[0]).toMatchObject({ allowed_updates: ["message", "callback_query", "my_chat_member"] });
    expect(polls.map((b) => b.offset)).toContain(12);
    expect(polls.map((b) => b.offset)).toContain(13);
  });

  it("when stop() is called while waiting for updates, then the loop ends promptly", async () => {
    const polling = adapter.startPolling(async () => undefined);
    await expect.poll(() => fake.sent("getUpdates").length, { timeout: 5_000 }).toBeGreaterThan(0);
    const started = Date.now();
    await polling.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("redactToken", () => {
  it.each([
    [`request to http://127.0.0.1:8081/bot${TOKEN}/sendMessage failed`, "request to http://127.0.0.1:8081/bot<token>/sendMessage failed"],
    ["request to https://api.telegram.org/bot987:OTHER_token-x/getMe failed", "request to https://api.telegram.org/bot<token>/getMe failed"],
    ["/bot987%3AOTHER/getMe", "/bot<token>/getMe"],
    ["nothing secret here", "nothing secret here"],
  ])("when a message reads %j, then it becomes %j", (text, expected) => {
    expect(redactToken(text, TOKEN)).toBe(expected);
  });
});
