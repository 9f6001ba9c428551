import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { z } from "zod";
import { redactToken, ZaloApiError, ZaloTransportError } from "./zalo-errors.js";

/**
 * A small typed client for the Zalo Bot Platform (https://bot.zaloplatforms.com/docs), a Telegram-like HTTP API:
 * every method is `POST <apiBase>/bot<TOKEN>/<method>` with a JSON body, answered `{ ok, result }` or
 * `{ ok: false, error_code, description }`. axios only; no knowledge of conversations or wording.
 *
 * Failures are thrown as ZaloApiError (the platform said no) or ZaloTransportError (no usable answer). 429, 5xx and
 * transport failures are retried a few times with capped exponential backoff and jitter; everything else (400, 401,
 * 403, 404, 408) is thrown at once. Neither errors nor anything else this client produces contains the token.
 */
export interface ZaloClient {
  /** Checks the token and describes the bot. */
  getMe(): Promise<ZaloBotInfo>;
  /**
   * Long polling for local development. The platform hands out ONE update per call (not an array as Telegram does)
   * and refuses while a webhook is set; an empty poll (408) gives []. Updates come back unvalidated: they have the
   * webhook body's shape, and parseZaloBody (total) is the one place that reads them.
   */
  getUpdates(options?: { readonly timeoutSeconds?: number; readonly signal?: AbortSignal }): Promise<unknown[]>;
  /** `secret_token` (8–256 characters) comes back on every webhook request as `X-Bot-Api-Secret-Token`. */
  setWebhook(params: { readonly url: string; readonly secret_token: string }): Promise<ZaloWebhookInfo>;
  deleteWebhook(): Promise<ZaloWebhookInfo>;
  getWebhookInfo(): Promise<ZaloWebhookInfo>;
  /** `text` must be 1–2,000 characters (ZALO_TEXT_LIMIT_CHARS); split longer texts before calling. */
  sendMessage(params: { readonly chat_id: string; readonly text: string }): Promise<ZaloSentMessage>;
  /** `photo` is a public URL the platform fetches itself; `caption` is 1–2,000 characters. */
  sendPhoto(params: { readonly chat_id: string; readonly photo: string; readonly caption?: string }): Promise<ZaloSentMessage>;
  sendChatAction(params: { readonly chat_id: string; readonly action: "typing" }): Promise<void>;
}

export interface ZaloClientConfig {
  readonly token: string;
  /** e.g. https://bot-api.zaloplatforms.com (older host: https://bot-api.zapps.me). */
  readonly apiBase: string;
  /** Per request, getUpdates excepted (its own long-poll timeout plus a margin). Default 15 s. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Injected by tests so retries take no time. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); injected by tests for exact delays. */
  readonly random?: () => number;
}

/** How often and how patiently a retryable failure is tried again inside one call. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Small on purpose: the outbox retries later with its own backoff, so the client only rides out short blips and
 * never holds a delivery for long.
 */
export const ZALO_RETRY_DEFAULTS: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 4_000 };
export const ZALO_REQUEST_TIMEOUT_MS = 15_000;
export const ZALO_POLL_TIMEOUT_SECONDS = 30;

const id = z.union([z.string().min(1), z.number()]).transform(String);

const envelopeSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().int().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});

const botInfoSchema = z.looseObject({
  id,
  account_name: z.string().optional(),
  account_type: z.string().optional(),
  display_name: z.string().optional(),
  can_join_groups: z.boolean().optional(),
});
export type ZaloBotInfo = z.infer<typeof botInfoSchema>;

// setWebhook/deleteWebhook answer `{ url, updated_at }`; some deployments answer `true` or nothing.
const webhookInfoSchema = z
  .union([z.looseObject({ url: z.string().optional(), updated_at: z.number().optional() }), z.boolean(), z.null(), z.undefined()])
  .transform((value) => (typeof value === "object" && value !== null ? value : {}));
export type ZaloWebhookInfo = z.infer<typeof webhookInfoSchema>;

const sentSchema = z
  .union([z.looseObject({ message_id: id.optional(), date: z.number().optional() }), z.boolean(), z.null(), z.undefined()])
  .transform((value) => (typeof value === "object" && value !== null ? value : {}));
export type ZaloSentMessage = z.infer<typeof sentSchema>;

const updatesSchema = z.unknown().transform((value): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]));

/** The delay before try `attempt + 1`: base·2^(attempt−1), capped, then "equal jitter" (half fixed, half random). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(capped / 2 + random() * (capped / 2));
}

/** 429, 5xx and transport failures (a malformed body excepted: asking again gives the same answer). */
export function isRetryableZaloError(error: unknown): boolean {
  if (error instanceof ZaloApiError) return error.errorCode === 429 || error.errorCode >= 500;
  if (error instanceof ZaloTransportError) return error.kind !== "malformed";
  return false;
}

/**
 * The delay before trying again, or null to give up: not retryable, out of attempts, cancelled, or a Retry-After
 * longer than the cap (then the outbox, which honours retryAfterMs, is the right place to wait).
 */
export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  if (attempt >= policy.attempts || !isRetryableZaloError(error)) return null;
  const backoff = backoffDelayMs(attempt, policy, random);
  if (error instanceof ZaloApiError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs > policy.maxDelayMs ? null : Math.max(error.retryAfterMs, backoff);
  }
  return backoff;
}

export function createZaloClient(config: ZaloClientConfig): ZaloClient {
  const { token } = config;
  const policy: RetryPolicy = { ...ZALO_RETRY_DEFAULTS, ...config.retry };
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = config.random ?? Math.random;
  const http: AxiosInstance = axios.create({
    baseURL: config.apiBase.replace(/\/+$/, ""),
    timeout: config.timeoutMs ?? ZALO_REQUEST_TIMEOUT_MS,
    headers: { "content-type": "application/json", accept: "application/json" },
    // Statuses are read from the envelope below; axios must not throw errors that carry the URL (and the token).
    validateStatus: () => true,
    maxRedirects: 0,
  });

  async function once<T>(method: string, body: object, schema: z.ZodType<T>, options: CallOptions): Promise<T> {
    let response: AxiosResponse<unknown>;
    try {
      response = await http.post<unknown>(`/bot${token}/${method}`, body, {
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      throw transportError(method, error, token);
    }
    const retryAfterMs = retryAfter(response);
    const envelope = envelopeSchema.safeParse(response.data);
    if (!envelope.success) {
      if (response.status >= 400) throw new ZaloApiError(method, response.status, redactToken(response.statusText ?? "", token), retryAfterMs);
      throw new ZaloTransportError(method, "malformed", `HTTP ${response.status} without the platform's envelope`);
    }
    const { ok, error_code, description, parameters } = envelope.data;
    if (!ok) {
      const code = error_code ?? (response.status >= 400 ? response.status : 0);
      const platformRetryAfter = parameters?.retry_after === undefined ? undefined : parameters.retry_after * 1000;
      throw new ZaloApiError(method, code, redactToken(description ?? response.statusText ?? "", token), retryAfterMs ?? platformRetryAfter);
    }
    const result = schema.safeParse(envelope.data.result);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ZaloTransportError(method, "malformed", `unexpected result at "${issue?.path.join(".") ?? ""}": ${issue?.message ?? "invalid"}`);
    }
    return result.data;
  }

  async function call<T>(method: string, body: object, schema: z.ZodType<T>, options: CallOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await once(method, body, schema, options);
      } catch (error) {
        const delay = options.signal?.aborted ? null : retryDelayMs(error, attempt, policy, random);
        if (delay === null) throw error;
        await sleep(delay);
      }
    }
  }

  return {
    getMe: () => call("getMe", {}, botInfoSchema),
    async getUpdates(options = {}) {
      const seconds = options.timeoutSeconds ?? ZALO_POLL_TIMEOUT_SECONDS;
      try {
        return await call("getUpdates", { timeout: String(seconds) }, updatesSchema, {
          timeoutMs: (seconds + 10) * 1000,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
      } catch (error) {
        // The platform ends an empty long poll with 408.
        if (error instanceof ZaloApiError && error.errorCode === 408) return [];
        throw error;
      }
    },
    setWebhook: (params) => call("setWebhook", { url: params.url, secret_token: params.secret_token }, webhookInfoSchema),
    deleteWebhook: () => call("deleteWebhook", {}, webhookInfoSchema),
    getWebhookInfo: () => call("getWebhookInfo", {}, webhookInfoSchema),
    sendMessage: (params) => call("sendMessage", { chat_id: params.chat_id, text: params.text }, sentSchema),
    sendPhoto: (params) =>
      call("sendPhoto", { chat_id: params.chat_id, photo: params.photo, ...(params.caption ? { caption: params.caption } : {}) }, sentSchema),
    async sendChatAction(params) {
      await call("sendChatAction", { chat_id: params.chat_id, action: params.action }, z.unknown());
    },
  };
}

interface CallOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
function retryAfter(response: AxiosResponse<unknown>): number | undefined {
  const header: unknown = response.headers["retry-after"];
  if (typeof header !== "string" || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** An axios failure without a response, rebuilt without the request config (whose URL holds the token). */
function transportError(method: string, error: unknown, token: string): ZaloTransportError {
  if (axios.isAxiosError(error)) {
    const code = error.code ?? "";
    const timedOut = code === "ECONNABORTED" || code === "ETIMEDOUT" || /timeout/i.test(error.message);
    const detail = redactToken(code === "" ? error.message : `${code}: ${error.message}`, token);
    return new ZaloTransportError(method, timedOut ? "timeout" : "network", detail);
  }
  return new ZaloTransportError(method, "network", redactToken(error instanceof Error ? error.message : String(error), token));
}
