import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One Bot API request as the fake server saw it. */
export interface RecordedCall {
  readonly method: string;
  /** The token from the URL path (`/bot<token>/<method>`). */
  readonly token: string;
  readonly body: Record<string, unknown>;
  /** What the fake answered: "ok", a Telegram error code, or "dropped" (connection destroyed). */
  readonly outcome: "ok" | number | "dropped";
  /** The `result` answered on success (for sends: the message, with its message_id). */
  readonly result?: unknown;
}

/** The inline keyboard's buttons of a recorded send, row after row ([] when it had none). */
export function buttonsOf(call: RecordedCall): { text: string; callback_data: string }[] {
  return ((call.body.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard ?? []).flat();
}

/** A canned failure, answered like Telegram does: `{ ok: false, error_code, description, parameters }`. */
export interface FakeFailure {
  readonly error_code: number;
  readonly description: string;
  readonly retry_after?: number;
}

/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
export interface FloodPace {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * Telegram-like flood control over the methods that post into a chat (sendMessage, sendPhoto, sendDocument, edits):
 * per chat a short burst then about one a second, and about 30 a second per bot; beyond that 429 with `retry_after`
 * — whole seconds, as Telegram answers, or the exact wait when `exactRetryAfter` (tests that run on a faster scale).
 * Requests answered 429 change no bucket. Callback answers and the rest are not limited.
 */
export interface FloodControl {
  readonly chat: FloodPace;
  readonly bot: FloodPace;
  readonly exactRetryAfter?: boolean;
  /**
   * The platform's clock against ours: each request is seen up to this many ms earlier or later than it arrived (evenly
   * drawn), as network delays and a clock of its own make Telegram see it. A sender that spends exactly the documented
   * budget meets 429s under any jitter; one that keeps a margin does not.
   */
  readonly jitterMs?: number;
}

/** Telegram's documented figures: one a second per chat with a short burst, 30 a second per bot. */
export const TELEGRAM_FLOOD_CONTROL: FloodControl = { chat: { burst: 6, perSecond: 1 }, bot: { burst: 30, perSecond: 30 } };

const FLOOD_LIMITED = new Set(["sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup", "editMessageCaption", "copyMessage", "forwardMessage"]);

/** Buckets as "theoretical arrival times" (GCRA): conforming at `now` when now ≥ tat − (burst − 1)·interval. */
function floodGate(control: FloodControl) {
  const chats = new Map<string, number>();
  let bot = 0;
  const interval = (pace: FloodPace) => 1000 / pace.perSecond;
  const earliest = (tat: number, pace: FloodPace) => tat - (pace.burst - 1) * interval(pace);
  return {
    /** null when the request may pass (its tokens are taken), else the wait in ms. */
    admit(chat: string, arrived: number): number | null {
      const now = arrived + (control.jitterMs ?? 0) * (2 * Math.random() - 1);
      const chatTat = chats.get(chat) ?? 0;
      const at = Math.max(earliest(chatTat, control.chat), earliest(bot, control.bot));
      if (at > now) return at - now;
      chats.set(chat, Math.max(chatTat, now) + interval(control.chat));
      bot = Math.max(bot, now) + interval(control.bot);
      return null;
    },
  };
}

/** Probabilities of each failure in a storm (see FakeTelegram.storm). */
export interface StormOdds {
  readonly throttled: number;
  readonly failed: number;
  readonly dropped: number;
  readonly retryAfterS: number;
}

export interface FakeTelegram {
  /** The apiRoot to give grammY (no trailing slash). */
  readonly url: string;
  readonly calls: RecordedCall[];
  /** Successful calls of one method, in order. */
  sent(method: string): RecordedCall[];
  /**
   * The next `times` calls of `method` fail with `failure` (or drop the connection when failure is "drop"), after
   * `after` calls that succeed (default 0).
   */
  failNext(method: string, failure: FakeFailure | "drop", times?: number, after?: number): void;
  /** Failures for one chat only (e.g. the person who blocked the bot), for every call of `method` until cleared. */
  failForChat(method: string, chatId: number | string, failure: FakeFailure): void;
  /** Every call of `method` waits `ms` before it is answered, until clear(): a slow Bot API. */
  delay(method: string, ms: number): void;
  /**
   * Carries out the method a bot put in its webhook response (`{ method, ...params }`), as Telegram does; recorded
   * like any other call. Does nothing for a response without a method.
   */
  webhookReply(token: string, response: unknown): Promise<void>;
  /** Requests flood control answered 429 (see FloodControl). */
  throttled(): number;
  /**
   * A storm from now on (null: calm): each call of `method` fails at random — 429 with a retry_after of 1–`retryAfterS`
   * seconds, 500, or a dropped connection — with the given probabilities.
   */
  storm(method: string, odds: StormOdds | null): void;
  /** Turns flood control on (with fresh buckets) or off. */
  setFloodControl(control: FloodControl | null): void;
  /**
   * A file the bot can fetch: getFile answers its path and size (`size` overrides the real one, to play a file over
   * the 20 MB limit) and `/file/bot<token>/<path>` serves its bytes.
   */
  addFile(fileId: string, bytes: Buffer, size?: number): void;
  /** Updates that getUpdates hands out (long polling). */
  queueUpdates(...updates: Record<string, unknown>[]): void;
  clear(): void;
  close(): Promise<void>;
}

/**
 * A small Bot API double on 127.0.0.1: records every call (method + JSON body) and answers like Telegram — message
 * objects for sends, `true` for the rest, canned errors on request. Used by the adapter's send tests and the
 * end-to-end test (the service's TELEGRAM_API_ROOT points at it). `onCall` hears every successful call (the benchmark's
 * members wait for their next question with it).
 */
export async function startFakeTelegram(
  options: { readonly onCall?: (call: RecordedCall) => void; readonly floodControl?: FloodControl } = {},
): Promise<FakeTelegram> {
  let gate = options.floodControl === undefined ? null : floodGate(options.floodControl);
  let exactRetryAfter = options.floodControl?.exactRetryAfter === true;
  let throttled = 0;
  const calls: RecordedCall[] = [];
  const queued = new Map<string, (FakeFailure | "drop" | "pass")[]>();
  const perChat = new Map<string, FakeFailure>();
  const delays = new Map<string, number>();
  const storms = new Map<string, StormOdds>();
  const stormFailure = (method: string): FakeFailure | "drop" | undefined => {
    const odds = storms.get(method);
    if (odds === undefined) return undefined;
    const r = Math.random();
    if (r < odds.throttled) return { error_code: 429, description: "Too Many Requests", retry_after: 1 + Math.floor(Math.random() * odds.retryAfterS) };
    if (r < odds.throttled + odds.failed) return { error_code: 500, description: "Internal Server Error" };
    return r < odds.throttled + odds.failed + odds.dropped ? "drop" : undefined;
  };
  let updates: Record<string, unknown>[] = [];
  let waiters: (() => void)[] = [];
  let nextMessageId = 1000;
  const files = new Map<string, { bytes: Buffer; size: number }>();

  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const boundary = /multipart\/form-data;\s*boundary=(\S+)/.exec(req.headers["content-type"] ?? "")?.[1];
    if (boundary !== undefined) return parseMultipart(raw, boundary);
    const text = raw.toString("utf8");
    if (text === "") return {};
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  };

  const answer = (res: ServerResponse, status: number, payload: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  };

  const resultFor = async (method: string, body: Record<string, unknown>): Promise<unknown> => {
    const chat = { id: body.chat_id, type: "private" };
    const date = Math.floor(Date.now() / 1000);
    switch (method) {
      case "sendMessage":
        return { message_id: nextMessageId++, date, chat, text: body.text, ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}) };
      case "sendPhoto":
        return { message_id: nextMessageId++, date, chat, photo: [{ file_id: "fake-photo", file_unique_id: "fake", width: 1, height: 1 }], caption: body.caption };
      case "sendDocument":
        return { message_id: nextMessageId++, date, chat, document: { file_id: "fake-document", file_unique_id: "fake" }, caption: body.caption };
      case "getFile": {
        const file = files.get(String(body.file_id));
        if (file === undefined) throw new Error("Bad Request: invalid file_id");
        return { file_id: body.file_id, file_unique_id: `u${String(body.file_id)}`, file_size: file.size, file_path: `documents/${String(body.file_id)}` };
      }
      case "getMe":
        return { id: 7000000001, is_bot: true, first_name: "Fake", username: "FakeBot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
      case "getWebhookInfo":
        return { url: "https://example.org/webhooks/telegram", has_custom_certificate: false, pending_update_count: 0, allowed_updates: ["message", "callback_query", "my_chat_member"] };
      case "getUpdates": {
        const offset = typeof body.offset === "number" ? body.offset : 0;
        updates = updates.filter((u) => typeof u.update_id === "number" && u.update_id >= offset);
        if (updates.length === 0) {
          // Long polling, shortened: wait for an update or a moment, whichever comes first.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(Number(body.timeout ?? 0), 1) * 200);
            waiters.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        return updates.filter((u) => typeof u.update_id === "number" && u.update_id >= offset);
      }
      default:
        return true;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const download = /^\/file\/bot[^/]+\/documents\/([^/]+)$/.exec(req.url ?? "");
      if (download !== null) {
        const file = files.get(decodeURIComponent(download[1] ?? ""));
        if (file === undefined) return answer(res, 404, { ok: false, error_code: 404, description: "Not Found" });
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.bytes.length });
        return void res.end(file.bytes);
      }
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? "");
      let body: Record<string, unknown>;
      try {
        body = await readBody(req);
      } catch {
        return answer(res, 400, { ok: false, error_code: 400, description: "Bad Request: invalid JSON" });
      }
      if (!match) return answer(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      const token = decodeURIComponent(match[1] ?? "");
      const method = match[2] ?? "";
      const delayMs = delays.get(method);
      if (delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const next = queued.get(method)?.shift();
      const failure = next === "pass" ? undefined : (next ?? perChat.get(`${method}:${String(body.chat_id)}`) ?? stormFailure(method));
      if (failure === "drop") {
        calls.push({ method, token, body, outcome: "dropped" });
        req.socket.destroy();
        return;
      }
      const floodWait = failure === undefined && gate !== null && FLOOD_LIMITED.has(method) ? gate.admit(String(body.chat_id), performance.now()) : null;
      if (floodWait !== null) {
        throttled += 1;
        const retryAfter = exactRetryAfter ? floodWait / 1000 : Math.max(1, Math.ceil(floodWait / 1000));
        calls.push({ method, token, body, outcome: 429 });
        return answer(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${Math.ceil(retryAfter)}`, parameters: { retry_after: retryAfter } });
      }
      if (failure !== undefined) {
        calls.push({ method, token, body, outcome: failure.error_code });
        return answer(res, failure.error_code, {
          ok: false,
          error_code: failure.error_code,
          description: failure.description,
          ...(failure.retry_after !== undefined ? { parameters: { retry_after: failure.retry_after } } : {}),
        });
      }
      // Recorded on arrival (a long poll is seen while it waits); the result is filled in once answered.
      const call: { -readonly [K in keyof RecordedCall]: RecordedCall[K] } = { method, token, body, outcome: "ok" };
      calls.push(call);
      try {
        call.result = await resultFor(method, body);
      } catch (error) {
        call.outcome = 400;
        return answer(res, 400, { ok: false, error_code: 400, description: error instanceof Error ? error.message : "Bad Request" });
      }
      answer(res, 200, { ok: true, result: call.result });
      options.onCall?.(call);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    sent: (method) => calls.filter((c) => c.method === method && c.outcome === "ok"),
    failNext(method, failure, times = 1, after = 0) {
      const list = queued.get(method) ?? [];
      for (let i = 0; i < after; i += 1) list.push("pass");
      for (let i = 0; i < times; i += 1) list.push(failure);
      queued.set(method, list);
    },
    failForChat(method, chatId, failure) {
      perChat.set(`${method}:${String(chatId)}`, failure);
    },
    delay(method, ms) {
      delays.set(method, ms);
    },
    async webhookReply(token, response) {
      if (typeof response !== "object" || response === null || !("method" in response) || typeof response.method !== "string") return;
      const { method, ...params } = response as { method: string } & Record<string, unknown>;
      const res = await fetch(`http://127.0.0.1:${port}/bot${token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
      });
      await res.arrayBuffer();
    },
    throttled: () => throttled,
    storm(method, odds) {
      if (odds === null) storms.delete(method);
      else storms.set(method, odds);
    },
    setFloodControl(control) {
      gate = control === null ? null : floodGate(control);
      exactRetryAfter = control?.exactRetryAfter === true;
    },
    addFile(fileId, bytes, size) {
      files.set(fileId, { bytes, size: size ?? bytes.length });
    },
    queueUpdates(...more) {
      updates.push(...more);
      const waiting = waiters;
      waiters = [];
      for (const wake of waiting) wake();
    },
    clear() {
      calls.length = 0;
      queued.clear();
      perChat.clear();
      delays.clear();
      storms.clear();
      updates = [];
    },
    async close() {
      for (const wake of waiters) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An uploaded file as the fake saw it (multipart/form-data, the way grammY sends an InputFile). */
export interface UploadedFile {
  readonly filename: string;
  readonly bytes: number;
  /** The first bytes, to check what was sent (a PNG starts with 0x89 "PNG"). */
  readonly head: string;
}

/**
 * Just enough multipart/form-data for grammY's uploads: text fields as strings (chat_id as a number, as in JSON
 * calls), and each `attach://<id>` field replaced by the file sent under that id.
 */
function parseMultipart(raw: Buffer, boundary: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, split).toString("utf8");
    const content = part.subarray(split + 4);
    const name = /name="([^"]+)"/.exec(headers)?.[1] ?? "";
    const filename = /filename=("?)([^\r\n"]+)\1/.exec(headers)?.[2];
    if (filename !== undefined) files.set(name, { filename, bytes: content.length, head: content.subarray(0, 4).toString("latin1") });
    else fields[name] = name === "chat_id" && /^-?\d+$/.test(content.toString("utf8")) ? Number(content.toString("utf8")) : content.toString("utf8");
    start = next;
  }
  for (const [key, value] of Object.entries(fields)) {
    const id = typeof value === "string" && value.startsWith("attach://") ? value.slice("attach://".length) : undefined;
    if (id !== undefined && files.has(id)) fields[key] = files.get(id);
  }
  return fields;
}
