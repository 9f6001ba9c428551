/**
 * Performance benchmark (issue 8): `npm run --silent bench -- --json [--quick]`. Prints one JSON object.
 * Everything runs on loopback: the service in-process, a fake Bot API server, SQLite in a temp dir and PostgreSQL when
 * reachable. Figures are compared inside one run (ratios), since absolute numbers swing between machines and runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import express from "express";
import pg from "pg";
import pino from "pino";
import { createOutboxDeliverer } from "../src/app/deliver-outbox.js";
import { encodeCallbackData } from "../src/channels/telegram/callback-data.js";
import type { ChannelAdapter } from "../src/channels/channel.js";
import { loadConfig } from "../src/config.js";
import { listCriteria } from "../src/domain/questionnaire/definition-index.js";
import { scoreAssessment } from "../src/domain/questionnaire/scoring.js";
import type { AnswerValue } from "../src/domain/questionnaire/answer-value.js";
import { addAgency } from "../src/persistence/agency-store.js";
import { openDatabase } from "../src/persistence/database.js";
import { getDefinition } from "../src/persistence/definition-store.js";
import { createInvite } from "../src/persistence/invite-store.js";
import { addPeriod } from "../src/persistence/period-store.js";
import { createService } from "../src/service.js";
import { startFakeTelegram } from "../test/support/fake-telegram.js";

const { values } = parseArgs({ options: { json: { type: "boolean" }, quick: { type: "boolean" } } });
const quick = values.quick === true;
const MEMBERS = quick ? 4 : 24;
const CONCURRENCY = quick ? 4 : 12;
const REMINDERS = quick ? 1000 : 10_000;
const REMINDER_RATE = 500;
const SECRET = "bench-secret-1";
const silent = pino({ level: "silent" });
const POSTGRES = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** A keep-alive HTTP client: fetch (undici) costs several times more per request on this kind of machine. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }));
  });
}

/** Simulated members answering whole assessments through the Telegram webhook, plus the bare baseline. */
async function benchWebhook(databaseUrl: string) {
  const fake = await startFakeTelegram();
  let tick = Date.parse("2024-11-05T01:00:00Z");
  // Simulated time moves 1.5 s per reading, as people typing: flood control never sees a burst.
  const clock = () => new Date((tick += 1500));
  const config = loadConfig({ DATABASE_URL: databaseUrl, TELEGRAM_BOT_TOKEN: "1:bench", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url, LOG_LEVEL: "silent" });
  const service = await createService(config, { logger: silent, clock });
  const { db } = service.database;
  const definition = await getDefinition(db, "press-dx-1827-2024");
  if (!definition) throw new Error("definition missing");
  await addPeriod(db, {
    definition: definition.id, name: "Bench 2024", referenceFrom: "2023-10-01", referenceTo: "2024-10-31",
    entryOpens: new Date("2024-11-01T00:00:00+07:00"), entryCloses: new Date("2099-11-15T23:59:59+07:00"), deadlines: [],
  });
  const codes: string[] = [];
  for (let m = 0; m < MEMBERS; m += 1) {
    const { agency } = await addAgency(db, { name: `Báo thử ${m}`, province: "Bench", group: "local-newspaper", type: "newspaper" });
    codes.push((await createInvite(db, { kind: "agency", agencyId: agency.id, role: "member" }, { now: new Date("2024-11-05T00:00:00Z"), expiresDays: 365 })).code);
  }
  const { url, server } = await listen(service.app);
  let updateId = 1;
  const post = async (body: object): Promise<number> => {
    const started = performance.now();
    const status = await postJson(`${url}/webhooks/telegram`, { update_id: updateId++, ...body }, { "x-telegram-bot-api-secret-token": SECRET });
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    return performance.now() - started;
  };
  const criteria = listCriteria(definition);
  const latencies: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const member = async (m: number): Promise<void> => {
    const from = { id: 10_000 + m, is_bot: false, first_name: `M${m}` };
    const chat = { id: 10_000 + m, type: "private" };
    const text = (t: string) => post({ message: { message_id: updateId, date: 1730768400, chat, from, text: t } });
    const tap = (questionId: string, value: string) =>
      post({ callback_query: { id: `cb${updateId}`, from, chat_instance: "x", data: encodeCallbackData({ questionId, value }), message: { message_id: 1, date: 1730768400, chat } } });
    await text(`/start ${codes[m]}`);
    await text("tiếp tục");
    for (const [i, { criterion }] of criteria.entries()) {
      const spec = criterion.answer;
      let ms: number;
      if (spec.type === "yesno") ms = await tap(criterion.id, "yes");
      else if (spec.type === "choice") ms = await tap(criterion.id, spec.options[spec.options.length - 1]?.id ?? "a");
      else if (spec.type === "multi") {
        latencies.push(await tap(criterion.id, spec.options[0]?.id ?? "a"));
        ms = await tap(criterion.id, "done");
      } else ms = await text("45,5");
      latencies.push(ms);
      if (i === 0) first.push(ms);
      if (i === criteria.length - 1) last.push(ms);
    }
  };
  const started = performance.now();
  for (let m = 0; m < MEMBERS; m += CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, MEMBERS - m) }, (_, k) => member(m + k)));
  }
  const seconds = (performance.now() - started) / 1000;
  const answered = await db.answer.count();
  if (answered !== MEMBERS * criteria.length) throw new Error(`expected ${MEMBERS * criteria.length} answers, found ${answered}`);

  // Baseline: the minimum durable work of an answer, one transaction, on the same database and HTTP stack.
  const assessment = await db.assessment.findFirstOrThrow();
  const bare = express();
  bare.use(express.json());
  bare.post("/baseline", async (req, res) => {
    const { key, criterionId } = req.body as { key: string; criterionId: string };
    await db.$transaction(async (tx) => {
      await tx.processedUpdate.create({ data: { channel: "bench", externalKey: key } });
      await tx.answer.upsert({
        where: { assessmentId_criterionId: { assessmentId: assessment.id, criterionId } },
        create: { assessmentId: assessment.id, criterionId, value: "true", answeredById: "bench" },
        update: { value: "true" },
      });
    });
    res.json({ ok: true });
  });
  const baseline = await listen(bare);
  const baselineCount = latencies.length;
  let key = 0;
  const baselineStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (key < baselineCount) {
        const k = key++;
        await postJson(`${baseline.url}/baseline`, { key: `b${k}`, criterionId: criteria[k % criteria.length]?.criterion.id });
      }
    }),
  );
  const baselinePerS = baselineCount / ((performance.now() - baselineStarted) / 1000);
  await new Promise((r) => baseline.server.close(r));
  await new Promise((r) => server.close(r));
  await service.close();
  await fake.close();
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  const updatesPerS = latencies.length / seconds;
  const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
  return {
    result: {
      updates_per_s: round(updatesPerS, 1),
      p50_ms: round(quantile(sorted, 0.5)),
      p99_ms: round(quantile(sorted, 0.99)),
      baseline_per_s: round(baselinePerS, 1),
      ratio: round(updatesPerS / baselinePerS),
    },
    flatness: median(last) / Math.max(median(first), 0.001),
  };
}

/** 10,000 reminders through the outbox and the limiter at 500/s, to distinct chats. */
async function benchReminders(databaseUrl: string) {
  const database = await openDatabase(databaseUrl);
  const now = new Date();
  const rows = Array.from({ length: REMINDERS }, (_, i) => i);
  for (let i = 0; i < rows.length; i += 500) {
    await database.db.$transaction((tx) =>
      Promise.all(
        rows.slice(i, i + 500).map((n) =>
          tx.outboxMessage.create({ data: { channel: "telegram", chatId: `c${n}`, payload: JSON.stringify({ kind: "reply", reply: { text: `r${n}`, choices: [] } }), dedupeKey: `bench:${n}`, nextAttemptAt: now } }),
        ),
      ),
    );
  }
  const seen = new Map<string, number>();
  const adapter: ChannelAdapter = {
    channel: "telegram",
    capabilities: { buttons: true, textLimitChars: 4096 },
    verify: () => true,
    parse: () => [],
    async send(chatId) {
      seen.set(chatId, (seen.get(chatId) ?? 0) + 1);
    },
  };
  const deliverer = createOutboxDeliverer({ db: database.db, kind: database.target.kind, adapters: [adapter], logger: silent, clock: () => new Date(), limits: { perSecond: REMINDER_RATE, perChatGapMs: 1000 } });
  const started = performance.now();
  await deliverer.deliverDue();
  const seconds = (performance.now() - started) / 1000;
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  // Lost: accepted into the outbox but never delivered (not sent, or sent to nobody).
  const lost = Math.max(REMINDERS - seen.size, await database.db.outboxMessage.count({ where: { status: { not: "sent" } } }));
  await database.close();
  return { configured_per_s: REMINDER_RATE, achieved_per_s: round(REMINDERS / seconds, 1), duplicates, lost };
}

function benchScoring(definitionJson: Awaited<ReturnType<typeof getDefinition>>): number {
  if (!definitionJson) return 0;
  const answers = new Map<string, AnswerValue>();
  for (const { criterion } of listCriteria(definitionJson)) {
    const spec = criterion.answer;
    answers.set(criterion.id, spec.type === "yesno" ? true : spec.type === "choice" ? (spec.options[0]?.id ?? "a") : spec.type === "multi" ? [spec.options[0]?.id ?? "a"] : 50);
  }
  let n = 0;
  const until = performance.now() + (quick ? 200 : 1000);
  const started = performance.now();
  while (performance.now() < until) {
    scoreAssessment(definitionJson, answers);
    n += 1;
  }
  return round(n / ((performance.now() - started) / 1000), 0);
}

const dir = mkdtempSync(path.join(tmpdir(), "pdx-bench-"));
try {
  const output: Record<string, unknown> = {};
  const sqlite = await benchWebhook(`file:${path.join(dir, "webhook.db")}`);
  output["webhook.sqlite"] = sqlite.result;
  let flatness = sqlite.flatness;
  if (await postgresReachable()) {
    const schema = `bench_${process.pid}`;
    const postgres = await benchWebhook(`${POSTGRES}?schema=${schema}`);
    output["webhook.postgres"] = postgres.result;
    flatness = Math.max(flatness, postgres.flatness);
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
  output.flatness = round(flatness);
  output.reminders = await benchReminders(`file:${path.join(dir, "reminders.db")}`);
  const scoringDb = await openDatabase(`file:${path.join(dir, "webhook.db")}`);
  output.scoring_per_s = benchScoring(await getDefinition(scoringDb.db, "press-dx-1827-2024"));
  await scoringDb.close();
  output.rss_mb = round(process.memoryUsage().rss / 1024 / 1024, 1);
  output.quick = quick;
  process.stdout.write(`${JSON.stringify(output, null, values.json ? 2 : 0)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
