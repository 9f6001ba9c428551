import type { Api } from "grammy";
import type { Logger } from "pino";
import type { ParsedUpdate } from "../channel.js";
import { grammySignal } from "./grammy-signal.js";
import { parseTelegramUpdate, TELEGRAM_ALLOWED_UPDATES } from "./parse.js";
import { redactToken } from "./telegram-errors.js";

/** How long one getUpdates call waits for updates on Telegram's side (long polling), in seconds. */
export const TELEGRAM_POLL_TIMEOUT_SECONDS = 25;

/** Pause after a failed poll or a failed hand-over, so an outage does not turn into a busy loop. */
const POLL_ERROR_PAUSE_MS = 3_000;

/** What the polling loop needs: the client, the token (to redact it from warnings) and where to warn. */
export interface PollingOptions {
  readonly api: Api;
  readonly token: string;
  readonly logger?: Logger;
  /** The adapter's parser (it knows the bot's username); parseTelegramUpdate without options by default. */
  readonly parse?: (update: unknown) => ParsedUpdate[];
  readonly pollTimeoutSeconds?: number;
  readonly errorPauseMs?: number;
}

/**
 * Long polling for local development: removes any webhook (Telegram refuses getUpdates while one is set), then
 * fetches batches and hands each to `onUpdates`. The offset moves past a batch only after `onUpdates` resolved, i.e.
 * after its effects are committed; if it throws, the same batch is fetched again and the recorded update ids turn
 * the repeats into no-ops. `stop()` aborts the pending request and resolves once the loop has ended.
 */
export function startTelegramPolling(options: PollingOptions, onUpdates: (updates: ParsedUpdate[]) => Promise<void>): { stop(): Promise<void> } {
  const { api, token, logger } = options;
  const controller = new AbortController();
  const signal = grammySignal(controller.signal);
  const pauseMs = options.errorPauseMs ?? POLL_ERROR_PAUSE_MS;
  const warn = (error: unknown, msg: string) => {
    logger?.warn({ error: redactToken(error instanceof Error ? error.message : String(error), token) }, msg);
  };

  const loop = async (): Promise<void> => {
    let webhookRemoved = false;
    let offset: number | undefined;
    while (!controller.signal.aborted) {
      try {
        if (!webhookRemoved) {
          await api.deleteWebhook({ drop_pending_updates: false }, signal);
          webhookRemoved = true;
        }
        const updates = await api.getUpdates(
          { timeout: options.pollTimeoutSeconds ?? TELEGRAM_POLL_TIMEOUT_SECONDS, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES], ...(offset !== undefined ? { offset } : {}) },
          signal,
        );
        if (updates.length === 0) continue;
        await onUpdates(updates.flatMap((update) => (options.parse ?? parseTelegramUpdate)(update)));
        offset = Math.max(...updates.map((u) => u.update_id)) + 1;
      } catch (error) {
        if (controller.signal.aborted) break;
        warn(error, "telegram polling failed; retrying");
        await pause(pauseMs, controller.signal);
      }
    }
  };
  const running = loop();
  return {
    async stop() {
      controller.abort();
      await running;
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
