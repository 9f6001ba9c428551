import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { backoffDelayMs, createZaloClient, retryDelayMs, ZALO_RETRY_DEFAULTS, type ZaloClientConfig } from "../../../src/channels/zalo/zalo-client.js";
import { ZaloApiError, ZaloTransportError } from "../../../src/channels/zalo/zalo-errors.js";
import { startFakeZalo, type FakeZalo } from "../../support/fake-zalo.js";

const TOKEN = "1234567890:zalo-very-secret-token";

let fake: FakeZalo;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeZalo({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.calls.length = 0;
});

function client(overrides: Partial<ZaloClientConfig> = {}) {
  sleeps = [];
  return createZaloClient({
    token: TOKEN,
    apiBase: fake.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
}

/** Everything an error could show in a log line or a snapshot. */
const everything = (error: unknown): string => `${String(error)}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}\n${(error as Error).stack ?? ""}`;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("the Zalo client against the fake platform", () => {
  it("when a message is sent, then it is POSTed to /bot<token>/sendMessage with the exact JSON body", async () => {
    const sent = await client().sendMessage({ chat_id: "u1", text: "Xin chào" });
    expect(sent.message_id).toMatch(/^m\d+$/);
    expect(fake.calls).toEqual([{ method: "sendMessage", token: TOKEN, body: { chat_id: "u1", text: "Xin chào" }, status: 200 }]);
  });

  it.each<[string, (c: ReturnType<typeof client>) => Promise<unknown>, Record<string, unknown>]>([
    ["getMe", (c) => c.getMe(), {}],
    ["setWebhook", (c) => c.setWebhook({ url: "https://example.vn/webhooks/zalo", secret_token: "zalo-secret-1" }), { url: "https://example.vn/webhooks/zalo", secret_token: "zalo-secret-1" }],
    ["getWebhookInfo", (c) => c.getWebhookInfo(), {}],
    ["deleteWebhook", (c) => c.deleteWebhook(), {}],
    ["sendPhoto", (c) => c.sendPhoto({ chat_id: "u1", photo: "https://example.vn/a.png", caption: "Điểm" }), { chat_id: "u1", photo: "https://example.vn/a.png", caption: "Điểm" }],
    ["sendChatAction", (c) => c.sendChatAction({ chat_id: "u1", action: "typing" }), { chat_id: "u1", action: "typing" }],
  ])("when %s is called, then the request carries exactly the documented body", async (method, run, body) => {
    await run(client());
    expect(fake.calls.map((c) => ({ method: c.method, body: c.body }))).toEqual([{ method, body }]);
  });

  it("when getMe answers, then the bot is described", async () => {
    await expect(client().getMe()).resolves.toMatchObject({ id: "1459232241454765289", account_name: "bot.TestBot" });
  });

  it("when getUpdates finds an update, then it is returned raw, one per call; an empty poll (408) gives []", async () => {
    const c = client();
    await c.deleteWebhook();
    fake.queueUpdate({ event_name: "message.text.received", message: { message_id: "x" } });
    await expect(c.getUpdates({ timeoutSeconds: 1 })).resolves.toEqual([{ event_name: "message.text.received", message: { message_id: "x" } }]);
    await expect(c.getUpdates({ timeoutSeconds: 1 })).resolves.toEqual([]);
    expect(fake.calls.filter((call) => call.method === "getUpdates").map((call) => call.body)).toEqual([{ timeout: "1" }, { timeout: "1" }]);
  });

  it("when the platform answers 429 twice then succeeds, then the call succeeds after two backoffs", async () => {
    fake.failNext({ status: 429 });
    fake.failNext({ status: 429 });
    await client().sendMessage({ chat_id: "u1", text: "a" });
    expect(fake.calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(sleeps).toEqual([backoffDelayMs(1, ZALO_RETRY_DEFAULTS, () => 0.5), backoffDelayMs(2, ZALO_RETRY_DEFAULTS, () => 0.5)]);
  });

  it("when the platform answers 500 on every try, then the call gives up after the configured attempts", async () => {
    for (let i = 0; i < 3; i += 1) fake.failNext({ status: 500 });
    const error = await failure(client().sendMessage({ chat_id: "u1", text: "a" }));
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error).toMatchObject({ errorCode: 500, method: "sendMessage" });
    expect(fake.calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it.each([400, 401, 403] as const)("when the platform answers %i, then the call fails at once with a typed error", async (status) => {
    fake.failNext({ status, description: "refused" });
    const error = await failure(client().sendMessage({ chat_id: "u1", text: "a" }));
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error).toMatchObject({ name: "ZaloApiError", errorCode: status, description: "refused" });
    expect(fake.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("when a 429 carries Retry-After within the cap, then the client waits at least that long", async () => {
    fake.failNext({ status: 429, retryAfterSeconds: 2 });
    await client().sendMessage({ chat_id: "u1", text: "a" });
    expect(sleeps).toEqual([2000]);
  });

  it("when a 429 carries a Retry-After longer than the cap, then the client gives up and hands the wait to the outbox", async () => {
    fake.failNext({ status: 429, retryAfterSeconds: 60 });
    const error = await failure(client().sendMessage({ chat_id: "u1", text: "a" }));
    expect(error).toMatchObject({ errorCode: 429, retryAfterMs: 60_000 });
    expect(fake.calls).toHaveLength(1);
  });

  it("when the token is wrong, then the error is a 401 and shows neither token", async () => {
    const error = await failure(client({ token: "999:another-secret-token" }).getMe());
    expect(error).toMatchObject({ errorCode: 401 });
    expect(everything(error)).not.toContain("another-secret-token");
  });

  it("when the platform echoes the token in its description, then the error shows <token> instead", async () => {
    fake.failNext({ status: 400, description: `bad path /bot${TOKEN}/sendMessage` });
    const error = await failure(client().sendMessage({ chat_id: "u1", text: "a" }));
    expect(everything(error)).not.toContain(TOKEN);
    expect((error as Error).message).toContain("/bot<token>/sendMessage");
  });

  it("when nothing listens at the address, then the retries end in a network error without the token", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(client({ apiBase: `http://127.0.0.1:${port}` }).sendMessage({ chat_id: "u1", text: "a" }));
    expect(error).toBeInstanceOf(ZaloTransportError);
    expect(error).toMatchObject({ kind: "network" });
    expect(sleeps).toHaveLength(2);
    expect(everything(error)).not.toContain(TOKEN);
  });

  it("when the server does not answer in time, then the error is a timeout without the token", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const error = await failure(client({ apiBase: `http://127.0.0.1:${port}`, timeoutMs: 50, retry: { attempts: 1 } }).getMe());
      expect(error).toMatchObject({ name: "ZaloTransportError", kind: "timeout" });
      expect(everything(error)).not.toContain(TOKEN);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("when the server answers something that is not the platform's envelope, then the error says malformed and is not retried", async () => {
    const html = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>proxy login</html>");
    });
    await new Promise<void>((resolve) => html.listen(0, "127.0.0.1", resolve));
    try {
      const port = (html.address() as AddressInfo).port;
      const error = await failure(client({ apiBase: `http://127.0.0.1:${port}` }).getMe());
      expect(error).toMatchObject({ name: "ZaloTransportError", kind: "malformed" });
      expect(sleeps).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => html.close(() => resolve()));
    }
  });
});

describe("the retry policy", () => {
  const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 500 };

  it.each<[number, number, number]>([
    [1, 0, 50],
    [1, 0.999999, 100],
    [2, 0, 100],
    [3, 0.5, 300],
    [4, 0, 250],
    [10, 1, 500],
  ])("when try %i failed and the jitter is %f, then the next waits %i ms (capped, equal jitter)", (attempt, jitter, expected) => {
    expect(backoffDelayMs(attempt, policy, () => jitter)).toBe(expected);
  });

  it.each<[string, unknown, number, number | null]>([
    ["a 429", new ZaloApiError("sendMessage", 429, "slow down"), 1, 75],
    ["a 502", new ZaloApiError("sendMessage", 502, "bad gateway"), 2, 150],
    ["a timeout", new ZaloTransportError("sendMessage", "timeout", "x"), 1, 75],
    ["a refused connection", new ZaloTransportError("sendMessage", "network", "ECONNREFUSED"), 3, 300],
    ["a malformed answer", new ZaloTransportError("sendMessage", "malformed", "x"), 1, null],
    ["a 400", new ZaloApiError("sendMessage", 400, "bad"), 1, null],
    ["a 401", new ZaloApiError("sendMessage", 401, "unauthorized"), 1, null],
    ["a 403", new ZaloApiError("sendMessage", 403, "forbidden"), 1, null],
    ["a 408", new ZaloApiError("sendMessage", 408, "timeout"), 1, null],
    ["a 500 on the last try", new ZaloApiError("sendMessage", 500, "oops"), 4, null],
    ["a bug", new TypeError("x is undefined"), 1, null],
    ["a 429 asking for 400 ms", new ZaloApiError("sendMessage", 429, "slow", 400), 1, 400],
    ["a 429 asking for a minute", new ZaloApiError("sendMessage", 429, "slow", 60_000), 1, null],
  ])("when %s fails try %i, then the wait before the next is %s", (_case, error, attempt, expected) => {
    expect(retryDelayMs(error, attempt, policy, () => 0.5)).toBe(expected);
  });
});
