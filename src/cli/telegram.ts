import type { Api } from "grammy";
import type { WebhookInfo } from "grammy/types";
import { botCommands } from "../channels/telegram/bot-commands.js";
import { grammySignal } from "../channels/telegram/grammy-signal.js";
import { TELEGRAM_ALLOWED_UPDATES } from "../channels/telegram/parse.js";
import { createTelegramApi } from "../channels/telegram/telegram-adapter.js";
import { toSendError } from "../channels/telegram/telegram-errors.js";
import { createTranslator } from "../i18n/translator.js";
import { isMainModule, runProgram, type CliIo, type Command, type CommandContext } from "./command-table.js";
import { OperatorError, type Tr } from "./operator-text.js";
import { FETCH_EVIDENCE_COMMAND } from "./telegram-fetch-evidence.js";
import { loadCliConfig } from "./with-database.js";

/**
 * `telegram set-webhook` registers PUBLIC_URL + /webhooks/telegram with the webhook secret and the update types the
 * bot uses, then the command menu in Vietnamese (default and "vi") and English ("en"). `telegram info` prints what
 * Telegram knows about the webhook (pending updates, last delivery error). `telegram fetch-evidence` fetches evidence
 * still stored as Telegram file ids (telegram-fetch-evidence.ts). Telegram's own error texts are shown as they are.
 */

/** An operator command should fail, not hang, when Telegram cannot be reached. */
const CALL_DEADLINE_MS = 30_000;

type Call = <T>(method: string, run: (signal: ReturnType<typeof grammySignal>) => Promise<T>) => Promise<T>;

function connect(context: CommandContext, usageKey: string) {
  if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t(usageKey) });
  const config = loadCliConfig();
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new OperatorError("operator.telegram.noToken");
  const api = createTelegramApi(token, config.TELEGRAM_API_ROOT);
  const call: Call = async (method, run) => {
    try {
      return await run(grammySignal(AbortSignal.timeout(CALL_DEADLINE_MS)));
    } catch (error) {
      throw new OperatorError("operator.common.lines", { text: toSendError(error, method, token).message });
    }
  };
  return { config, api, call };
}

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

function describeWebhook(info: WebhookInfo, t: Tr): string[] {
  const when = (seconds: number | undefined) => (seconds === undefined ? "" : new Date(seconds * 1000).toISOString());
  const lines = [
    t("operator.telegram.info.url", { url: info.url ? info.url : t("operator.telegram.info.noUrl") }),
    t("operator.telegram.info.pending", { count: info.pending_update_count }),
    t("operator.telegram.info.allowed", { updates: info.allowed_updates?.join(", ") ?? t("operator.telegram.info.defaultUpdates") }),
  ];
  if (info.max_connections !== undefined) lines.push(t("operator.telegram.info.maxConnections", { count: info.max_connections }));
  if (info.ip_address !== undefined) lines.push(t("operator.telegram.info.ipAddress", { address: info.ip_address }));
  if (info.last_error_date !== undefined) lines.push(t("operator.telegram.info.lastError", { when: when(info.last_error_date), message: info.last_error_message ?? "" }).trimEnd());
  if (info.last_synchronization_error_date !== undefined) lines.push(t("operator.telegram.info.lastSyncError", { when: when(info.last_synchronization_error_date) }));
  return lines;
}

const COMMANDS: readonly Command[] = [
  {
    words: "set-webhook",
    options: {},
    async run(context) {
      const { config, api, call } = connect(context, "operator.telegram.set-webhook.usage");
      if (!config.PUBLIC_URL) throw new OperatorError("operator.telegram.noPublicUrl");
      if (!config.TELEGRAM_WEBHOOK_SECRET) throw new OperatorError("operator.telegram.noSecret");
      const url = `${config.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/telegram`;
      const secret = config.TELEGRAM_WEBHOOK_SECRET;
      await call("setWebhook", (signal) => api.setWebhook(url, { secret_token: secret, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] }, signal));
      const commands = await setCommands(api, call);
      context.emit({ webhook: url, allowedUpdates: TELEGRAM_ALLOWED_UPDATES, commands }, [
        context.t("operator.telegram.webhookSet", { url, updates: TELEGRAM_ALLOWED_UPDATES.join(", ") }),
        context.t("operator.telegram.menuSet", { vi: String(commands.vi), en: String(commands.en) }),
      ]);
    },
  },
  {
    words: "info",
    options: {},
    async run(context) {
      const { api, call } = connect(context, "operator.telegram.info.usage");
      const info = await call("getWebhookInfo", (signal) => api.getWebhookInfo(signal));
      context.emit(info, context.json ? [] : describeWebhook(info, context.t));
    },
  },
  FETCH_EVIDENCE_COMMAND,
];

/** Runs `telegram` with these arguments; the exit code is returned (tests run it in-process). */
export function telegram(argv: string[], io?: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  return runProgram("telegram", COMMANDS, argv, io, env);
}

if (isMainModule(import.meta.url)) process.exitCode = await telegram(process.argv.slice(2));
