import type { Api } from "grammy";
import type { WebhookInfo } from "grammy/types";
import { botCommands } from "../channels/telegram/bot-commands.js";
import { grammySignal } from "../channels/telegram/grammy-signal.js";
import { TELEGRAM_ALLOWED_UPDATES } from "../channels/telegram/parse.js";
import { createTelegramApi } from "../channels/telegram/telegram-adapter.js";
import { toSendError } from "../channels/telegram/telegram-errors.js";
import { createTranslator } from "../i18n/translator.js";
import { parseFlags, printJson, runCli, UserError } from "./cli-support.js";
import { loadCliConfig } from "./with-database.js";
import { runFetchEvidence } from "./telegram-fetch-evidence.js";

/**
 * `telegram set-webhook` registers PUBLIC_URL + /webhooks/telegram with the webhook secret and the update types the
 * bot uses, then the command menu in Vietnamese (default and "vi") and English ("en"). `telegram info` prints what
 * Telegram knows about the webhook (pending updates, last delivery error). `telegram fetch-evidence` fetches evidence
 * still stored as Telegram file ids (telegram-fetch-evidence.ts).
 */

const USAGE = "expected one of: telegram set-webhook, telegram info [--json], telegram fetch-evidence [--json]";
/** An operator command should fail, not hang, when Telegram cannot be reached. */
const CALL_DEADLINE_MS = 30_000;

await runCli(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), { json: { type: "boolean" } });
  const json = values.json === true;
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UserError(`missing command; ${USAGE}`);
  if (command === "fetch-evidence" && rest.length === 0) return runFetchEvidence(json);
  if (command !== "set-webhook" && command !== "info") throw new UserError(`unknown command "${command}"; ${USAGE}`);
  if (rest.length > 0) throw new UserError(`telegram ${command} takes no arguments (got "${rest.join(" ")}")`);

  const config = loadCliConfig();
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new UserError("TELEGRAM_BOT_TOKEN is not set (create the bot with @BotFather and copy its token)");
  const api = createTelegramApi(token, config.TELEGRAM_API_ROOT);
  const call = async <T>(method: string, run: (signal: ReturnType<typeof grammySignal>) => Promise<T>): Promise<T> => {
    try {
      return await run(grammySignal(AbortSignal.timeout(CALL_DEADLINE_MS)));
    } catch (error) {
      throw new UserError(toSendError(error, method, token).message);
    }
  };

  if (command === "info") {
    const info = await call("getWebhookInfo", (signal) => api.getWebhookInfo(signal));
    if (json) printJson(info);
    else console.log(describeWebhook(info));
    return;
  }

  if (!config.PUBLIC_URL) throw new UserError("PUBLIC_URL is not set (the service's public https address, e.g. https://cds.example.gov.vn)");
  if (!config.TELEGRAM_WEBHOOK_SECRET) throw new UserError("TELEGRAM_WEBHOOK_SECRET is not set (8–256 letters, digits, _ or -)");
  const url = `${config.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/telegram`;
  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  await call("setWebhook", (signal) => api.setWebhook(url, { secret_token: secret, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] }, signal));
  const commands = await setCommands(api, call);
  if (json) printJson({ webhook: url, allowedUpdates: TELEGRAM_ALLOWED_UPDATES, commands });
  else {
    console.log(`webhook set: ${url} (updates: ${TELEGRAM_ALLOWED_UPDATES.join(", ")})`);
    console.log(`command menu set: ${commands.vi} commands in Vietnamese (default and vi), ${commands.en} in English (en)`);
  }
});

type Call = <T>(method: string, run: (signal: ReturnType<typeof grammySignal>) => Promise<T>) => Promise<T>;

/** The default menu (no language code) is Vietnamese: most users' Telegram is set to another language than vi or en. */
async function setCommands(api: Api, call: Call): Promise<{ vi: number; en: number }> {
  const translator = await createTranslator();
  const vi = botCommands(translator, "vi");
  const en = botCommands(translator, "en");
  await call("setMyCommands", (signal) => api.setMyCommands(vi, {}, signal));
  await call("setMyCommands", (signal) => api.setMyCommands(vi, { language_code: "vi" }, signal));
  await call("setMyCommands", (signal) => api.setMyCommands(en, { language_code: "en" }, signal));
  return { vi: vi.length, en: en.length };
}

function describeWebhook(info: WebhookInfo): string {
  const when = (seconds: number | undefined) => (seconds === undefined ? "" : new Date(seconds * 1000).toISOString());
  const lines = [
    `url: ${info.url === "" ? "(none: the bot is not using a webhook)" : info.url}`,
    `pending updates: ${info.pending_update_count}`,
    `allowed updates: ${info.allowed_updates?.join(", ") ?? "(Telegram's default)"}`,
  ];
  if (info.max_connections !== undefined) lines.push(`max connections: ${info.max_connections}`);
  if (info.ip_address !== undefined) lines.push(`ip address: ${info.ip_address}`);
  if (info.last_error_date !== undefined) lines.push(`last error: ${when(info.last_error_date)} ${info.last_error_message ?? ""}`.trimEnd());
  if (info.last_synchronization_error_date !== undefined) lines.push(`last synchronization error: ${when(info.last_synchronization_error_date)}`);
  return lines.join("\n");
}
