import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { postgresAvailable, postgresBaseUrl } from "../support/databases.js";
import { startService, type RunningService } from "../support/service-harness.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const TOKEN = "555:outage-token";
const SECRET = "outage-secret-1";

const update = (id: number) => ({
  update_id: id,
  message: { message_id: id, date: 1730775600, chat: { id: 77, type: "private" }, from: { id: 77, is_bot: false, first_name: "Lan" }, text: "/help" },
});

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

const ready = async (url: string): Promise<number> => (await fetch(`${url}/readyz`)).status;

async function eventually(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("condition not met in time");
}

describe("when the database becomes unavailable", () => {
  let fake: FakeTelegram | undefined;
  let running: RunningService | undefined;
  let proxy: TcpProxy | undefined;
  let schema: string | undefined;
  // A database that was cut off may leave a pool connection to time out; never let cleanup hang the suite.
  const bounded = (work: Promise<unknown> | undefined): Promise<unknown> =>
    Promise.race([work?.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  afterEach(async () => {
    await bounded(running?.close());
    await bounded(proxy?.close());
    await bounded(fake?.close());
    running = undefined;
    proxy = undefined;
    fake = undefined;
    if (schema !== undefined) {
      const admin = new pg.Client({ connectionString: postgresBaseUrl });
      await bounded(admin.connect().then(() => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).finally(() => admin.end()));
      schema = undefined;
    }
  }, 60_000);

  it.skipIf(!postgresAvailable)("when PostgreSQL is unreachable, then webhooks answer 503 and /readyz 503, and both recover by themselves", async () => {
    fake = await startFakeTelegram();
    proxy = await startTcpProxy(Number(new URL(postgresBaseUrl).port || 5432));
    const url = new URL(postgresBaseUrl);
    url.port = String(proxy.port);
    schema = `outage_${process.pid}_${Date.now().toString(36)}`;
    url.searchParams.set("schema", schema);
    running = await startService({ DATABASE_URL: url.toString(), TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url });
    expect(await post(running.url, update(1))).toBe(200);
    expect(await ready(running.url)).toBe(200);

    await proxy.cut();
    expect(await post(running.url, update(2))).toBe(503);
    expect(await ready(running.url)).toBe(503);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);

    await proxy.restore();
    const service = running;
    await eventually(async () => (await ready(service.url)) === 200);
    // The platform redelivers what got 503: it is applied now, once.
    expect(await post(running.url, update(2))).toBe(200);
    expect(await post(running.url, update(2))).toBe(200);
    expect(await running.service.database.db.processedUpdate.count()).toBe(2);
  }, 90_000);

  it("when another process holds SQLite's write lock, then webhooks answer 503 and /readyz 503 until it lets go", async () => {
    fake = await startFakeTelegram();
    running = await startService({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url }, { sqliteBusyTimeoutMs: 300 });
    expect(await post(running.url, update(1))).toBe(200);
    const target = running.service.database.target;
    if (target.kind !== "sqlite") throw new Error("expected SQLite");
    const locker = new Database(target.file);
    locker.exec("BEGIN EXCLUSIVE");
    try {
      expect(await post(running.url, update(2))).toBe(503);
      expect(await ready(running.url)).toBe(503);
    } finally {
      locker.exec("ROLLBACK");
      locker.close();
    }
    expect(await ready(running.url)).toBe(200);
    expect(await post(running.url, update(2))).toBe(200);
    expect(await running.service.database.db.processedUpdate.count()).toBe(2);
  }, 60_000);
});
