import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPublicFiles } from "../../../src/app/public-files.js";
import { SendError, type ParsedUpdate, type SendFailure } from "../../../src/channels/channel.js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AttachmentDownloadError, downloadToDir, extensionFor } from "../../../src/channels/zalo/download.js";
import { isReservedAddress } from "../../../src/channels/zalo/download-guard.js";
import { createZaloAdapter, toSendError, type ZaloAdapter } from "../../../src/channels/zalo/zalo-adapter.js";
import { createZaloClient } from "../../../src/channels/zalo/zalo-client.js";
import { ZaloApiError, ZaloTransportError } from "../../../src/channels/zalo/zalo-errors.js";
import { startFakeZalo, TINY_JPEG, type FakeZalo } from "../../support/fake-zalo.js";

const TOKEN = "1234567890:adapter-test-token";
const SECRET = "zalo-secret-1";

let fake: FakeZalo;
let evidenceDir: string;
let adapter: ZaloAdapter;
let scoreCard: string;
let report: string;

beforeAll(async () => {
  fake = await startFakeZalo({ token: TOKEN, pollWaitMs: 50 });
  evidenceDir = mkdtempSync(path.join(tmpdir(), "pdx-zalo-evidence-"));
  scoreCard = path.join(evidenceDir, "score-card.png");
  writeFileSync(scoreCard, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  report = path.join(evidenceDir, "report.xlsx");
  writeFileSync(report, "PK");
  adapter = createZaloAdapter({
    publicFiles: createPublicFiles({ dir: path.join(evidenceDir, "public"), publicUrl: "https://pdx.example.vn" }),
    token: TOKEN,
    webhookSecret: SECRET,
    apiBase: fake.url,
    evidenceDir,
    client: createZaloClient({ token: TOKEN, apiBase: fake.url, sleep: async () => undefined }),
    maxDownloadBytes: 64 * 1024,
    // The fake platform serves its images on loopback, which downloads refuse by default.
    download: { allowPrivateNetwork: true },
    sleep: async () => undefined,
  });
});
afterAll(async () => {
  await fake.close();
  rmSync(evidenceDir, { recursive: true, force: true });
});
afterEach(() => {
  fake.calls.length = 0;
});

describe("verifying webhook requests", () => {
  it.each<[string, Record<string, string | string[] | undefined>, boolean]>([
    ["the right secret", { "x-bot-api-secret-token": SECRET }, true],
    ["a wrong secret of the same length", { "x-bot-api-secret-token": "zalo-secret-2" }, false],
    ["a prefix of the secret", { "x-bot-api-secret-token": "zalo-secret" }, false],
    ["a longer secret", { "x-bot-api-secret-token": `${SECRET}x` }, false],
    ["an empty header", { "x-bot-api-secret-token": "" }, false],
    ["no header", {}, false],
    ["the header twice", { "x-bot-api-secret-token": [SECRET, SECRET] }, false],
    ["Telegram's header", { "x-telegram-bot-api-secret-token": SECRET }, false],
  ])("when a request carries %s, then verify says %s", (_case, headers, expected) => {
    expect(adapter.verify(headers)).toBe(expected);
  });

  it("when no webhook secret is configured, then every request is refused", () => {
    const open = createZaloAdapter({ token: TOKEN, webhookSecret: undefined, apiBase: fake.url, evidenceDir });
    expect(open.verify({ "x-bot-api-secret-token": "" })).toBe(false);
    expect(open.verify({ "x-bot-api-secret-token": "anything-at-all" })).toBe(false);
  });

  it("when asked, then the adapter says Zalo has no buttons and a 2,000-character limit", () => {
    expect(adapter.capabilities).toEqual({ buttons: false, textLimitChars: 2000, tapAnswers: false, tapAnswerInWebhookReply: false, polling: true, fetchesAttachments: true });
    expect(adapter.channel).toBe("zalo");
  });
});

describe("sending", () => {
  it("when a reply with choices is sent, then one sendMessage carries the text and numbered choices", async () => {
    await adapter.send("u1", {
      kind: "reply",
      reply: { text: "Câu 1/43", choices: [{ value: "yes", label: "Có", selected: false }, { value: "no", label: "Không", selected: false }], questionId: "P1.1.1" },
    });
    expect(fake.calls.map((c) => c.body)).toEqual([{ chat_id: "u1", text: "Câu 1/43\n\n1. Có\n2. Không" }]);
  });

  it("when a reply is longer than 2,000 characters, then it goes out as several messages in order", async () => {
    const text = Array.from({ length: 100 }, (_, i) => `Dòng ${i + 1} ${"x".repeat(40)}`).join("\n");
    await adapter.send("u1", { kind: "reply", reply: { text, choices: [], questionId: undefined } });
    const texts = fake.sentTexts("u1");
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join("\n")).toBe(text);
  });

  it("when a generated photo is sent, then it is published under PUBLIC_URL and sendPhoto carries that URL and the caption", async () => {
    await adapter.send("u1", { kind: "photo", file: scoreCard, caption: "Kết quả" });
    expect(fake.calls.map((c) => c.method)).toEqual(["sendPhoto"]);
    expect(fake.calls[0]?.body).toEqual({ chat_id: "u1", photo: expect.stringMatching(/^https:\/\/pdx\.example\.vn\/files\/[0-9a-z]+-[0-9a-f]{48}\.png$/), caption: "Kết quả" });
  });

  it("when a photo's caption is longer than 2,000 characters, then the rest follows as text", async () => {
    const caption = Array.from({ length: 80 }, (_, i) => `Trụ cột ${i}: ${"x".repeat(30)}`).join("\n");
    await adapter.send("u1", { kind: "photo", file: scoreCard, caption });
    expect(fake.calls.map((c) => c.method)).toEqual(["sendPhoto", "sendMessage"]);
    expect([fake.calls[0]?.body.caption, fake.calls[1]?.body.text].join("\n")).toBe(caption);
  });

  it("when a document is sent, then Zalo gets the caption and a download link ending in the file's name", async () => {
    await adapter.send("u1", { kind: "document", file: report, fileName: "bao-cao-ha-noi.xlsx", caption: "Báo cáo tỉnh" });
    expect(fake.calls.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(fake.calls[0]?.body.text).toMatch(/^Báo cáo tỉnh\n\nhttps:\/\/pdx\.example\.vn\/files\/[0-9a-z]+-[0-9a-f]{48}\.xlsx\/bao-cao-ha-noi\.xlsx$/);
  });

  it.each<[string, () => ZaloAdapter, string]>([
    ["no public file store", () => createZaloAdapter({ token: TOKEN, webhookSecret: SECRET, apiBase: fake.url, evidenceDir }), "/tmp/x.png"],
    [
      "no PUBLIC_URL",
      () => createZaloAdapter({ token: TOKEN, webhookSecret: SECRET, apiBase: fake.url, evidenceDir, publicFiles: createPublicFiles({ dir: path.join(evidenceDir, "p2"), publicUrl: undefined }) }),
      "/tmp/x.png",
    ],
    ["a file that does not exist", () => adapter, path.join(tmpdir(), "does-not-exist.png")],
  ])("when a photo cannot be published (%s), then send fails as rejected and nothing is sent", async (_case, make, file) => {
    const error = await make().send("u1", { kind: "photo", file, caption: "x" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "SendError", reason: "rejected" });
    expect(fake.calls).toEqual([]);
  });

  it.each<[number, SendFailure, boolean]>([
    [429, "throttled", true],
    [403, "blocked", false],
    [400, "rejected", false],
    [401, "rejected", false],
    [500, "network", true],
  ])("when the platform keeps answering %i, then send throws SendError %s (retryable: %s)", async (status, reason, retryable) => {
    // Retryable failures are tried three times by the client; the others once.
    for (let i = 0; i < (retryable ? 3 : 1); i += 1) fake.failNext({ status: status as 429 | 403 | 400 | 401 | 500 });
    const error = await adapter.send("u1", { kind: "reply", reply: { text: "a", choices: [], questionId: undefined } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ reason, retryable });
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect(fake.calls.map((c) => c.status)).toEqual(Array.from({ length: retryable ? 3 : 1 }, () => status));
  });

  it("when one 429 is followed by success, then the message is delivered exactly once", async () => {
    fake.failNext({ status: 429 });
    await adapter.send("u9", { kind: "reply", reply: { text: "một lần", choices: [], questionId: undefined } });
    expect(fake.sentTexts("u9")).toEqual(["một lần"]);
  });
});

describe("classifying failures", () => {
  it.each<[string, unknown, SendFailure, number | undefined]>([
    ["429", new ZaloApiError("sendMessage", 429, "x"), "throttled", undefined],
    ["429 with Retry-After", new ZaloApiError("sendMessage", 429, "x", 30_000), "throttled", 30_000],
    ["403", new ZaloApiError("sendMessage", 403, "x"), "blocked", undefined],
    ["400", new ZaloApiError("sendMessage", 400, "x"), "rejected", undefined],
    ["401", new ZaloApiError("sendMessage", 401, "x"), "rejected", undefined],
    ["404", new ZaloApiError("sendMessage", 404, "x"), "rejected", undefined],
    ["408", new ZaloApiError("sendMessage", 408, "x"), "network", undefined],
    ["500", new ZaloApiError("sendMessage", 500, "x"), "network", undefined],
    ["503", new ZaloApiError("sendMessage", 503, "x"), "network", undefined],
    ["a timeout", new ZaloTransportError("sendMessage", "timeout", "x"), "network", undefined],
    ["a reset connection", new ZaloTransportError("sendMessage", "network", "ECONNRESET"), "network", undefined],
    ["a malformed answer", new ZaloTransportError("sendMessage", "malformed", "x"), "network", undefined],
    ["an unexpected error", new Error("boom"), "network", undefined],
  ])("when the client fails with %s, then the send error is %s", (_case, error, reason, retryAfterMs) => {
    const mapped = toSendError(error);
    expect(mapped).toBeInstanceOf(SendError);
    expect(mapped.reason).toBe(reason);
    expect(mapped.retryAfterMs).toBe(retryAfterMs);
  });
});

describe("keeping evidence photos", () => {
  it("when an image URL is resolved, then the file is downloaded under a random name and referenced as file:", async () => {
    const url = fake.serveFile("ke-hoach.jpg", TINY_JPEG, "image/jpeg");
    const resolved = await adapter.resolveAttachment(url);
    expect(resolved.fileName).toBe("ke-hoach.jpg");
    expect(resolved.ref).toMatch(/^file:.*[0-9a-f]{32}\.jpg$/);
    const file = resolved.ref.slice("file:".length);
    expect(path.dirname(file)).toBe(path.resolve(evidenceDir));
    expect(readFileSync(file).equals(TINY_JPEG)).toBe(true);
  });

  it("when a reference root is given, then the stored reference is relative to it", async () => {
    const rooted = createZaloAdapter({ token: TOKEN, webhookSecret: SECRET, apiBase: fake.url, evidenceDir: path.join(evidenceDir, "evidence"), refRoot: evidenceDir, download: { allowPrivateNetwork: true } });
    const resolved = await rooted.resolveAttachment(fake.serveFile("tuong-doi.jpg", TINY_JPEG, "image/jpeg"));
    expect(resolved.ref).toMatch(/^file:evidence\/[0-9a-f]{32}\.jpg$/);
    expect(readFileSync(path.join(evidenceDir, resolved.ref.slice("file:".length))).equals(TINY_JPEG)).toBe(true);
  });

  it("when the platform's URL has no usable name, then the stored name is used and the bytes pick the extension", async () => {
    const url = fake.serveFile("download", TINY_JPEG, "application/octet-stream");
    const resolved = await adapter.resolveAttachment(`${url}?token=abc`);
    expect(resolved.fileName).toMatch(/^[0-9a-f]{32}\.jpg$/);
  });

  it.each<[string, () => string, AttachmentDownloadError["reason"]]>([
    ["the image is larger than the cap", () => fake.serveFile("huge.jpg", Buffer.concat([TINY_JPEG, Buffer.alloc(100 * 1024)]), "image/jpeg"), "too-large"],
    ["the URL has expired (404)", () => `${fake.url}/files/expired.jpg`, "unavailable"],
    ["the URL is not http(s)", () => "file:///etc/passwd", "invalid-url"],
    ["the text is not a URL", () => "not a url", "invalid-url"],
  ])("when %s, then resolving fails with a typed error and nothing is stored", async (_case, url, reason) => {
    const before = readdirSync(evidenceDir).length;
    const error = await adapter.resolveAttachment(url()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachmentDownloadError);
    expect(error).toMatchObject({ reason });
    expect(readdirSync(evidenceDir)).toHaveLength(before);
  });

  it.each<[string, Buffer, string | undefined, string, string]>([
    ["JPEG bytes", TINY_JPEG, "image/png", "/a.png", ".jpg"],
    ["PNG bytes", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), undefined, "/a", ".png"],
    ["unknown bytes, declared webp", Buffer.from("xxxx"), "image/webp; charset=binary", "/a", ".webp"],
    ["unknown bytes, .jpeg in the URL", Buffer.from("xxxx"), undefined, "/photo.JPEG", ".jpg"],
    ["unknown bytes, nothing known", Buffer.from("xxxx"), "text/html", "/a.exe", ".bin"],
  ])("when a download holds %s, then the extension is as expected", (_case, data, type, pathname, expected) => {
    expect(extensionFor(data, type, pathname)).toBe(expected);
  });
});

describe("polling", () => {
  it("when polling starts, then the webhook is deleted, queued updates are parsed and handed over, and stop ends the loop", async () => {
    const received: ParsedUpdate[] = [];
    fake.queueUpdate({ event_name: "message.text.received", message: { message_id: "p1", from: { id: "u1" }, chat: { id: "u1", chat_type: "PRIVATE" }, text: "tiếp tục" } });
    fake.queueUpdate({ event_name: "user.follow", message: { message_id: "p2", from: { id: "u1" }, chat: { id: "u1" } } });
    const poller = adapter.startPolling(async (updates) => {
      received.push(...updates);
    });
    const deadline = Date.now() + 5000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await poller.stop();
    expect(fake.calls[0]?.method).toBe("deleteWebhook");
    expect(received).toEqual([
      { kind: "event", eventKey: "message.text.received:u1:u1:p1", legacyEventKey: "message.text.received:p1", externalUserId: "u1", chatId: "u1", chatType: "private", input: { kind: "text", text: "tiếp tục" } },
      { kind: "ignored", reason: "event user.follow" },
    ]);
    // The fake records a call when it answers, so let the aborted last poll be recorded first.
    await new Promise((r) => setTimeout(r, 100));
    const callsAfterStop = fake.calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.calls.length).toBe(callsAfterStop);
  });

  it("when handling a polled update fails, then the same update is handed over again, not lost", async () => {
    const errors: unknown[] = [];
    const attempts: ParsedUpdate[][] = [];
    const polling = createZaloAdapter({
      token: TOKEN, webhookSecret: undefined, apiBase: fake.url, evidenceDir,
      onPollError: (error) => errors.push(error),
      sleep: async () => undefined,
    });
    fake.queueUpdate({ event_name: "message.text.received", message: { message_id: "keep-1", from: { id: "u7" }, chat: { id: "u7", chat_type: "PRIVATE" }, text: "có" } });
    const poller = polling.startPolling(async (updates) => {
      attempts.push(updates);
      if (attempts.length === 1) throw new Error("database unavailable");
    });
    const deadline = Date.now() + 5000;
    while (attempts.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await poller.stop();
    expect(errors).toHaveLength(1);
    expect(attempts.slice(0, 2).map((batch) => batch.map((u) => (u.kind === "event" ? u.eventKey : u.kind)))).toEqual([
      ["message.text.received:u7:u7:keep-1"],
      ["message.text.received:u7:u7:keep-1"],
    ]);
    // Let the fake finish the aborted long poll, so it does not take the next test's update.
    await new Promise((r) => setTimeout(r, 150));
  });

  it("when a poll fails, then the error is reported and polling goes on", async () => {
    const errors: unknown[] = [];
    const received: ParsedUpdate[] = [];
    const polling = createZaloAdapter({
      token: TOKEN,
      webhookSecret: undefined,
      apiBase: fake.url,
      evidenceDir,
      client: createZaloClient({ token: TOKEN, apiBase: fake.url, retry: { attempts: 1 } }),
      onPollError: (error) => errors.push(error),
      sleep: async () => undefined,
    });
    fake.failNext({ status: 401, method: "getUpdates" });
    fake.queueUpdate({ event_name: "message.sticker.received", message: { message_id: "p3", from: { id: "u1" }, chat: { id: "u1", chat_type: "PRIVATE" } } });
    const poller = polling.startPolling(async (updates) => {
      received.push(...updates);
    });
    const deadline = Date.now() + 5000;
    while (received.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await poller.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ errorCode: 401 });
    expect(received).toMatchObject([{ eventKey: "message.sticker.received:u1:u1:p3", input: { kind: "unsupported" } }]);
  });

  it("when the evidence folder does not exist yet, then it is created on the first download", async () => {
    const fresh = path.join(evidenceDir, "nested", "evidence");
    const a = createZaloAdapter({ token: TOKEN, webhookSecret: SECRET, apiBase: fake.url, evidenceDir: fresh, download: { allowPrivateNetwork: true } });
    const resolved = await a.resolveAttachment(fake.serveFile("x.jpg", TINY_JPEG, "image/jpeg"));
    expect(existsSync(resolved.ref.slice("file:".length))).toBe(true);
  });
});

describe("where evidence may be downloaded from", () => {
  const stored = () => readdirSync(evidenceDir).length;
  const refusedWith = async (url: string, policy: Parameters<typeof downloadToDir>[1]): Promise<string> => {
    const before = stored();
    const error = await downloadToDir(url, policy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachmentDownloadError);
    expect(error).toMatchObject({ reason: "invalid-url" });
    expect(stored()).toBe(before);
    return (error as Error).message;
  };

  it("when the URL names a loopback address and private networks are not allowed, then nothing is fetched", async () => {
    const url = fake.serveFile("noi-bo.jpg", TINY_JPEG, "image/jpeg");
    expect(await refusedWith(url, { dir: evidenceDir })).toContain("private address");
    expect(await refusedWith("http://[::1]:9/x.jpg", { dir: evidenceDir })).toContain("private address");
  });

  it("when a host name resolves to a loopback address, then the connection is refused at look-up", async () => {
    const url = fake.serveFile("localhost.jpg", TINY_JPEG, "image/jpeg").replace("127.0.0.1", "localhost");
    expect(await refusedWith(url, { dir: evidenceDir })).toContain("private address");
  });

  it("when hosts are listed, then a URL on another host is refused even on an allowed network", async () => {
    const url = fake.serveFile("khac.jpg", TINY_JPEG, "image/jpeg");
    expect(await refusedWith(url, { dir: evidenceDir, allowPrivateNetwork: true, allowHosts: ["zdn.vn"] })).toContain("not allowed");
    const ok = await downloadToDir(url, { dir: evidenceDir, allowPrivateNetwork: true, allowHosts: ["127.0.0.1"] });
    expect(readFileSync(ok.path).equals(TINY_JPEG)).toBe(true);
  });

  it("when a download redirects to a host that is not allowed, then the redirect is not followed", async () => {
    const target = fake.serveFile("dich.jpg", TINY_JPEG, "image/jpeg");
    const redirector = createServer((_req, res) => res.writeHead(302, { location: target.replace("127.0.0.1", "localhost") }).end());
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/anh.jpg`;
      expect(await refusedWith(url, { dir: evidenceDir, allowPrivateNetwork: true, allowHosts: ["127.0.0.1"] })).toContain("localhost is not allowed");
      // Allowed hops are followed.
      const followed = await downloadToDir(url, { dir: evidenceDir, allowPrivateNetwork: true });
      expect(readFileSync(followed.path).equals(TINY_JPEG)).toBe(true);
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it.each([
    ["127.0.0.1", true], ["10.1.2.3", true], ["172.20.0.1", true], ["192.168.1.10", true], ["169.254.169.254", true],
    ["100.64.0.1", true], ["0.0.0.0", true], ["::1", true], ["fd00::1", true], ["fe80::1", true], ["::ffff:127.0.0.1", true],
    ["203.113.1.10", false], ["14.225.0.1", false], ["2001:4860:4860::8888", false], ["::ffff:8.8.8.8", false],
  ])("when the address is %s, then it is reserved: %s", (address, reserved) => {
    expect(isReservedAddress(address)).toBe(reserved);
  });
});
