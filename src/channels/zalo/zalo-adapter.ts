import path from "node:path";
import type { IncomingHttpHeaders } from "node:http";
import { lacking, SendError, sendParts, type ChannelAdapter, type FilePublisher, type OutboundMessage, type ParsedUpdate, type ResolvedAttachment, type SendOptions } from "../channel.js";
import { describeStoredFile } from "../../app/evidence/evidence-file-store.js";
import { secretEquals } from "../../shared/secret-equals.js";
import { downloadToDir } from "./download.js";
import type { DownloadPolicy } from "./download-guard.js";
import { parseZaloBody } from "./parse.js";
import { splitText } from "../split-text.js";
import { renderForZalo, ZALO_TEXT_LIMIT_CHARS } from "./render.js";
import { createZaloClient, type ZaloClient } from "./zalo-client.js";
import { ZaloApiError, ZaloTransportError } from "./zalo-errors.js";

/** The header the platform puts the webhook's `secret_token` in (Node lower-cases header names). */
export const ZALO_SECRET_HEADER = "x-bot-api-secret-token";

export type { FilePublisher } from "../channel.js";

export interface ZaloAdapterConfig {
  readonly token: string;
  /** Required for webhooks; without it every webhook request is refused (polling needs none). */
  readonly webhookSecret: string | undefined;
  readonly apiBase: string;
  /** Where downloaded evidence photos are kept. */
  readonly evidenceDir: string;
  /**
   * The directory stored references are relative to (the data directory), so a restored backup or a moved volume
   * keeps them valid and reports do not show server paths. Absolute paths when unset.
   */
  readonly refRoot?: string;
  /**
   * Publishes generated files under PUBLIC_URL: sendPhoto only takes a URL, and Zalo bots send documents as links.
   * Without it (or without PUBLIC_URL) photos and documents fail as "rejected".
   */
  readonly publicFiles?: FilePublisher;
  /** Tests inject a client with fast retries; by default one is built from token and apiBase. */
  readonly client?: ZaloClient;
  readonly maxDownloadBytes?: number;
  /** Where evidence photos may be downloaded from (default: any public address; see download-guard.ts). */
  readonly download?: DownloadPolicy;
  /** Polling: called with each failed poll before waiting and trying again (the loop never stops by itself). */
  readonly onPollError?: (error: unknown) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The Zalo channel: ChannelAdapter plus the client, for the CLI and tests. */
export interface ZaloAdapter extends ChannelAdapter {
  readonly channel: "zalo";
  readonly client: ZaloClient;
}

const POLL_ERROR_BASE_MS = 1_000;
const POLL_ERROR_MAX_MS = 30_000;

/**
 * Zalo Bot Platform adapter. No buttons, so choices go out as numbered lines; texts over 2,000 characters are split;
 * evidence photos are downloaded at once because the platform's image URLs expire.
 */
export function createZaloAdapter(config: ZaloAdapterConfig): ZaloAdapter {
  const client = config.client ?? createZaloClient({ token: config.token, apiBase: config.apiBase });
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const downloads = new Map<string, Promise<ResolvedAttachment>>();

  async function publish(file: string, downloadName?: string): Promise<{ url: string }> {
    if (config.publicFiles === undefined) throw new SendError("rejected", "zalo: no public file store to publish a file for sendPhoto");
    try {
      return await config.publicFiles.publishFile(file, downloadName === undefined ? {} : { downloadName });
    } catch (error) {
      // Missing PUBLIC_URL or a missing file: trying again later changes nothing.
      throw new SendError("rejected", `zalo: cannot publish ${downloadName ?? "file"}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  type Part = () => Promise<unknown>;
  const textParts = (chatId: string, text: string): Part[] => splitText(text, ZALO_TEXT_LIMIT_CHARS).map((chunk) => () => client.sendMessage({ chat_id: chatId, text: chunk }));

  /** The platform calls a message takes, in order (see sendParts); files are published first. */
  async function partsOf(chatId: string, message: OutboundMessage): Promise<Part[]> {
    switch (message.kind) {
      case "reply":
        return renderForZalo(message.reply).map((chunk) => () => client.sendMessage({ chat_id: chatId, text: chunk }));
      case "photo": {
        const { url } = await publish(message.file);
        const [caption, ...rest] = splitText(message.caption, ZALO_TEXT_LIMIT_CHARS);
        return [() => client.sendPhoto({ chat_id: chatId, photo: url, ...(caption === undefined ? {} : { caption }) }), ...textParts(chatId, rest.join("\n"))];
      }
      case "document": {
        // No documents on Zalo: the caption, then a link the person opens to download the file.
        const { url } = await publish(message.file, message.fileName);
        return textParts(chatId, message.caption.trim() === "" ? url : `${message.caption}\n\n${url}`);
      }
    }
  }

  return {
    channel: "zalo",
    client,
    // No buttons, so no taps to answer; image URLs expire, so attachments are always fetched.
    capabilities: { buttons: false, textLimitChars: ZALO_TEXT_LIMIT_CHARS, tapAnswers: false, tapAnswerInWebhookReply: false, polling: true, fetchesAttachments: true },

    verify(headers: IncomingHttpHeaders): boolean {
      return secretEquals(headers[ZALO_SECRET_HEADER], config.webhookSecret);
    },

    parse: parseZaloBody,

    async send(chatId: string, message: OutboundMessage, options: SendOptions = {}): Promise<void> {
      let parts: Part[];
      try {
        parts = await partsOf(chatId, message);
      } catch (error) {
        throw toSendError(error);
      }
      await sendParts(parts, options, toSendError);
    },

    answerCallback: lacking("zalo", "tapAnswers"),
    callbackWebhookReply: lacking("zalo", "tapAnswerInWebhookReply"),

    resolveAttachment(ref: string) {
      // A redelivery (the platform retries while the first download still runs) joins the download in flight.
      const running = downloads.get(ref);
      if (running) return running;
      const download = (async () => {
        const stored = await downloadToDir(ref, {
          dir: config.evidenceDir,
          ...config.download,
          ...(config.maxDownloadBytes === undefined ? {} : { maxBytes: config.maxDownloadBytes }),
        });
        const kept = config.refRoot === undefined ? stored.path : path.relative(config.refRoot, stored.path).split(path.sep).join("/");
        return { ref: `file:${kept}`, fileName: stored.fileName, file: await describeStoredFile(stored.path) };
      })().finally(() => downloads.delete(ref));
      downloads.set(ref, download);
      return download;
    },

    startPolling(onUpdates) {
      const controller = new AbortController();
      let stopped = false;
      const loop = (async () => {
        let failures = 0;
        let webhookDeleted = false;
        // Zalo hands an update out once: one that could not be handled (the database was down) is kept and handed
        // over again before the next poll. Handling is idempotent by event key, so a repeat changes nothing.
        let unhandled: ParsedUpdate[] = [];
        while (!stopped) {
          try {
            // getUpdates is refused while a webhook is set.
            if (!webhookDeleted) {
              await client.deleteWebhook();
              webhookDeleted = true;
            }
            if (unhandled.length === 0) unhandled = (await client.getUpdates({ signal: controller.signal })).flatMap(parseZaloBody);
            if (unhandled.length > 0 && !stopped) await onUpdates(unhandled);
            unhandled = [];
            failures = 0;
          } catch (error) {
            if (stopped) break;
            config.onPollError?.(error);
            failures += 1;
            await sleep(Math.min(POLL_ERROR_MAX_MS, POLL_ERROR_BASE_MS * 2 ** (failures - 1)));
          }
        }
      })();
      return {
        async stop() {
          stopped = true;
          controller.abort();
          await loop;
        },
      };
    },
  };
}

/**
 * Classifies a client failure as the outbox needs it: 429 throttled (retry, honouring Retry-After); 403 blocked (the
 * person blocked the bot or never allowed it to write: stop writing to them); other 4xx rejected (retrying changes
 * nothing; 408 excepted); 5xx, timeouts and network failures retried.
 */
export function toSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  if (error instanceof ZaloApiError) {
    const code = error.errorCode;
    if (code === 429) return new SendError("throttled", error.message, error.retryAfterMs);
    if (code === 403) return new SendError("blocked", error.message);
    if (code === 408 || code >= 500) return new SendError("network", error.message);
    return new SendError("rejected", error.message);
  }
  // A malformed answer is retried too: losing a question is worse than showing it twice.
  if (error instanceof ZaloTransportError) return new SendError("network", error.message);
  return new SendError("network", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
