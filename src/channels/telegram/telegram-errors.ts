import { GrammyError, HttpError } from "grammy";
import { SendError } from "../channel.js";

/**
 * Replaces the bot token wherever it appears. grammY's errors can carry the request URL
 * (`<apiRoot>/bot<token>/<method>`, e.g. in node-fetch's "request to … failed"), and whoever holds the token owns
 * the bot, so no message leaves the adapter without passing through here.
 */
export function redactToken(text: string, token: string): string {
  const withoutToken = token === "" ? text : text.split(token).join("<token>");
  // Also any other token-shaped path segment, in case the text holds a URL-encoded or differently built one.
  return withoutToken.replace(/bot\d+(?::|%3A)[A-Za-z0-9_-]+/gi, "bot<token>");
}

/**
 * Classifies a failed Bot API call as the outbox needs it (https://core.telegram.org/bots/api#making-requests):
 * - 429 → throttled, with Telegram's `retry_after` (seconds) as retryAfterMs;
 * - 403 → blocked: the person blocked the bot, deleted their account, or the bot left the chat — retrying cannot help;
 * - other 4xx → rejected (bad request, chat not found, wrong token): final;
 * - 5xx, network failures, timeouts → network: worth retrying later.
 * The message names the method and Telegram's description, never the token.
 */
export function toSendError(error: unknown, method: string, token: string): SendError {
  if (error instanceof SendError) return error;
  if (error instanceof GrammyError) {
    const message = redactToken(`telegram ${method}: ${error.error_code} ${error.description}`, token);
    if (error.error_code === 429) {
      const retryAfter = error.parameters.retry_after;
      return new SendError("throttled", message, typeof retryAfter === "number" ? retryAfter * 1000 : undefined);
    }
    if (error.error_code === 403) return new SendError("blocked", message);
    if (error.error_code >= 500) return new SendError("network", message);
    return new SendError("rejected", message);
  }
  if (error instanceof HttpError) {
    const cause = error.error instanceof Error ? `: ${error.error.message}` : "";
    return new SendError("network", redactToken(`telegram ${method}: ${error.message}${cause}`, token));
  }
  const text = error instanceof Error ? error.message : String(error);
  return new SendError("network", redactToken(`telegram ${method}: ${text}`, token));
}
