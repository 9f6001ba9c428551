import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/persistence/database.js";
import { postgresAvailable, postgresBaseUrl } from "../support/databases.js";
import { startFakeTelegram, TELEGRAM_FLOOD_CONTROL, type FakeTelegram } from "../support/fake-telegram.js";
import { exited, freePort, outOfOrderPairs, postStrangers, queueNumbered, startProduction } from "../support/production-service.js";

/**
 * Stopping and killing the production command while replies are queued, against a Bot API that enforces Telegram's
 * limits and answers slowly (so replies wait in the sender's memory when the signal comes). SIGTERM: exit 0 within
 * 10 s and no row left leased; SIGKILL: the rows it held are taken over within seconds of the restart.
 */

const TOKEN = "778:stop-test-token";
const SECRET = "stop-test-secret";
const dir = mkdtempSync(path.join(tmpdir(), "pdx-stop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const databases: { name: string; url: () => Promise<{ url: string; drop: () => Promise<void> }> }[] = [
  { name: "sqlite", url: async () => ({ url: `file:${path.join(dir, "stop.db")}`, drop: async () => undefined }) },
  ...(postgresAvailable
    ? [
        {
          name: "postgres",
          url: async () => {
            const schema = `stop_${process.pid}_${Date.now().toString(36)}`;
            const url = `${postgresBaseUrl}${postgresBaseUrl.includes("?") ? "&" : "?"}schema=${schema}`;
            return {
              url,
              drop: async () => {
                const client = new pg.Client({ connectionString: postgresBaseUrl });
                await client.connect();
                await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
                await client.end();
              },
            };
          },
        },
      ]
    : []),
];

const burst = (port: number, from: number, count: number, stopAfter: number, stop: () => void): Promise<number> => postStrangers(port, SECRET, from, count, stopAfter, stop);
const arrivals = (fake: FakeTelegram) => fake.sent("sendMessage").map((call) => ({ chatId: String(call.body.chat_id), text: String(call.body.text) }));


/** Milliseconds until no reply is left unsent (polled from a connection of the test's own). */
async function untilAllSent(url: string, limitMs: number): Promise<number> {
  const started = Date.now();
  const check = await openDatabase(url);
  try {
    while (Date.now() - started < limitMs) {
      if ((await check.db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
    return Number.POSITIVE_INFINITY;
  } finally {
    await check.close();
  }
}

describe.each(databases)("stopping the service while replies wait to be sent, on $name", (database) => {
  it("when SIGTERM comes mid-burst, then it exits 0 within 10 s with no row leased, and after SIGKILL the restart sends everything within 15 s, each chat in order", async () => {
    const fake: FakeTelegram = await startFakeTelegram({ floodControl: TELEGRAM_FLOOD_CONTROL });
    fake.delay("sendMessage", 150);
    const { url, drop } = await database.url();
    const port = await freePort();
    const env = { DATABASE_URL: url, LOG_LEVEL: "warn", TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url };
    try {
      await queueNumbered(url, 900_000);
      let child: ChildProcess = await startProduction(env, port);
      let asked = 0;
      const acknowledged = await burst(port, 1_000, 80, 60, () => {
        asked = Date.now();
        child.kill("SIGTERM");
      });
      expect(acknowledged).toBeGreaterThanOrEqual(60);
      expect(await exited(child)).toBe(0);
      expect(Date.now() - asked).toBeLessThan(10_000);
      const afterStop = await openDatabase(url);
      expect(await afterStop.db.outboxMessage.count({ where: { status: "sending" } })).toBe(0);
      const rows = await afterStop.db.outboxMessage.count();
      await afterStop.close();

      child = await startProduction(env, port);
      expect(await untilAllSent(url, 15_000)).toBeLessThan(15_000);
      // Nothing sent twice: each reply reached the platform once, and each chat's in the order they were queued.
      expect(fake.sent("sendMessage")).toHaveLength(rows);
      expect(await outOfOrderPairs(url, arrivals(fake))).toBe(0);

      await queueNumbered(url, 950_000);
      const killed = await burst(port, 5_000, 80, 60, () => child.kill("SIGKILL"));
      expect(killed).toBeGreaterThanOrEqual(60);
      await exited(child);
      child = await startProduction(env, port);
      expect(await untilAllSent(url, 15_000)).toBeLessThan(15_000);
      expect(await outOfOrderPairs(url, arrivals(fake))).toBe(0);
      child.kill("SIGTERM");
      expect(await exited(child)).toBe(0);
    } finally {
      await fake.close();
      await drop();
    }
  }, 180_000);
});
