import { CONFIG_VARIABLES, loadConfig, type Config } from "./config.js";

/**
 * The configuration table of README.md and docs/operator-commands.md, built from the schema in config.ts: its
 * variables and their defaults come from the schema itself, their meaning from here. A variable added to the schema
 * without a line here does not compile, and test/docs/config-table.test.ts fails while a document's copy differs
 * (rewrite both with `npx tsx scripts/config-table.ts --write`).
 */

interface VariableDoc {
  /** What to show when the schema's default is not the whole story ("— (open)"); otherwise the default is read. */
  readonly shownDefault?: string;
  readonly meaning: string;
}

const DOCS = {
  DATABASE_URL: {
    meaning:
      "`file:<path>` for the embedded SQLite database, or a `postgres://` / `postgresql://` URL (optionally `?schema=<name>`, and `&connection_limit=<n>`: connections per instance, default twice the cores plus one; keep instances × n within the server's `max_connections`)",
  },
  PORT: { meaning: "HTTP port" },
  PUBLIC_URL: { meaning: "the service's public base URL (webhooks, image links)" },
  DEFAULT_LOCALE: { meaning: "language for people who have not chosen one, and of the operator commands' messages (`--lang` overrides it): `vi` or `en`" },
  LOG_LEVEL: { meaning: "`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`" },
  TELEGRAM_BOT_TOKEN: { meaning: "turns the Telegram channel on" },
  TELEGRAM_WEBHOOK_SECRET: { meaning: "required with a token in webhook mode; 8–256 of `A-Z a-z 0-9 _ -`" },
  TELEGRAM_BOT_USERNAME: { meaning: "makes invite commands print `https://t.me/<bot>?start=<code>` links" },
  TELEGRAM_API_ROOT: { meaning: "a self-hosted Bot API server" },
  TELEGRAM_MODE: { meaning: "`webhook` or `polling`" },
  ZALO_BOT_TOKEN: { meaning: "turns the Zalo channel on" },
  ZALO_WEBHOOK_SECRET: { meaning: "required with a token in webhook mode; 8–256 of `A-Z a-z 0-9 _ -`" },
  ZALO_API_BASE: { meaning: "the Zalo Bot Platform base URL" },
  ZALO_MODE: { meaning: "`webhook` or `polling`" },
  ZALO_DOWNLOAD_HOSTS: { shownDefault: "— (any public host)", meaning: "comma-separated hosts evidence photos may be downloaded from (subdomains included)" },
  METRICS_TOKEN: {
    shownDefault: "— (open)",
    meaning: "when set (16–256 characters), `GET /metrics` answers only `Authorization: Bearer <token>` (compared in constant time) and 401 otherwise; unset, keep the port off the public network",
  },
  ZALO_DOWNLOAD_ALLOW_PRIVATE: { meaning: "`true` lets evidence downloads reach loopback and private addresses (a local mirror, tests)" },
  TELEGRAM_BOT_RATE_PER_SECOND: {
    meaning: "messages a second Telegram allows this bot in all chats together (1–1000; raise it only with paid broadcasts): the service sends at 90 % of it, so a clock that disagrees with Telegram's never costs a 429",
  },
  ZALO_DOWNLOAD_PROXY: { shownDefault: "— (none)", meaning: "an `http://` proxy for evidence downloads (`HTTP(S)_PROXY` is ignored for them); the address guard still applies" },
  RETENTION_PROCESSED_UPDATE_DAYS: { meaning: "days processed-update keys are kept (at least 3)" },
  RETENTION_OUTBOX_DAYS: { meaning: "days sent, failed and dropped outbox rows are kept (at least 7); reminder and nudge keys as long as needed" },
  RETENTION_STRANGER_DAYS: { meaning: "days a chat identity that never linked is kept after its last message (at least 7)" },
} satisfies Record<keyof Config, VariableDoc>;

function shownDefault(value: unknown): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return "—";
  return `\`${Array.isArray(value) ? value.join(",") : String(value)}\``;
}

/** The Markdown table, one row per variable in the schema's order. */
export function configTable(): string {
  const defaults = loadConfig({});
  const docs: Readonly<Record<keyof Config, VariableDoc>> = DOCS;
  const rows = CONFIG_VARIABLES.map((name) => `| \`${name}\` | ${docs[name].shownDefault ?? shownDefault(defaults[name])} | ${docs[name].meaning} |`);
  return ["| variable | default | meaning |", "|---|---|---|", ...rows].join("\n");
}

export const TABLE_START = "<!-- configuration table: generated from src/config-table.ts (npx tsx scripts/config-table.ts --write) -->";
export const TABLE_END = "<!-- end of the generated configuration table -->";

/** The document with its generated table replaced by `table`; the document unchanged if it has no markers. */
export function withConfigTable(document: string, table: string): string {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start) return document;
  return `${document.slice(0, start + TABLE_START.length)}\n${table}\n${document.slice(end)}`;
}
