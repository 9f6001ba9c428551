/**
 * Failures of the Zalo Bot Platform client. Their messages name the API method and the platform's answer, never the
 * request URL: the bot token is part of every URL (`/bot<TOKEN>/<method>`), and error messages end up in logs and in
 * the outbox's `lastError` column.
 */

/** The platform answered `ok: false` (or an HTTP error status): `errorCode` is its `error_code`, else the HTTP status. */
export class ZaloApiError extends Error {
  override name = "ZaloApiError";
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    /** From a `Retry-After` header on 429, when the platform sends one. */
    readonly retryAfterMs?: number,
  ) {
    super(`Zalo ${method} failed: ${errorCode} ${description}`.trim());
  }
}

/** No usable answer: connection refused or reset, timeout, or a body that is not the platform's envelope. */
export class ZaloTransportError extends Error {
  override name = "ZaloTransportError";
  constructor(
    readonly method: string,
    readonly kind: "network" | "timeout" | "malformed",
    detail: string,
  ) {
    super(`Zalo ${method} failed: ${kind} (${detail})`);
  }
}

/** Replaces every occurrence of the token with a placeholder, for any text that may have seen a URL. */
export function redactToken(text: string, token: string): string {
  if (token === "") return text;
  return text.split(token).join("<token>");
}
