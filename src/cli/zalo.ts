import { createZaloClient, type ZaloClient } from "../channels/zalo/zalo-client.js";
import { ZaloApiError, ZaloTransportError } from "../channels/zalo/zalo-errors.js";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { isMainModule, runProgram, type CliIo, type Command, type CommandContext } from "./command-table.js";
import { OperatorError } from "./operator-text.js";

/**
 * `zalo set-webhook | delete-webhook | info` (docs/operator-commands.md): registers PUBLIC_URL/webhooks/zalo with
 * ZALO_WEBHOOK_SECRET as the secret token, removes it (before polling), or shows the bot and its webhook.
 * Needs no database. The token never appears in the output. The platform's own error texts are shown as they are.
 */

type ZaloConfig = Config & { ZALO_BOT_TOKEN: string };

function readConfig(context: CommandContext, usageKey: string): ZaloConfig {
  if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t(usageKey) });
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new OperatorError("operator.common.lines", { text: error.message.split("\n").join("; ").replace(":;", ":") });
    throw error;
  }
  const token = config.ZALO_BOT_TOKEN;
  if (token === undefined) throw new OperatorError("operator.zalo.noToken");
  return { ...config, ZALO_BOT_TOKEN: token };
}

function client(config: ZaloConfig): ZaloClient {
  return createZaloClient({ token: config.ZALO_BOT_TOKEN, apiBase: config.ZALO_API_BASE });
}

/** The platform only delivers to HTTPS; plain http is accepted for a local address (tests, tunnels' local side). */
function webhookUrl(config: Config): string {
  if (config.PUBLIC_URL === undefined) throw new OperatorError("operator.zalo.noPublicUrl");
  const base = new URL(config.PUBLIC_URL);
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(base.hostname);
  if (base.protocol !== "https:" && !local) throw new OperatorError("operator.zalo.notHttps", { origin: base.origin });
  return `${config.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/zalo`;
}

/** Platform failures are the operator's to fix (wrong token, no network): one line, exit 2. */
async function platform<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ZaloApiError) throw new OperatorError(error.errorCode === 401 ? "operator.zalo.apiErrorToken" : "operator.common.lines", { text: error.message });
    if (error instanceof ZaloTransportError) throw new OperatorError("operator.zalo.unreachable", { text: error.message });
    throw error;
  }
}

const COMMANDS: readonly Command[] = [
  {
    words: "set-webhook",
    options: {},
    async run(context) {
      const config = readConfig(context, "operator.zalo.set-webhook.usage");
      const url = webhookUrl(config);
      const secret = config.ZALO_WEBHOOK_SECRET;
      if (secret === undefined) throw new OperatorError("operator.zalo.noSecret");
      const result = await platform(() => client(config).setWebhook({ url, secret_token: secret }));
      context.emit({ url, result }, [context.t("operator.zalo.webhookSet", { url })]);
    },
  },
  {
    words: "delete-webhook",
    options: {},
    async run(context) {
      const config = readConfig(context, "operator.zalo.delete-webhook.usage");
      const result = await platform(() => client(config).deleteWebhook());
      context.emit({ deleted: true, result }, [context.t("operator.zalo.webhookDeleted")]);
    },
  },
  {
    words: "info",
    options: {},
    async run(context) {
      const { t } = context;
      const zalo = client(readConfig(context, "operator.zalo.info.usage"));
      const bot = await platform(() => zalo.getMe());
      const webhook = await platform(() => zalo.getWebhookInfo());
      const updated = webhook.updated_at === undefined ? "" : t("operator.zalo.updated", { when: new Date(webhook.updated_at).toISOString() });
      context.emit({ bot, webhook }, [
        t("operator.zalo.bot", { name: bot.account_name ?? bot.display_name ?? t("operator.zalo.noName"), id: String(bot.id) }),
        webhook.url ? t("operator.zalo.webhook", { url: webhook.url, updated }) : t("operator.zalo.noWebhook"),
      ]);
    },
  },
];

/** Runs `zalo` with these arguments; the exit code is returned (tests run it in-process). */
export function zalo(argv: string[], io?: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  return runProgram("zalo", COMMANDS, argv, io, env);
}

if (isMainModule(import.meta.url)) process.exitCode = await zalo(process.argv.slice(2));
