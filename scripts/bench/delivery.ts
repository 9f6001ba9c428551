/**
 * The benchmark's delivery figures (issue 25), each on the real clock over real HTTP against the fake Bot API:
 * - storm: reply pairs (a chat's second reply queued 300 ms after its first) while the Bot API answers at random 429,
 *   500 or drops the connection: pairs out of order, messages sent twice, time until all are delivered;
 * - retried reply: one reply fails once with a 500 while reminders are queued: how long after its retry was due it
 *   arrived, and how many reminders went before it;
 * - stop and takeover: the production command stopped with SIGTERM and killed with SIGKILL mid-burst, then restarted:
 *   time to exit, rows left leased, time until every reply is delivered, messages sent twice;
 * - strangers under 429: many chats wait while every send is throttled: peak memory, messages sent twice.
 */
import { readFileSync } from "node:fs";
import pino from "pino";
import { createOutboxDeliverer } from "../../src/app/deliver-outbox.js";
import { SendError, type ChannelAdapter } from "../../src/channels/channel.js";
import { createTelegramAdapter } from "../../src/channels/telegram/telegram-adapter.js";
import { TELEGRAM_LIMITS } from "../../src/domain/delivery/send-policy.js";
import { openDatabase, type Database } from "../../src/persistence/database.js";
import { outboxSteps } from "../../src/persistence/outbox-store.js";
import { startFakeTelegram, TELEGRAM_FLOOD_CONTROL, type FakeTelegram } from "../../test/support/fake-telegram.js";
import buildDist from "../../test/support/build-dist.js";
import { exited, freePort, outOfOrderPairs, postStrangers, queueNumbered, startProduction } from "../../test/support/production-service.js";

const silent = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const reply = (text: string) => ({ kind: "reply" as const, reply: { text, choices: [], questionId: undefined } });

/** Waits until no row is left unsent; resolves with the milliseconds it took (Infinity past `limitMs`). */
async function untilAllSent(database: Database, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if ((await database.db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0) return Date.now() - started;
    await sleep(50);
  }
  return Number.POSITIVE_INFINITY;
}

/** What a webhook does: one reply queued leased to this sender, in one transaction on the driver (as handle-inbound). */
async function queueReply(database: Database, chatId: string, text: string) {
  const queued = outboxSteps({ channel: "telegram", chatId, identityId: null }, [reply(text)], new Date(), { leased: true });
  await database.sql.transact(queued.steps);
  return queued.entries;
}

/** Accepted sends in the fake's log: per chat, the texts in arrival order. */
function arrivals(fake: FakeTelegram): Map<string, string[]> {
  const byChat = new Map<string, string[]>();
  for (const call of fake.sent("sendMessage")) byChat.set(String(call.body.chat_id), [...(byChat.get(String(call.body.chat_id)) ?? []), String(call.body.text)]);
  return byChat;
}

export async function benchStorm(databaseUrl: string, pairs: number) {
  const fake = await startFakeTelegram();
  fake.storm("sendMessage", { throttled: 0.08, failed: 0.08, dropped: 0.06, retryAfterS: 5 });
  const database = await openDatabase(databaseUrl);
  const adapter = createTelegramAdapter({ token: "1:storm", webhookSecret: "storm-secret-1", apiRoot: fake.url, logger: silent });
  // The storm is about order, not pacing: the bot-wide rate of paid broadcasts, Telegram's per-chat limits.
  const limits = { ...TELEGRAM_LIMITS, bot: { perSecond: 900, burst: 90 } };
  const deliverer = createOutboxDeliverer({ store: database, adapters: [adapter], logger: silent, clock: () => new Date(), limits: { telegram: limits } });
  deliverer.start();
  const queue = async (chat: string, text: string) => deliverer.deliverClaimed(await queueReply(database, chat, text));
  const started = Date.now();
  await Promise.all(
    Array.from({ length: pairs }, async (_, i) => {
      await sleep(i * 10);
      await queue(String(9_000_000 + i), `${i}/1`);
      await sleep(300);
      await queue(String(9_000_000 + i), `${i}/2`);
    }),
  );
  const allSentMs = await untilAllSent(database, 180_000);
  fake.storm("sendMessage", null);
  await deliverer.stop();
  const byChat = arrivals(fake);
  let outOfOrder = 0;
  let duplicates = 0;
  for (const texts of byChat.values()) {
    if (texts.indexOf(texts.find((t) => t.endsWith("/2")) ?? "") < texts.findIndex((t) => t.endsWith("/1"))) outOfOrder += 1;
    duplicates += texts.length - new Set(texts).size;
  }
  const outcomes = (o: number | "dropped") => fake.calls.filter((c) => c.method === "sendMessage" && c.outcome === o).length;
  const result = {
    pairs,
    out_of_order_pairs: outOfOrder,
    duplicates,
    lost: 2 * pairs - [...byChat.values()].reduce((n, texts) => n + new Set(texts).size, 0),
    seconds_until_all_sent: Number.isFinite(allSentMs) ? Math.round((Date.now() - started) / 100) / 10 : null,
    storm: { "429": outcomes(429), "500": outcomes(500), dropped: outcomes("dropped") },
  };
  await database.close();
  await fake.close();
  return result;
}

export async function benchRetriedReply(databaseUrl: string, reminders: number) {
  let arrived = 0;
  let remindersBefore = 0;
  const fake = await startFakeTelegram({
    onCall(call) {
      if (call.method !== "sendMessage") return;
      if (call.body.chat_id === 42 || call.body.chat_id === "42") arrived ||= Date.now();
      else if (arrived === 0) remindersBefore += 1;
    },
  });
  const database = await openDatabase(databaseUrl);
  const now = new Date();
  for (let i = 0; i < reminders; i += 1000) {
    await database.db.outboxMessage.createMany({
      data: Array.from({ length: Math.min(1000, reminders - i) }, (_, k) => ({
        channel: "telegram", chatId: String(7_000_000 + i + k), payload: JSON.stringify(reply(`nhắc ${i + k}`)), dedupeKey: `bench:${i + k}`, lane: "proactive", nextAttemptAt: now, createdAt: now,
      })),
    });
  }
  const telegram = createTelegramAdapter({ token: "1:retried", webhookSecret: "retried-secret-1", apiRoot: fake.url, logger: silent });
  let failedAt = 0;
  const adapter: ChannelAdapter = {
    ...telegram,
    send: async (chatId, message, options) => {
      if (chatId === "42" && failedAt === 0) {
        failedAt = Date.now();
        throw new SendError("network", "500 Internal Server Error");
      }
      return telegram.send(chatId, message, options);
    },
  };
  // The service's default pace: reminders at Telegram's bulk rate (less a margin), replies always first.
  const deliverer = createOutboxDeliverer({ store: database, adapters: [adapter], logger: silent, clock: () => new Date() });
  deliverer.start();
  await sleep(1000);
  deliverer.deliverClaimed(await queueReply(database, "42", "câu 2/43"));
  const limit = Date.now() + 60_000;
  while (arrived === 0 && Date.now() < limit) await sleep(20);
  await deliverer.stop();
  await database.close();
  await fake.close();
  // Its first retry is due 5 s after the failure (retry-delay.ts).
  return { reminders_queued: reminders, delivered_ms_after_due: arrived === 0 ? null : arrived - failedAt - 5000, reminders_sent_before_it: remindersBefore };
}

export async function benchStopAndTakeover(file: string, people: number) {
  buildDist();
  const fake = await startFakeTelegram({ floodControl: TELEGRAM_FLOOD_CONTROL });
  // A slow Bot API, so replies wait in the sender's memory when the signal comes.
  fake.delay("sendMessage", 150);
  const url = `file:${file}`;
  const port = await freePort();
  const env = { DATABASE_URL: url, LOG_LEVEL: "silent", TELEGRAM_BOT_TOKEN: "1:takeover", TELEGRAM_WEBHOOK_SECRET: "takeover-secret", TELEGRAM_API_ROOT: fake.url };
  const check = async <T>(work: (database: Database) => Promise<T>): Promise<T> => {
    const database = await openDatabase(url);
    try {
      return await work(database);
    } finally {
      await database.close();
    }
  };
  await queueNumbered(url, 900_000);
  let child = await startProduction(env, port);
  let asked = 0;
  let restarted = 0;
  const restart = async () => {
    restarted = Date.now();
    child = await startProduction(env, port);
  };
  await postStrangers(port, "takeover-secret", 1_000, people, Math.floor(people * 0.75), () => {
    asked = Date.now();
    child.kill("SIGTERM");
  });
  const code = await exited(child);
  const stopMs = Date.now() - asked;
  const leasedAfterStop = await check((d) => d.db.outboxMessage.count({ where: { status: "sending" } }));
  await restart();
  await check((d) => untilAllSent(d, 60_000));
  const afterStopMs = Date.now() - restarted;
  await queueNumbered(url, 950_000);
  await postStrangers(port, "takeover-secret", 50_000, people, Math.floor(people * 0.75), () => child.kill("SIGKILL"));
  await exited(child);
  await restart();
  await check((d) => untilAllSent(d, 60_000));
  const takeoverMs = Date.now() - restarted;
  child.kill("SIGTERM");
  await exited(child);
  const rows = await check((d) => d.db.outboxMessage.count());
  const duplicates = fake.sent("sendMessage").length - rows;
  const outOfOrder = await outOfOrderPairs(url, fake.sent("sendMessage").map((call) => ({ chatId: String(call.body.chat_id), text: String(call.body.text) })));
  await fake.close();
  return {
    people_per_burst: people,
    sigterm: { exit_code: code, exit_ms: stopMs, rows_left_leased: leasedAfterStop, all_sent_ms_after_restart: afterStopMs },
    // From the restart's spawn, start-up included.
    sigkill: { all_sent_ms_after_restart: takeoverMs },
    duplicates,
    // Numbered replies queued for 40 chats before the stop and the kill, in the order each chat received them.
    out_of_order_pairs: outOfOrder,
  };
}

/** The production command's resident memory, in MB (Linux). */
function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid ?? 0}/status`, "utf8");
  return Math.round(Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN) / 102.4) / 10;
}

/**
 * Strangers write while the Bot API answers 429 to every send (retry_after up to 10 s): what waits is held in memory
 * only up to its cap, the rest in the table. Then the Bot API recovers: messages sent twice, the process's memory while
 * they all waited (and its peak over the whole run, the burst of webhooks included), and how long until all were
 * delivered (at the paid-broadcast rate, to keep the run short).
 */
export async function benchStrangersUnder429(file: string, people: number) {
  const fake = await startFakeTelegram();
  fake.storm("sendMessage", { throttled: 1, failed: 0, dropped: 0, retryAfterS: 10 });
  const url = `file:${file}`;
  const port = await freePort();
  const env = { DATABASE_URL: url, LOG_LEVEL: "silent", TELEGRAM_BOT_TOKEN: "1:strangers", TELEGRAM_WEBHOOK_SECRET: "strangers-secret", TELEGRAM_API_ROOT: fake.url, TELEGRAM_BOT_RATE_PER_SECOND: "1000" };
  const child = await startProduction(env, port);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid))), 200);
  const posting = Date.now();
  await postStrangers(port, "strangers-secret", 100_000, people, people + 1, () => undefined);
  const postingMs = Date.now() - posting;
  // Memory while every chat waits (nothing arrives any more, nothing can be sent): the last seconds before recovery.
  await sleep(4_000);
  let waiting = 0;
  const waitingSampler = setInterval(() => (waiting = Math.max(waiting, rssMb(child.pid))), 100);
  await sleep(1_000);
  clearInterval(waitingSampler);
  fake.storm("sendMessage", null);
  const database = await openDatabase(url);
  const started = Date.now();
  const allSentMs = await untilAllSent(database, 180_000);
  clearInterval(sampler);
  const rows = await database.db.outboxMessage.count();
  await database.close();
  child.kill("SIGTERM");
  await exited(child);
  const byChat = arrivals(fake);
  const duplicates = [...byChat.values()].reduce((n, texts) => n + texts.length - 1, 0);
  await fake.close();
  return { people, rows, posting_ms: postingMs, peak_rss_mb: peak, waiting_rss_mb: waiting, throttled_429: fake.calls.filter((c) => c.outcome === 429).length, duplicates, all_sent_ms_after_recovery: Number.isFinite(allSentMs) ? Date.now() - started : null };
}
