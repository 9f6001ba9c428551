import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./persistence/database-url.js";

/**
 * Configuration from environment variables (docs/operator-commands.md), validated once at start-up.
 * A channel whose token is unset is off; a token without its webhook secret is refused, because an
 * unauthenticated webhook would let anyone answer on an agency's behalf.
 */
const blankAsUndefined = (value: unknown): unknown => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalText = z.preprocess(blankAsUndefined, z.string().trim().optional());
const secret = z.preprocess(
  blankAsUndefined,
  z.string().min(8, "must be at least 8 characters").max(256, "must be at most 256 characters").regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, _ and -").optional(),
);
const mode = z.preprocess(blankAsUndefined, z.enum(["webhook", "polling"]).default("webhook"));
/** A whole number of days from `min` to ten years, `fallback` when unset. */
const retentionDays = (min: number, fallback: number) =>
  z.preprocess(blankAsUndefined, z.coerce.number().int(`must be a whole number of days`).min(min, `must be at least ${min} days`).max(3650, "must be at most 3650 days").default(fallback));
const httpUrl = z.preprocess(blankAsUndefined, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional());

const envSchema = z
  .object({
    DATABASE_URL: z.preprocess(blankAsUndefined, z.string().default(DEFAULT_DATABASE_URL)),
    PORT: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    PUBLIC_URL: httpUrl,
    DEFAULT_LOCALE: z.preprocess(blankAsUndefined, z.enum(["vi", "en"]).default("vi")),
    LOG_LEVEL: z.preprocess(blankAsUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
    TELEGRAM_BOT_TOKEN: optionalText,
    TELEGRAM_WEBHOOK_SECRET: secret,
    TELEGRAM_BOT_USERNAME: z.preprocess(blankAsUndefined, z.string().regex(/^@?[A-Za-z0-9_]{5,64}$/, "must be a bot username such as ChuyenDoiSoBot").transform((v) => v.replace(/^@/, "")).optional()),
    TELEGRAM_API_ROOT: z.preprocess(blankAsUndefined, z.url().default("https://api.telegram.org")),
    TELEGRAM_MODE: mode,
    /** Telegram's bulk rate for this bot (30 a second; paid broadcasts allow up to 1,000): the policy spends 90 % of it. */
    TELEGRAM_BOT_RATE_PER_SECOND: z.preprocess(blankAsUndefined, z.coerce.number().int("must be a whole number").min(1).max(1000).default(30)),
    ZALO_BOT_TOKEN: optionalText,
    ZALO_WEBHOOK_SECRET: secret,
    ZALO_API_BASE: z.preprocess(blankAsUndefined, z.url().default("https://bot-api.zaloplatforms.com")),
    ZALO_MODE: mode,
    ZALO_DOWNLOAD_HOSTS: z.preprocess(
      blankAsUndefined,
      z
        .string()
        .transform((v) => v.split(",").map((h) => h.trim().toLowerCase()).filter((h) => h !== ""))
        .pipe(z.array(z.string().regex(/^[a-z0-9.-]+$/, "must be host names separated by commas")))
        .default([]),
    ),
    METRICS_TOKEN: z.preprocess(
      blankAsUndefined,
      z.string().min(16, "must be at least 16 characters").max(256, "must be at most 256 characters").regex(/^[A-Za-z0-9._~+/=-]+$/, "must be a bearer token (letters, digits and ._~+/=-)").optional(),
    ),
    ZALO_DOWNLOAD_ALLOW_PRIVATE: z.preprocess(blankAsUndefined, z.enum(["true", "false"]).default("false").transform((v) => v === "true")),
    /** Evidence downloads ignore HTTP(S)_PROXY; this http:// proxy is used instead, with the address guard kept. */
    ZALO_DOWNLOAD_PROXY: z.preprocess(blankAsUndefined, z.url({ protocol: /^http$/, error: "must be an http:// proxy URL" }).optional()),
    // Retention (src/app/retention.ts): the lower bounds keep what redelivery and reminders need.
    RETENTION_PROCESSED_UPDATE_DAYS: retentionDays(3, 30),
    RETENTION_OUTBOX_DAYS: retentionDays(7, 30),
    RETENTION_STRANGER_DAYS: retentionDays(7, 90),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === "webhook" && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["TELEGRAM_WEBHOOK_SECRET"], message: "is required when TELEGRAM_BOT_TOKEN is set" });
    }
    if (env.ZALO_BOT_TOKEN && env.ZALO_MODE === "webhook" && !env.ZALO_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["ZALO_WEBHOOK_SECRET"], message: "is required when ZALO_BOT_TOKEN is set" });
    }
  });

export type Config = z.infer<typeof envSchema>;

/** Every variable the service reads, in the schema's order: the configuration table in the docs is built from it. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws a ConfigError listing every bad variable, one per line, never their values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
}
