import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake platform received. `status` is what it answered. */
export interface FakeZaloCall {
  readonly method: string;
  /** The token in the URL path, so tests can check it is sent (and that it never leaks elsewhere). */
  readonly token: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
}

export interface FakeFailure {
  readonly status: 429 | 403 | 400 | 401 | 500 | 502;
  readonly description?: string;
  /** Sent as a Retry-After header (seconds). */
  readonly retryAfterSeconds?: number;
  /** Only a call of this method fails; others pass. Default: the next call, whatever it is. */
  readonly method?: string;
  /** This many matching calls succeed first (default 0). */
  readonly afterCalls?: number;
}

/**
 * A stand-in for the Zalo Bot Platform on 127.0.0.1 (port 0): answers `POST /bot<token>/<method>` as the platform
 * does (`{ ok: true, result }` / `{ ok: false, error_code, description }`), records every call, can be told to fail
 * the next call(s), queues updates for getUpdates, and serves images for evidence downloads under `/files/`.
 */
export interface FakeZalo {
  readonly url: string;
  readonly calls: FakeZaloCall[];
  /** Texts successfully sent (sendMessage answered ok), optionally to one chat. */
  sentTexts(chatId?: string): string[];
  /** The next matching call answers with this failure; queue several for several failures. */
  failNext(failure: FakeFailure): void;
  /** An update (webhook-body shaped) for the next getUpdates. */
  queueUpdate(update: unknown): void;
  /** Serves `bytes` at `${url}/files/<name>`; returns that URL. */
  serveFile(name: string, bytes: Buffer, contentType: string): string;
  readonly webhook: { url: string; secret: string } | null;
  close(): Promise<void>;
}

/** Bytes that start as a JPEG does (SOI + JFIF header): enough for the adapter to recognise and store one. */
export const TINY_JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=",
  "base64",
);

export async function startFakeZalo(options: { token: string; pollWaitMs?: number }): Promise<FakeZalo> {
  const calls: FakeZaloCall[] = [];
  const failures: FakeFailure[] = [];
  const updates: unknown[] = [];
  const files = new Map<string, { bytes: Buffer; contentType: string }>();
  let webhook: { url: string; secret: string } | null = null;
  let messageCounter = 0;

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname.startsWith("/files/")) {
      const file = files.get(url.pathname.slice("/files/".length));
      if (!file) return answer(res, 404, { error: "not found" });
      res.writeHead(200, { "content-type": file.contentType, "content-length": String(file.bytes.length) });
      res.end(file.bytes);
      return;
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (req.method !== "POST" || !match) return answer(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token = "", method = ""] = match;
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = raw === "" ? {} : JSON.parse(raw);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      return record(res, { method, token, body }, 400, { ok: false, error_code: 400, description: "Bad Request: invalid JSON" });
    }
    const call = { method, token, body };
    if (token !== options.token) return record(res, call, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const failureIndex = failures.findIndex((f) => f.method === undefined || f.method === method);
    const pending = failures[failureIndex];
    if (pending !== undefined && (pending.afterCalls ?? 0) > 0) {
      failures[failureIndex] = { ...pending, afterCalls: (pending.afterCalls ?? 0) - 1 };
    } else if (failureIndex >= 0) {
      const [failure] = failures.splice(failureIndex, 1);
      if (failure) {
        const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { "retry-after": String(failure.retryAfterSeconds) };
        return record(res, call, failure.status, { ok: false, error_code: failure.status, description: failure.description ?? describeStatus(failure.status) }, headers);
      }
    }
    switch (method) {
      case "getMe":
        return record(res, call, 200, { ok: true, result: { id: "1459232241454765289", account_name: "bot.TestBot", account_type: "BASIC", can_join_groups: false } });
      case "setWebhook": {
        const { url: hook, secret_token: secret } = body;
        if (typeof hook !== "string" || typeof secret !== "string" || secret.length < 8 || secret.length > 256) {
          return record(res, call, 400, { ok: false, error_code: 400, description: "Bad Request: url and secret_token (8-256 chars) are required" });
        }
        webhook = { url: hook, secret };
        return record(res, call, 200, { ok: true, result: { url: hook, updated_at: Date.now() } });
      }
      case "deleteWebhook":
        webhook = null;
        return record(res, call, 200, { ok: true, result: { url: "", updated_at: Date.now() } });
      case "getWebhookInfo":
        return record(res, call, 200, { ok: true, result: { url: webhook?.url ?? "", updated_at: Date.now() } });
      case "getUpdates": {
        if (webhook !== null) return record(res, call, 400, { ok: false, error_code: 400, description: "Bad Request: webhook is set" });
        const deadline = Date.now() + (options.pollWaitMs ?? 200);
        while (updates.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        const next = updates.shift();
        if (next === undefined) return record(res, call, 408, { ok: false, error_code: 408, description: "Request Timeout" });
        return record(res, call, 200, { ok: true, result: next });
      }
      case "sendMessage": {
        const { chat_id: chatId, text } = body;
        if (typeof chatId !== "string" || chatId === "" || typeof text !== "string" || text.length < 1 || text.length > 2000) {
          return record(res, call, 400, { ok: false, error_code: 400, description: "Bad Request: chat_id and text (1-2000 chars) are required" });
        }
        return record(res, call, 200, { ok: true, result: { message_id: `m${(messageCounter += 1)}`, date: Date.now() } });
      }
      case "sendPhoto": {
        const { chat_id: chatId, photo } = body;
        if (typeof chatId !== "string" || typeof photo !== "string" || !/^https?:\/\//.test(photo)) {
          return record(res, call, 400, { ok: false, error_code: 400, description: "Bad Request: chat_id and photo URL are required" });
        }
        return record(res, call, 200, { ok: true, result: { message_id: `m${(messageCounter += 1)}`, date: Date.now() } });
      }
      case "sendChatAction":
        return record(res, call, 200, { ok: true });
      default:
        return record(res, call, 404, { ok: false, error_code: 404, description: "Not Found: unknown method" });
    }
  };

  const record = (res: ServerResponse, call: Omit<FakeZaloCall, "status">, status: number, body: unknown, headers?: Record<string, string>): void => {
    calls.push({ ...call, status });
    answer(res, status, body, headers);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { ok: false, error_code: 500, description: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    calls,
    sentTexts(chatId) {
      return calls
        .filter((c) => c.method === "sendMessage" && c.status === 200 && (chatId === undefined || c.body.chat_id === chatId))
        .map((c) => String(c.body.text));
    },
    failNext(failure) {
      failures.push(failure);
    },
    queueUpdate(update) {
      updates.push(update);
    },
    serveFile(name, bytes, contentType) {
      files.set(name, { bytes, contentType });
      return `${base}/files/${name}`;
    },
    get webhook() {
      return webhook;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (data += chunk));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

function describeStatus(status: number): string {
  switch (status) {
    case 429:
      return "Too Many Requests";
    case 403:
      return "Forbidden: the user has not allowed the bot to send messages";
    case 401:
      return "Unauthorized";
    case 400:
      return "Bad Request";
    default:
      return "Internal Server Error";
  }
}
