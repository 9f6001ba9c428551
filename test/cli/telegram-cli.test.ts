import { TELEGRAM_MENU_COMMANDS } from "../../src/channels/telegram/bot-commands.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { isCleanUserError, runCli } from "./run-cli.js";

const TOKEN = "123456:AAH-cli_TOKEN";
let fake: FakeTelegram;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeTelegram();
  env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: "s3cret-value", TELEGRAM_API_ROOT: fake.url, PUBLIC_URL: "https://cds.example.gov.vn/" };
});
afterEach(() => fake.clear());
afterAll(() => fake.close());

describe("npm run telegram -- set-webhook", () => {
  it("when run, then the webhook is registered with the secret and the used update types, and the menu is set in vi (default and vi) and en", async () => {
    const run = await runCli("telegram", ["set-webhook", "--json"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      webhook: "https://cds.example.gov.vn/webhooks/telegram",
      allowedUpdates: ["message", "callback_query", "my_chat_member"],
      commands: { vi: TELEGRAM_MENU_COMMANDS.length, en: TELEGRAM_MENU_COMMANDS.length },
    });
    expect(fake.calls.map((c) => c.method)).toEqual(["setWebhook", "setMyCommands", "setMyCommands", "setMyCommands"]);
    expect(fake.calls.every((c) => c.token === TOKEN)).toBe(true);
    expect(fake.calls[0]?.body).toEqual({
      url: "https://cds.example.gov.vn/webhooks/telegram",
      secret_token: "s3cret-value",
      allowed_updates: ["message", "callback_query", "my_chat_member"],
    });
    const [byDefault, vi, en] = fake.calls.slice(1).map((c) => c.body);
    expect(byDefault).not.toHaveProperty("language_code");
    expect(vi?.language_code).toBe("vi");
    expect(en?.language_code).toBe("en");
    expect(byDefault?.commands).toEqual(vi?.commands);
    expect(vi?.commands).toContainEqual({ command: "score", description: "Xem điểm hiện tại của đơn vị" });
    expect(en?.commands).toContainEqual({ command: "score", description: "See your agency's current score" });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ["PUBLIC_URL is missing", { PUBLIC_URL: "" }, /PUBLIC_URL is not set/],
    ["the token is missing", { TELEGRAM_BOT_TOKEN: "" }, /TELEGRAM_BOT_TOKEN is not set/],
  ])("when %s (in English), then it is a one-line user error and Telegram is not called", async (_case, override, message) => {
    const run = await runCli("telegram", ["set-webhook", "--lang", "en"], { ...env, ...override });
    expect(isCleanUserError(run)).toBe(true);
    expect(run.errorLines).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(fake.calls).toEqual([]);
  });

  it("when Telegram refuses the webhook, then its description is shown in one line, without the token", async () => {
    fake.failNext("setWebhook", { error_code: 400, description: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook" });
    const run = await runCli("telegram", ["set-webhook"], env);
    expect(isCleanUserError(run)).toBe(true);
    expect(run.errorLines).toEqual(["telegram setWebhook: 400 Bad Request: bad webhook: An HTTPS URL must be provided for webhook"]);
    expect(run.stderr).not.toContain(TOKEN);
  });
});

describe("npm run telegram -- info", () => {
  it("when asked for JSON, then getWebhookInfo is printed as is", async () => {
    const run = await runCli("telegram", ["info", "--json"], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ url: "https://example.org/webhooks/telegram", pending_update_count: 0 });
  });

  it("when asked without --json, then it prints readable lines, in Vietnamese unless --lang en", async () => {
    const run = await runCli("telegram", ["info"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("địa chỉ: https://example.org/webhooks/telegram");
    expect(run.stdout).toContain("cập nhật đang chờ: 0");
    const english = await runCli("telegram", ["info", "--lang", "en"], env);
    expect(english.stdout).toContain("url: https://example.org/webhooks/telegram");
    expect(english.stdout).toContain("pending updates: 0");
  });

  it.each([[["frobnicate"]], [[]], [["info", "extra"]]])("when the arguments are %j, then it is a user error", async (args) => {
    const run = await runCli("telegram", args, env);
    expect(isCleanUserError(run)).toBe(true);
  });
});

describe("npm run telegram in Vietnamese (the default) and English", () => {
  it("when set-webhook runs without --json, then it says what it set in Vietnamese", async () => {
    const run = await runCli("telegram", ["set-webhook"], env);
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toBe(
      `Đã đặt webhook: https://cds.example.gov.vn/webhooks/telegram (loại cập nhật: message, callback_query, my_chat_member)\nĐã đặt menu lệnh: ${TELEGRAM_MENU_COMMANDS.length} lệnh tiếng Việt (mặc định và vi), ${TELEGRAM_MENU_COMMANDS.length} lệnh tiếng Anh (en)\n`,
    );
  });

  it.each<[string, string[], Record<string, string>, string]>([
    ["no token", ["set-webhook"], { TELEGRAM_BOT_TOKEN: "" }, "Chưa đặt TELEGRAM_BOT_TOKEN (tạo bot bằng @BotFather rồi chép mã token của bot)."],
    ["no token to fetch evidence with", ["fetch-evidence"], { TELEGRAM_BOT_TOKEN: "" }, "Chưa đặt TELEGRAM_BOT_TOKEN: các tệp được tải bằng chính bot đã nhận chúng."],
    ["a mistyped flag", ["info", "--jsn"], {}, "Không có tham số --jsn; có phải ý anh/chị là --json? Xem các tham số: telegram info --help"],
    ["a mistyped command", ["set-webhok"], {}, 'Không có lệnh "telegram set-webhok"; có phải ý anh/chị là "telegram set-webhook"? Xem các lệnh: telegram --help'],
  ])("when run with %s, then the one error line is in Vietnamese and Telegram is not called", async (_case, args, override, line) => {
    const run = await runCli("telegram", args, { ...env, ...override });
    expect(isCleanUserError(run)).toBe(true);
    expect(run.errorLines).toEqual([line]);
    expect(fake.calls).toEqual([]);
  });

  it("when a flag is mistyped with --lang en, then the suggestion is in English", async () => {
    const run = await runCli("telegram", ["info", "--jsn", "--lang", "en"], env);
    expect(run.errorLines).toEqual(["unknown flag --jsn; did you mean --json? See the flags: telegram info --help"]);
  });

  it.each<["vi" | "en", string[], string[]]>([
    ["vi", [], ["Bot Telegram:", "  telegram set-webhook  —  Đăng ký", "  telegram fetch-evidence  —  Tải các minh chứng"]],
    ["en", ["--lang", "en"], ["The Telegram bot:", "  telegram set-webhook  —  Registers", "  telegram fetch-evidence  —  Fetches"]],
  ])("when --help is asked in %s, then the commands are listed, and a command's help has an example", async (_lang, lang, parts) => {
    const run = await runCli("telegram", ["--help", ...lang], env);
    expect(run.code).toBe(0);
    for (const part of parts) expect(run.stdout).toContain(part);
    const own = await runCli("telegram", ["fetch-evidence", "--help", ...lang], env);
    expect(own.stdout).toContain("  npm run --silent telegram -- fetch-evidence");
    expect(fake.calls).toEqual([]);
  });
});
