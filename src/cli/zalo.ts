import { createZaloClient, type ZaloClient } from "../channels/zalo/zalo-client.js";
import { ZaloApiError, ZaloTransportError } from "../channels/zalo/zalo-errors.js";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { UserError, parseFlags, printJson, runCli } from "./cli-support.js";

/**
 * `zalo set-webhook | delete-webhook | info` (docs/operator-commands.md): registers PUBLIC_URL/webhooks/zalo with
 * ZALO_WEBHOOK_SECRET as the secret token, removes it (before polling), or shows the bot and its webhook.
 * Needs no database. The token never appears in the output.
 */

const USAGE = "expected one of: zalo set-webhook, zalo delete-webhook, zalo info";

await runCli(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), { json: { type: "boolean" } });
  const json = values.json === true;
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UserError(`missing command; ${USAGE}`);
  if (rest.length > 0) throw new UserError(`zalo ${command} takes no arguments (got "${rest.join(" ")}")`);
  switch (command) {
    case "set-webhook": {
      const config = readConfig();
      const url = webhookUrl(config);
      const secret = config.ZALO_WEBHOOK_SECRET;
      if (secret === undefined) throw new UserError("ZALO_WEBHOOK_SECRET is not set; choose 8–256 letters, digits, _ or - and set it");
      const result = await platform(() => client(config).setWebhook({ url, secret_token: secret }));
      if (json) printJson({ url, result });
      else console.log(`webhook set: ${url}`);
      return;
    }
    case "delete-webhook": {
      const config = readConfig();
      const result = await platform(() => client(config).deleteWebhook());
      if (json) printJson({ deleted: true, result });
      else console.log("webhook deleted (polling with ZALO_MODE=polling can start)");
      return;
    }
    case "info": {
      const config = readConfig();
      const zalo = client(config);
      const bot = await platform(() => zalo.getMe());
      const webhook = await platform(() => zalo.getWebhookInfo());
      if (json) {
        printJson({ bot, webhook });
        return;
      }
      console.log(`bot: ${bot.account_name ?? bot.display_name ?? "(no name)"} (id ${bot.id})`);
      const updated = webhook.updated_at === undefined ? "" : `, updated ${new Date(webhook.updated_at).toISOString()}`;
      console.log(`webhook: ${webhook.url ? `${webhook.url}${updated}` : "not set (polling only)"}`);
      return;
    }
    default:
      throw new UserError(`unknown command "${command}"; ${USAGE}`);
  }
});

function readConfig(): Config & { ZALO_BOT_TOKEN: string } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message.split("\n").join("; ").replace(":;", ":"));
    throw error;
  }
  const token = config.ZALO_BOT_TOKEN;
  if (token === undefined) throw new UserError("ZALO_BOT_TOKEN is not set; create a bot in Zalo Bot Creator and set its token");
  return { ...config, ZALO_BOT_TOKEN: token };
}

function client(config: Config & { ZALO_BOT_TOKEN: string }): ZaloClient {
  return createZaloClient({ token: config.ZALO_BOT_TOKEN, apiBase: config.ZALO_API_BASE });
}

/** The platform only delivers to HTTPS; plain http is accepted for a local address (tests, tunnels' local side). */
function webhookUrl(config: Config): string {
  if (config.PUBLIC_URL === undefined) throw new UserError("PUBLIC_URL is not set; set it to the https address the service is reachable at");
  const base = new URL(config.PUBLIC_URL);
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(base.hostname);
  if (base.protocol !== "https:" && !local) throw new UserError(`PUBLIC_URL must be an https URL: Zalo delivers webhooks only over HTTPS (got ${base.origin})`);
  return `${config.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/zalo`;
}

/** Platform failures are the operator's to fix (wrong token, no network): one line, exit 2. */
async function platform<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ZaloApiError) {
      const hint = error.errorCode === 401 ? " (is ZALO_BOT_TOKEN right?)" : "";
      throw new UserError(`${error.message}${hint}`);
    }
    if (error instanceof ZaloTransportError) throw new UserError(`${error.message} (is ZALO_API_BASE reachable?)`);
    throw error;
  }
}
