import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration from the environment", () => {
  it("when nothing is set, then the embedded defaults apply and downloads stay off private networks", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ DATABASE_URL: "file:./data/app.db", PORT: 3000, DEFAULT_LOCALE: "vi", ZALO_DOWNLOAD_HOSTS: [], ZALO_DOWNLOAD_ALLOW_PRIVATE: false, TELEGRAM_BOT_RATE_PER_SECOND: 30 });
  });

  it("when the bot-wide rate is raised for paid broadcasts, then it is read as a number", () => {
    expect(loadConfig({ TELEGRAM_BOT_RATE_PER_SECOND: "1000" }).TELEGRAM_BOT_RATE_PER_SECOND).toBe(1000);
  });

  it("when download hosts are listed, then they are trimmed, lower-cased and blanks dropped", () => {
    const config = loadConfig({ ZALO_DOWNLOAD_HOSTS: " zdn.vn, Photo.Zalo.ME ,, ", ZALO_DOWNLOAD_ALLOW_PRIVATE: "true" });
    expect(config.ZALO_DOWNLOAD_HOSTS).toEqual(["zdn.vn", "photo.zalo.me"]);
    expect(config.ZALO_DOWNLOAD_ALLOW_PRIVATE).toBe(true);
  });

  it.each([
    [{ ZALO_DOWNLOAD_HOSTS: "zdn.vn, http://evil/" }, "ZALO_DOWNLOAD_HOSTS"],
    [{ ZALO_DOWNLOAD_ALLOW_PRIVATE: "yes" }, "ZALO_DOWNLOAD_ALLOW_PRIVATE"],
    [{ ZALO_BOT_TOKEN: "123:secret-token-value" }, "ZALO_WEBHOOK_SECRET"],
    [{ TELEGRAM_BOT_TOKEN: "1:abc", TELEGRAM_WEBHOOK_SECRET: "short" }, "TELEGRAM_WEBHOOK_SECRET"],
    [{ PORT: "70000" }, "PORT"],
    [{ METRICS_TOKEN: "short-token" }, "METRICS_TOKEN"],
    [{ TELEGRAM_BOT_RATE_PER_SECOND: "5000" }, "TELEGRAM_BOT_RATE_PER_SECOND"],
    [{ TELEGRAM_BOT_RATE_PER_SECOND: "fast" }, "TELEGRAM_BOT_RATE_PER_SECOND"],
  ])("when %j is set, then start-up stops with a line naming %s and never the values", (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^${variable}[.:]`, "m"));
    for (const value of Object.values(env)) expect(message).not.toContain(value);
  });
});
