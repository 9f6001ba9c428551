import { stat } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import path from "node:path";
import { autoRetry } from "@grammyjs/auto-retry";
import { Api, InputFile } from "grammy";
import type { Logger } from "pino";
import { lacking, SendError, sendParts, type ChannelAdapter, type FilePublisher, type OutboundMessage, type ParsedUpdate, type ResolvedAttachment, type SendOptions, type TapAnswer } from "../channel.js";
import { TELEGRAM_UPLOAD_MAX_BYTES } from "../../domain/delivery/outbound-message.js";
import { secretEquals } from "../../shared/secret-equals.js";
import { botApiAgent, retryStaleConnection } from "./bot-api-connections.js";
import { telegramFileFetcher } from "./telegram-files.js";
import { grammySignal, type GrammySignal } from "./grammy-signal.js";
import { parseTelegramUpdate, splitChatRef } from "./parse.js";
import { splitText } from "../split-text.js";
import { renderForTelegram, tapText, TELEGRAM_TEXT_LIMIT_CHARS } from "./render.js";
import { toSendError } from "./telegram-errors.js";
import { startTelegramPolling } from "./telegram-polling.js";

/** The header Telegram puts the webhook's `secret_token` in (https://core.telegram.org/bots/api#setwebhook). */
export const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** Telegram's limit for a photo caption. */
export const TELEGRAM_CAPTION_LIMIT_CHARS = 1024;

/** Telegram's own Bot API server; a self-hosted one (or a test double) is set with TELEGRAM_API_ROOT. */
export const TELEGRAM_DEFAULT_API_ROOT = "https://api.telegram.org";

/** Upper bound for one send including the retries of the auto-retry plugin: the outbox retries later, not we. */
const SEND_DEADLINE_MS = 20_000;

/** How to reach the Bot API and authenticate webhooks; the service builds it from TELEGRAM_* variables. */
export interface TelegramAdapterConfig {
  /** The bot token from BotFather. Never logged: errors are redacted. */
  readonly token: string;
  /** The `secret_token` given to setWebhook; without it (polling mode) every webhook request is refused. */
  readonly webhookSecret?: string | undefined;
  /** Bot API root without a trailing slash (default https://api.telegram.org). */
  readonly apiRoot?: string | undefined;
  /** Where polling reports failed polls (webhook mode logs in the route and the deliverer instead). */
  readonly logger?: Logger | undefined;
  /** Upper bound for one send, retries included (default 20 s). */
  readonly sendDeadlineMs?: number | undefined;
  /** TELEGRAM_BOT_USERNAME: group commands addressed to another bot ("/start@OtherBot") are left alone. */
  readonly botUsername?: string | undefined;
  /**
   * The data directory: photos and documents are fetched (getFile) into `<dataDir>/evidence` when kept, so they stay
   * readable outside the bot. Without it they are stored as `telegram:<file_id>`.
   */
  readonly dataDir?: string | undefined;
  /** Publishes documents over `documentMaxBytes` (the dossier of an agency with many scans) as an expiring link. */
  readonly publicFiles?: FilePublisher | undefined;
  /** Largest document sent as a file (default TELEGRAM_UPLOAD_MAX_BYTES; tests set less). */
  readonly documentMaxBytes?: number | undefined;
}

/** The Telegram channel: grammY's Api behind the common adapter contract. */
export interface TelegramAdapter extends ChannelAdapter {
  readonly channel: "telegram";
  /** The underlying client, for the operator commands (setWebhook, setMyCommands, getWebhookInfo). */
  readonly api: Api;
}

/**
 * A grammY Api with the auto-retry plugin (https://grammy.dev/plugins/auto-retry) for network failures only, at most
 * 3 times, all within SEND_DEADLINE_MS, so a send never holds the outbox worker for long (a connection found stale
 * is tried again at once first: bot-api-connections.ts). A 429 is not waited out here: it goes back to the outbox's
 * send policy, which pauses that chat (or the whole bot) for `retry_after` and keeps the other chats going. 5xx
 * answers are not retried here either: the outbox backs off on them (a minute-long outage is better waited out
 * between outbox attempts than inside one call).
 */
export function createTelegramApi(token: string, apiRoot: string | undefined): Api {
  const root = (apiRoot ?? TELEGRAM_DEFAULT_API_ROOT).replace(/\/+$/, "");
  const api = new Api(token, {
    apiRoot: root,
    // Above the long-poll wait of getUpdates; sends are bounded by their own deadline.
    timeoutSeconds: 60,
    baseFetchConfig: { agent: botApiAgent(root) },
  });
  // The transformer installed last wraps the others: the stale-connection retry sits next to the request, inside
  // auto-retry, so it goes before auto-retry's backoff.
  api.config.use(retryStaleConnection, autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 0, rethrowInternalServerErrors: true }));
  return api;
}

/** Builds the Telegram adapter. The service calls it when TELEGRAM_BOT_TOKEN is set. */
export function createTelegramAdapter(config: TelegramAdapterConfig): TelegramAdapter {
  const { token } = config;
  const api = createTelegramApi(token, config.apiRoot);
  const deadlineMs = config.sendDeadlineMs ?? SEND_DEADLINE_MS;
  const parse = (body: unknown): ParsedUpdate[] => parseTelegramUpdate(body, { botUsername: config.botUsername });
  const files = config.dataDir === undefined ? undefined : telegramFileFetcher({ api, token, apiRoot: config.apiRoot ?? TELEGRAM_DEFAULT_API_ROOT, dataDir: config.dataDir });

  /** Runs one Bot API call under the send deadline, turning every failure into a SendError without the token. */
  const call = async <T>(method: string, run: (signal: GrammySignal) => Promise<T>): Promise<T> => {
    try {
      return await run(grammySignal(AbortSignal.timeout(deadlineMs)));
    } catch (error) {
      throw toSendError(error, method, token);
    }
  };

  type Part = () => Promise<unknown>;
  const textParts = (chat: number | string, text: string): Part[] =>
    splitText(text, TELEGRAM_TEXT_LIMIT_CHARS).map(
      (chunk) => () => call("sendMessage", (signal) => api.sendMessage(chat, chunk, { link_preview_options: { is_disabled: true } }, signal)),
    );

  /** The Bot API calls a message takes, in order (see sendParts); replies in a forum topic stay in it. */
  const partsOf = async (chat: number | string, message: OutboundMessage, topic: { message_thread_id?: number }): Promise<Part[]> => {
    switch (message.kind) {
      case "reply":
        return renderForTelegram(message.reply).map(
          (params) => () =>
            call("sendMessage", (signal) =>
              api.sendMessage(
                chat,
                params.text,
                { link_preview_options: { is_disabled: true }, ...topic, ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}) },
                signal,
              ),
            ),
        );
      case "photo": {
        const caption = await fileCaption(message.file, message.caption);
        return [() => call("sendPhoto", (signal) => api.sendPhoto(chat, new InputFile(message.file), caption.inline, signal)), ...textParts(chat, caption.after)];
      }
      case "document": {
        if ((await stat(message.file)).size > (config.documentMaxBytes ?? TELEGRAM_UPLOAD_MAX_BYTES)) {
          if (config.publicFiles === undefined) throw new SendError("rejected", "telegram: a document over the upload limit and no public file store to link it from");
          const { url } = await config.publicFiles.publishFile(message.file, { downloadName: message.fileName });
          return textParts(chat, message.caption.trim() === "" ? url : `${message.caption}\n\n${url}`);
        }
        const caption = await fileCaption(message.file, message.caption);
        return [
          () => call("sendDocument", (signal) => api.sendDocument(chat, new InputFile(message.file, message.fileName), caption.inline, signal)),
          ...textParts(chat, caption.after),
        ];
      }
    }
  };

  return {
    channel: "telegram",
    capabilities: {
      buttons: true,
      textLimitChars: TELEGRAM_TEXT_LIMIT_CHARS,
      tapAnswers: true,
      tapAnswerInWebhookReply: true,
      polling: true,
      // File ids stay valid, so without a data directory they are stored as `telegram:<file_id>`.
      fetchesAttachments: files !== undefined,
    },
    api,

    verify(headers: IncomingHttpHeaders): boolean {
      return secretEquals(headers[TELEGRAM_SECRET_HEADER], config.webhookSecret);
    },

    parse,

    resolveAttachment:
      files === undefined
        ? lacking("telegram", "fetchesAttachments")
        : async (ref: string, fileName?: string): Promise<ResolvedAttachment> => {
            const stored = await files.fetch(ref, fileName);
            return { ref: stored.ref, fileName: stored.fileName, file: { sha256: stored.sha256, sizeBytes: stored.sizeBytes, contentType: stored.contentType } };
          },

    async send(chatId: string, message: OutboundMessage, options: SendOptions = {}): Promise<void> {
      const ref = splitChatRef(chatId);
      const topic = ref.threadId === undefined ? {} : { message_thread_id: ref.threadId };
      await sendParts(await partsOf(toChatId(ref.chat), message, topic), options, (error) => toSendError(error, "send", token));
    },

    async answerCallback(tap: TapAnswer): Promise<void> {
      try {
        await api.answerCallbackQuery(tap.id, tapText(tap), grammySignal(AbortSignal.timeout(deadlineMs)));
      } catch {
        // A query older than about 15 minutes cannot be answered any more; the spinner has stopped by then anyway.
      }
    },

    callbackWebhookReply(tap: TapAnswer): Record<string, unknown> {
      return { method: "answerCallbackQuery", callback_query_id: tap.id, ...tapText(tap) };
    },

    startPolling(onUpdates) {
      return startTelegramPolling({ api, token, parse, ...(config.logger ? { logger: config.logger } : {}) }, onUpdates);
    },
  };
}

/**
 * Checks the generated file is there (a missing file is final: retrying cannot create it) and places the caption:
 * on the upload when it fits Telegram's 1,024 characters, otherwise as text after it rather than cut.
 */
async function fileCaption(file: string, caption: string): Promise<{ inline: { caption?: string }; after: string }> {
  try {
    await stat(file);
  } catch {
    throw new SendError("rejected", `telegram upload: file ${path.basename(file)} not found`);
  }
  const text = caption.trim();
  if (text.length <= TELEGRAM_CAPTION_LIMIT_CHARS) return { inline: text === "" ? {} : { caption: text }, after: "" };
  return { inline: {}, after: text };
}

/** Chat ids are stored as strings; Telegram takes numbers (up to 52 bits, safe in a double) or "@channelname". */
function toChatId(chatId: string): number | string {
  return /^-?\d{1,16}$/.test(chatId) ? Number(chatId) : chatId;
}
