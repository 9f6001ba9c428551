import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";
import { runCli, type CliRun } from "./run-cli.js";

const TOKEN = "1234567890:cli-secret-token";

/** `npm run zalo -- …` as an operator runs it, in a clean environment (only PATH, HOME and what the test passes). */
const zalo = (args: readonly string[], env: Record<string, string>) => runCli("zalo", args, env);

let fake: FakeZalo;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeZalo({ token: TOKEN });
  env = { ZALO_BOT_TOKEN: TOKEN, ZALO_WEBHOOK_SECRET: "zalo-secret-1", ZALO_API_BASE: fake.url, PUBLIC_URL: "https://pdx.example.vn/" };
});
afterAll(async () => {
  await fake.close();
});

const userError = (run: CliRun): boolean => run.code === 2 && run.stdout === "" && run.stderr.trim().split("\n").length === 1;

describe("npm run zalo", () => {
  it("when set-webhook runs, then PUBLIC_URL/webhooks/zalo is registered with the webhook secret", async () => {
    const run = await zalo(["set-webhook", "--lang", "en"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("webhook set: https://pdx.example.vn/webhooks/zalo\n");
    const vietnamese = await zalo(["set-webhook"], env);
    expect(vietnamese.stdout).toBe("Đã đặt webhook: https://pdx.example.vn/webhooks/zalo\n");
    expect(fake.webhook).toEqual({ url: "https://pdx.example.vn/webhooks/zalo", secret: "zalo-secret-1" });
  });

  it("when info runs, then the bot and its webhook are shown, as text and as JSON", async () => {
    const text = await zalo(["info", "--lang", "en"], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("bot: bot.TestBot (id 1459232241454765289)");
    const vietnamese = await zalo(["info"], env);
    expect(vietnamese.stdout).toMatch(/^bot: bot\.TestBot \(mã 1459232241454765289\)\nwebhook: https:\/\/pdx\.example\.vn\/webhooks\/zalo/);
    expect(text.stdout).toContain("webhook: https://pdx.example.vn/webhooks/zalo");
    const json = await zalo(["info", "--json"], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ bot: { id: "1459232241454765289" }, webhook: { url: "https://pdx.example.vn/webhooks/zalo" } });
  });

  it("when delete-webhook runs, then the webhook is gone", async () => {
    const run = await zalo(["delete-webhook", "--json"], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: true });
    expect(fake.webhook).toBeNull();
  });

  it.concurrent.each<[string, string[], Record<string, string>, RegExp]>([
    ["no command", [], {}, /missing command/],
    ["an unknown command", ["launch"], {}, /unknown command "zalo launch"/],
    ["an unknown flag", ["info", "--verbose"], {}, /verbose/],
    ["no token", ["info"], { ZALO_BOT_TOKEN: "" }, /ZALO_BOT_TOKEN is not set/],
    ["no PUBLIC_URL", ["set-webhook"], { PUBLIC_URL: "" }, /PUBLIC_URL is not set/],
    ["a plain-http PUBLIC_URL", ["set-webhook"], { PUBLIC_URL: "http://pdx.example.vn" }, /must be an https URL/],
    ["a bad webhook secret", ["set-webhook"], { ZALO_WEBHOOK_SECRET: "short" }, /ZALO_WEBHOOK_SECRET: must be at least 8 characters/],
    ["a wrong token", ["info"], { ZALO_BOT_TOKEN: "999:wrong-secret-token" }, /401.*ZALO_BOT_TOKEN/],
    ["an unreachable platform", ["info"], { ZALO_API_BASE: "http://127.0.0.1:9" }, /getMe failed: network/],
  ])("when run with %s (in English), then it fails with one line and exit 2, never showing the token", async (_case, args, overrides, message) => {
    const run = await zalo([...args, "--lang", "en"], { ...env, ...overrides });
    expect(userError(run), run.stderr).toBe(true);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain("secret-token");
  });
});

describe("npm run zalo in Vietnamese (the default)", () => {
  it.concurrent.each<[string, string[], Record<string, string>, string]>([
    ["no token", ["info"], { ZALO_BOT_TOKEN: "" }, "Chưa đặt ZALO_BOT_TOKEN; hãy tạo bot trong Zalo Bot Creator rồi đặt mã token của bot."],
    ["a plain-http PUBLIC_URL", ["set-webhook"], { PUBLIC_URL: "http://pdx.example.vn" }, "PUBLIC_URL phải là địa chỉ https: Zalo chỉ gửi webhook qua HTTPS (đang là http://pdx.example.vn)."],
    ["a mistyped flag", ["info", "--jsn"], {}, "Không có tham số --jsn; có phải ý anh/chị là --json? Xem các tham số: zalo info --help"],
    ["a wrong token", ["info"], { ZALO_BOT_TOKEN: "999:wrong-secret-token" }, "(ZALO_BOT_TOKEN có đúng không?)"],
  ])("when run with %s, then the one error line is in Vietnamese", async (_case, args, overrides, line) => {
    const run = await zalo(args, { ...env, ...overrides });
    expect(userError(run), run.stderr).toBe(true);
    expect(run.stderr).toContain(line);
    expect(run.stderr).not.toContain("secret-token");
  });

  it.concurrent.each<["vi" | "en", string[], string]>([
    ["vi", [], "  zalo delete-webhook  —  Gỡ webhook"],
    ["en", ["--lang", "en"], "  zalo delete-webhook  —  Removes the webhook"],
  ])("when --help is asked in %s, then the commands are listed", async (_lang, lang, line) => {
    const run = await zalo(["--help", ...lang], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(line);
    const own = await zalo(["set-webhook", "--help", ...lang], env);
    expect(own.stdout).toContain("  npm run --silent zalo -- set-webhook");
  });
});
