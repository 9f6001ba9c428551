/**
 * Performance benchmark (issue 8): `npm run --silent bench -- --json [--quick]`. Prints one JSON object.
 * Everything runs on loopback. The run has three parts, each in a process of its own (`--part sqlite|postgres|rest`),
 * so that each holds one service at a time, as in production: the webhook on SQLite, the webhook on PostgreSQL (when
 * reachable), then reminders and scoring. In the webhook parts the fake Bot API and the simulated members live in a
 * forked load driver (scripts/bench/load-driver.ts), so CPU and memory figures are the service's own. Figures are
 * compared inside one run (ratios), since absolute numbers swing between machines and runs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import inspector from "node:inspector";
import { execFile, spawn } from "node:child_process";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import express from "express";
import pg from "pg";
import pino from "pino";
import { z } from "zod";
import { loadDefinitionFile, shippedDefinitionFiles } from "../src/definitions/definition-files.js";
import { createOutboxDeliverer } from "../src/app/outbox/deliverer.js";
import { SEND_ONLY_CAPABILITIES, sendOnly, type ChannelAdapter } from "../src/channels/channel.js";
import { loadConfig } from "../src/config.js";
import { TELEGRAM_LIMITS, type DeliveryLimits } from "../src/domain/delivery/send-policy.js";
import { listCriteria } from "../src/domain/questionnaire/definition-index.js";
import { scoreAssessment } from "../src/domain/questionnaire/scoring.js";
import type { AnswerValue } from "../src/domain/questionnaire/answer-value.js";
import { addAgency } from "../src/persistence/agency-store.js";
import { recordEventStep, upsertAnswerStep } from "../src/persistence/conversation-store.js";
import { openDatabase } from "../src/persistence/database.js";
import { getDefinition } from "../src/persistence/definition-store.js";
import { seed } from "../src/persistence/seed.js";
import { createInvite } from "../src/persistence/invite-store.js";
import { addPeriod } from "../src/persistence/period-store.js";
import { createService, type Service } from "../src/service.js";
import { TELEGRAM_FLOOD_CONTROL, type FloodControl } from "../test/support/fake-telegram.js";
import { benchRetriedReply, benchStopAndTakeover, benchStorm, benchStrangersUnder429 } from "./bench/delivery.js";
import { benchQuestions, startDriver, type Driver } from "./bench/driver-client.js";
import { benchInstances } from "./bench/instances.js";
import buildDist from "../test/support/build-dist.js";
import { START_ARGS } from "../test/support/production-service.js";
import type { BenchQuestion, DriverReport } from "./bench/load-driver.js";
import { runCorpus } from "../test/support/reply-corpus.js";

const { values } = parseArgs({ options: { json: { type: "boolean" }, quick: { type: "boolean" }, profile: { type: "string" }, part: { type: "string" }, concurrency: { type: "string" } } });
const execFileAsync = promisify(execFile);
const quick = values.quick === true;
const MEMBERS = quick ? 4 : 24;
/**
 * Members answering at once, back to back. On the build machine the service's throughput is already at its peak with
 * two (README: the sweep); each member more only lengthens the queue, and the latency then measures the load
 * generator (members ÷ throughput) rather than the service. `--concurrency <n>` reproduces the sweep.
 */
const CONCURRENCY = z.coerce.number().int().min(1).max(64).parse(values.concurrency ?? 4);
/** Members who answer alone after the others, for flatness: one person's cost per question, with no queue to blur it. */
const SERIAL_MEMBERS = quick ? 2 : 10;
/** People answering back to back at once ("100 people"), each the first CROWD_QUESTIONS questions. */
const CROWD = quick ? 20 : 100;
const CROWD_QUESTIONS = quick ? 3 : 10;
/** People who read 0.5–1.5 s before each answer, each in their own chat, the first READER_QUESTIONS questions. */
const READERS = quick ? 2 : 4;
const READER_QUESTIONS = quick ? 4 : 20;
const REMINDERS = quick ? 1000 : 10_000;
/** People who all join in the same second, then answer reading 1.5–4.5 s (issue 25's crowd against the documented limits). */
const SAME_SECOND = 50;
const SAME_SECOND_QUESTIONS = quick ? 3 : 6;
const REMINDER_RATE = 500;
/**
 * The reminder fan-out's limits: reminders at REMINDER_RATE under a bot-wide ceiling Telegram grants with paid
 * broadcasts (up to 1,000 messages a second); replies keep Telegram's per-chat bucket.
 */
const REMINDER_LIMITS: DeliveryLimits = { ...TELEGRAM_LIMITS, bot: { perSecond: 1000, burst: 100 }, proactive: { perSecond: REMINDER_RATE, chatPerSecond: 1, botHeadroom: 10 } };
const SECRET = "bench-secret-1";
const silent = pino({ level: process.env.BENCH_DEBUG ? "warn" : "silent" }, pino.destination(2));
const POSTGRES = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> => Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

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

/**
 * `--profile <dir>`: a CPU profile of this process (the service) while the members answer, for Chrome DevTools or
 * `node --cpu-prof`-style tools. Only the answering phase, so set-up and the baseline do not blur it.
 */
async function startProfiler(): Promise<{ stopInto(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string): Promise<T> =>
    new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post("Profiler.enable");
  await post("Profiler.start");
  return {
    async stopInto(file) {
      const { profile } = await post<{ profile: unknown }>("Profiler.stop");
      session.disconnect();
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}

/** Limits high enough never to wait: the service's own capacity, when the platform lets it send at will. */
const LIFTED_LIMITS: DeliveryLimits = { ...TELEGRAM_LIMITS, chat: { perSecond: 1e6, burst: 1e6 }, bot: { perSecond: 1e6, burst: 1e6 } };
/** The fake Bot API for the fan-out: Telegram's per-chat control, and the bot-wide 1,000/s of paid broadcasts. */
const BROADCAST_FLOOD = { chat: TELEGRAM_FLOOD_CONTROL.chat, bot: { burst: 100, perSecond: 1000 } };

type Members = Extract<DriverReport, { type: "members-done" }>;

/** Figures of one members run, as the README reports them. */
function summarise(run: Members, answered: number) {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return {
    // A tick on a several-choice question is an update but no answer: answers are counted by the questions answered.
    answers_per_s: round(answered / run.seconds, 1),
    updates_per_s: round(run.latencies.length / run.seconds, 1),
    p50_ms: round(quantile(sorted, 0.5)),
    p99_ms: round(quantile(sorted, 0.99)),
    requests_per_answer: round(run.requests / Math.max(answered, 1)),
    requests_per_update: round(run.requests / Math.max(run.latencies.length, 1)),
    throttled_429: run.throttled,
    lost: run.lost,
    duplicated: run.duplicated,
    reordered: run.reordered,
  };
}

/**
 * Simulated members answering through the Telegram webhook on the real clock, timed from posting an update until the
 * next question reaches the fake Bot API. Three services in turn on one database:
 * 1. limits lifted, no flood control: the service's own capacity — a warm-up wave (not counted), the bare baselines
 *    (half before, half after, so a machine that speeds up or slows down moves both sides alike), members 4 at once
 *    (the figures compared with the baselines), 100 people back to back, members alone (flatness);
 * 2. Telegram's limits against Telegram-like flood control: people reading 0.5–1.5 s before each answer, and 100
 *    people back to back (bounded by the platform's 30 messages a second per bot);
 * 3. the reminder fan-out at REMINDER_RATE (paid-broadcast ceiling) while people read and answer.
 */
async function benchWebhook(databaseUrl: string) {
  const driver = await startDriver();
  const config = loadConfig({ DATABASE_URL: databaseUrl, TELEGRAM_BOT_TOKEN: "1:bench", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: driver.apiRoot, LOG_LEVEL: "silent" });
  // Scripted members answer faster than any person: the engine's limit on one person's messages would drop them.
  const people = { logger: silent, inboundFloodControl: false };
  let service = await createService(config, { ...people, deliveryLimits: { telegram: LIFTED_LIMITS } });
  const definition = await getDefinition(service.database.db, "press-dx-1827-2024");
  if (!definition) throw new Error("definition missing");
  const period = await addPeriod(service.database, {
    definition: definition.id, name: "Bench 2024", referenceFrom: "2023-10-01", referenceTo: "2024-10-31",
    entryOpens: new Date("2024-11-01T00:00:00+07:00"), entryCloses: new Date("2099-11-15T23:59:59+07:00"), deadlines: [],
  });
  let agencies = 0;
  const newMembers = async (count: number): Promise<string[]> => {
    const codes: string[] = [];
    for (let m = 0; m < count; m += 1) {
      const { agency } = await addAgency(service.database.db, { name: `Báo thử ${(agencies += 1)}`, province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
      codes.push((await createInvite(service.database.db, { kind: "agency", agencyId: agency.id, role: "member" }, { now: new Date(), expiresDays: 365 })).code);
    }
    return codes;
  };
  let { url, server } = await listen(service.app);
  const criteria = listCriteria(definition);
  const questions = benchQuestions(definition);
  let firstMember = 0;
  let expectedAnswers = 0;
  const answerAll = async (codes: string[], concurrency: number, options: { questions?: BenchQuestion[]; readMs?: [number, number] } = {}): Promise<Members> => {
    const asked = options.questions ?? questions;
    const run = await driver.request({ type: "members", url, secret: SECRET, codes, concurrency, questions: asked, firstMember, ...(options.readMs ? { readMs: options.readMs } : {}) });
    if (run.type !== "members-done") throw new Error("unexpected load driver report");
    firstMember += codes.length;
    expectedAnswers += codes.length * asked.length;
    if (process.env.BENCH_DEBUG) process.stderr.write(`${JSON.stringify({ ...run, latencies: run.latencies.length, first: undefined, last: undefined })}\n`);
    return run;
  };
  const restart = async (limits: DeliveryLimits, flood: FloodControl | null) => {
    await new Promise((r) => server.close(r));
    await service.close();
    service = await createService(config, { ...people, deliveryLimits: { telegram: limits } });
    ({ url, server } = await listen(service.app));
    const set = await driver.request({ type: "flood", control: flood });
    if (set.type !== "flood-set") throw new Error("unexpected load driver report");
  };

  // Baseline: the minimum durable work of an answer, one transaction, on the same database and HTTP stack, written the
  // plain way with Prisma's query builder (the ratio's reference since the first run), and again with the driver-level
  // SQL the per-message path now uses (ratio_vs_driver: how much more than the bare minimum a whole answer costs). It
  // answers into an assessment of its own.
  const { db } = service.database;
  const { agency: baselineAgency } = await addAgency(db, { name: "Báo đo nền", province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
  const assessment = await db.assessment.create({ data: { agencyId: baselineAgency.id, periodId: period.id } });
  const bare = express();
  bare.use(express.json());
  bare.post("/baseline/driver", async (req, res) => {
    const { key, criterionId } = req.body as { key: string; criterionId: string };
    const answer = { assessmentId: assessment.id, criterionId, json: "true", personId: "bench" };
    await service.database.sql.transact([recordEventStep("telegram", key, new Date()), upsertAnswerStep(answer, new Date())]);
    res.json({ ok: true });
  });
  bare.post("/baseline/orm", async (req, res) => {
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
  const baselineCount = Math.round((MEMBERS * questions.length * 1.1) / 2);
  const baselineSeconds = { orm: 0, driver: 0 };
  const runBaselines = async (half: string) => {
    for (const variant of ["orm", "driver"] as const) {
      const run = await driver.request({ type: "baseline", url: `${baseline.url}/baseline/${variant}`, keyPrefix: `${variant}-${half}-`, count: baselineCount, concurrency: CONCURRENCY, criteria: criteria.map((c) => c.criterion.id) });
      if (run.type !== "baseline-done") throw new Error("unexpected load driver report");
      baselineSeconds[variant] += run.seconds;
    }
  };

  const [warmUp, measured, alone, hundredFree] = [await newMembers(CONCURRENCY), await newMembers(MEMBERS), await newMembers(SERIAL_MEMBERS), await newMembers(CROWD)];
  const [readers, hundredPaced, fanOutReaders] = [await newMembers(READERS), await newMembers(CROWD), await newMembers(READERS)];
  const sameSecondPeople = await newMembers(SAME_SECOND);
  const crowdQuestions = questions.slice(0, CROWD_QUESTIONS);
  const readerQuestions = questions.slice(0, READER_QUESTIONS);

  await answerAll(warmUp, CONCURRENCY);
  await runBaselines("before");
  const profiler = values.profile === undefined ? null : await startProfiler();
  const members = await answerAll(measured, CONCURRENCY);
  if (profiler && values.profile !== undefined) await profiler.stopInto(path.join(values.profile, `webhook-${databaseUrl.startsWith("file:") ? "sqlite" : "postgres"}.cpuprofile`));
  await runBaselines("after");
  const serial = await answerAll(alone, 1);
  const crowdProfiler = values.profile === undefined ? null : await startProfiler();
  const crowdFree = await answerAll(hundredFree, CROWD, { questions: crowdQuestions });
  if (crowdProfiler && values.profile !== undefined) await crowdProfiler.stopInto(path.join(values.profile, `crowd-${databaseUrl.startsWith("file:") ? "sqlite" : "postgres"}.cpuprofile`));
  await new Promise((r) => baseline.server.close(r));

  await restart(TELEGRAM_LIMITS, TELEGRAM_FLOOD_CONTROL);
  const reading = await answerAll(readers, READERS, { questions: readerQuestions, readMs: [500, 1500] });
  const crowdPaced = await answerAll(hundredPaced, CROWD, { questions: crowdQuestions });
  // Everyone joins in the same second against Telegram's documented limits, seen through 30 ms of clock jitter.
  await restart(TELEGRAM_LIMITS, { ...TELEGRAM_FLOOD_CONTROL, jitterMs: 30 });
  const sameSecond = await answerAll(sameSecondPeople, SAME_SECOND, { questions: questions.slice(0, SAME_SECOND_QUESTIONS), readMs: [1500, 4500] });

  await restart(REMINDER_LIMITS, BROADCAST_FLOOD);
  const fanOut = await reminderFanOut(service, driver, () => answerAll(fanOutReaders, READERS, { questions: readerQuestions, readMs: [500, 1500] }));

  const answered = await service.database.db.answer.count({ where: { assessmentId: { not: assessment.id } } });
  if (answered !== expectedAnswers) throw new Error(`expected ${expectedAnswers} answers, found ${answered}`);
  await new Promise((r) => server.close(r));
  await service.close();
  await driver.stop();

  const sorted = [...members.latencies].sort((a, b) => a - b);
  const updatesPerS = members.latencies.length / members.seconds;
  const baselinePerS = (2 * baselineCount) / baselineSeconds.orm;
  const driverBaselinePerS = (2 * baselineCount) / baselineSeconds.driver;
  const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
  const readingFigures = summarise(reading, READERS * readerQuestions.length);
  return {
    result: {
      updates_per_s: round(updatesPerS, 1),
      p50_ms: round(quantile(sorted, 0.5)),
      p99_ms: round(quantile(sorted, 0.99)),
      baseline_per_s: round(baselinePerS, 1),
      ratio: round(updatesPerS / baselinePerS),
      baseline_driver_per_s: round(driverBaselinePerS, 1),
      ratio_vs_driver: round(updatesPerS / driverBaselinePerS),
      members_at_once: CONCURRENCY,
      missing_replies: members.lost + serial.lost,
      requests_per_answer: round(members.requests / (MEMBERS * questions.length)),
    },
    people: {
      reading: { people: READERS, questions: readerQuestions.length, p50_ms: readingFigures.p50_ms, p99_ms: readingFigures.p99_ms, requests_per_answer: readingFigures.requests_per_answer, throttled_429: readingFigures.throttled_429, lost: readingFigures.lost },
      crowd_back_to_back: { people: CROWD, questions: crowdQuestions.length, telegram_flood_control: summarise(crowdPaced, CROWD * crowdQuestions.length), limits_lifted: summarise(crowdFree, CROWD * crowdQuestions.length) },
      reminders_while_reading: fanOut,
      same_second_start: { people: SAME_SECOND, questions: SAME_SECOND_QUESTIONS, throttled_429: sameSecond.throttledAll, throttled_429_answering: sameSecond.throttled, ...pick(summarise(sameSecond, SAME_SECOND * SAME_SECOND_QUESTIONS), ["p50_ms", "p99_ms", "lost", "duplicated", "reordered"]) },
    },
    flatness: median(serial.last) / Math.max(median(serial.first), 0.001),
  };
}

/**
 * The reminder fan-out through the service's own deliverer while people read and answer: REMINDERS rows queued as
 * reminders (each under a dedupe key, to chats of their own), delivered at REMINDER_RATE against the fake Bot API.
 * Resolves with the rate achieved, what the Bot API received, and the readers' turn times.
 */
async function reminderFanOut(service: Service, driver: Driver, readersAnswer: () => Promise<Members>) {
  const { db } = service.database;
  const now = new Date();
  for (let i = 0; i < REMINDERS; i += 500) {
    await db.$transaction((tx) =>
      Promise.all(
        Array.from({ length: Math.min(500, REMINDERS - i) }, (_, k) => i + k).map((n) =>
          tx.outboxMessage.create({ data: { channel: "telegram", chatId: `r${n}`, payload: JSON.stringify({ kind: "reply", reply: { text: `r${n}`, choices: [] } }), dedupeKey: `bench:${n}`, lane: "proactive", nextAttemptAt: now, createdAt: now } }),
        ),
      ),
      // Queuing is not what is measured: a busy machine must not fail the run over Prisma's 5 s default.
      { timeout: 60_000 },
    );
  }
  const started = performance.now();
  const fanOut = service.deliverer.deliverDue().then(() => (performance.now() - started) / 1000);
  const [seconds, readers] = await Promise.all([fanOut, readersAnswer()]);
  const tally = await driver.request({ type: "tally", prefix: "r" });
  if (tally.type !== "tally-done") throw new Error("unexpected load driver report");
  const sorted = [...readers.latencies].sort((a, b) => a - b);
  return {
    reminders: REMINDERS,
    configured_per_s: REMINDER_RATE,
    achieved_per_s: round(tally.messages / seconds, 1),
    duplicates: tally.messages - tally.chats,
    lost: REMINDERS - tally.chats,
    readers: READERS,
    readers_p50_ms: round(quantile(sorted, 0.5)),
    readers_p99_ms: round(quantile(sorted, 0.99)),
    readers_throttled_429: readers.throttled,
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
          tx.outboxMessage.create({ data: { channel: "telegram", chatId: `c${n}`, payload: JSON.stringify({ kind: "reply", reply: { text: `r${n}`, choices: [] } }), dedupeKey: `bench:${n}`, lane: "proactive", nextAttemptAt: now } }),
        ),
      ),
    );
  }
  const seen = new Map<string, number>();
  const adapter: ChannelAdapter = {
    channel: "telegram",
    capabilities: { buttons: true, textLimitChars: 4096, ...SEND_ONLY_CAPABILITIES },
    ...sendOnly("telegram"),
    verify: () => true,
    parse: () => [],
    async send(chatId) {
      seen.set(chatId, (seen.get(chatId) ?? 0) + 1);
    },
  };
  const deliverer = createOutboxDeliverer({ store: database, adapters: [adapter], logger: silent, clock: () => new Date(), limits: { telegram: REMINDER_LIMITS } });
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

/**
 * The service's memory: the production command (`node dist/main.js`, built first) in a process of its own, on SQLite,
 * after 40 members answered whole assessments at the pace its real clock and Telegram's per-chat limit allow.
 * Resolves with its RSS in MB and the latency the members saw at that pace (webhook.paced).
 */
async function benchFootprint(file: string): Promise<{ rss_mb: number; paced: Record<string, unknown> }> {
  buildDist();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const members = quick ? 6 : 40;
  const seeding = await openDatabase(`file:${file}`);
  await seed(seeding.db);
  const definition = await getDefinition(seeding.db, "press-dx-1827-2024");
  if (!definition) throw new Error("definition missing");
  const day = 86_400_000;
  await addPeriod(seeding, {
    definition: definition.id, name: "Footprint", referenceFrom: "2023-10-01", referenceTo: "2024-10-31",
    entryOpens: new Date(Date.now() - day), entryCloses: new Date(Date.now() + 30 * day), deadlines: [],
  });
  const codes: string[] = [];
  for (let m = 0; m < members; m += 1) {
    const { agency } = await addAgency(seeding.db, { name: `Báo đo bộ nhớ ${m}`, province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
    codes.push((await createInvite(seeding.db, { kind: "agency", agencyId: agency.id, role: "member" })).code);
  }
  await seeding.close();
  const driver = await startDriver();
  const port = await new Promise<number>((resolve) => {
    const probe = http.createServer().listen(0, "127.0.0.1", () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const env = { ...process.env, DATABASE_URL: `file:${file}`, PORT: String(port), LOG_LEVEL: "warn", TELEGRAM_BOT_TOKEN: "1:bench", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: driver.apiRoot };
  const service = spawn(process.execPath, START_ARGS, { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let tries = 0; !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); tries += 1) {
      if (tries > 300) throw new Error("the service did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Telegram lets a bot send one message a second to a chat, so the service paces each member at about one answer
    // a second; a typed answer is one message, a typed list included. The quick run answers a few.
    const questions = benchQuestions(definition).slice(0, quick ? 8 : undefined);
    const run = await driver.request({ type: "members", url, secret: SECRET, codes, concurrency: members, questions, typed: true });
    if (run.type !== "members-done" || run.lost > 0) throw new Error("footprint run: replies missing");
    const status = readFileSync(`/proc/${service.pid}/status`, "utf8");
    const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
    const sorted = [...run.latencies].sort((a, b) => a - b);
    // The same run seen from the members: the latency people get at a load the platform's pacing allows.
    const paced = {
      members,
      updates_per_s: round(run.latencies.length / run.seconds, 1),
      p50_ms: round(quantile(sorted, 0.5)),
      p99_ms: round(quantile(sorted, 0.99)),
    };
    return { rss_mb: round(kb / 1024, 1), paced };
  } finally {
    const exited = new Promise((resolve) => service.once("exit", resolve));
    service.kill("SIGTERM");
    await exited;
    await driver.stop();
  }
}

/** One part of the run, in a process of its own: one service at a time, as in production. */
async function runPart(part: Part, dir: string): Promise<Record<string, unknown>> {
  const rss = () => round(process.memoryUsage().rss / 1024 / 1024, 1);
  if (part === "sqlite") {
    const { result, people, flatness } = await benchWebhook(`file:${path.join(dir, "webhook.db")}`);
    return { result, people, flatness, rss_mb: rss() };
  }
  if (part === "postgres") {
    if (!(await postgresReachable())) return {};
    const schema = `bench_${process.pid}`;
    try {
      const { result, people, flatness } = await benchWebhook(`${POSTGRES}?schema=${schema}`);
      return { result, people, flatness, rss_mb: rss() };
    } finally {
      const client = new pg.Client({ connectionString: POSTGRES });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
  if (part === "footprint") return benchFootprint(path.join(dir, "footprint.db"));
  if (part === "delivery") return benchDeliveryFigures(dir);
  if (part === "instances") {
    if (!(await postgresReachable())) return {};
    buildDist();
    return benchInstances(POSTGRES, SAME_SECOND_QUESTIONS, quick);
  }
  const reminders = await benchReminders(`file:${path.join(dir, "reminders.db")}`);
  const file = shippedDefinitionFiles().find((f) => path.basename(f).startsWith("press-dx-1827-2024"));
  if (file === undefined) throw new Error("shipped definition press-dx-1827-2024 not found");
  const corpus = runCorpus();
  const replies = { cases: corpus.cases, understood_share: round(corpus.share, 3), misread: corpus.misread };
  return { reminders, scoring_per_s: benchScoring(loadDefinitionFile(file)), replies, rss_mb: rss() };
}

/** Issue 25's figures (scripts/bench/delivery.ts): storm order, a retried reply behind reminders, stop and takeover. */
async function benchDeliveryFigures(dir: string): Promise<Record<string, unknown>> {
  const pairs = quick ? 100 : 500;
  const onPostgres = async <T>(run: (url: string) => Promise<T>): Promise<T | undefined> => {
    if (!(await postgresReachable())) return undefined;
    const schema = `bench_delivery_${process.pid}`;
    try {
      return await run(`${POSTGRES}?schema=${schema}`);
    } finally {
      const client = new pg.Client({ connectionString: POSTGRES });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  };
  return {
    storm: { sqlite: await benchStorm(`file:${path.join(dir, "storm.db")}`, pairs), postgres: await onPostgres((url) => benchStorm(url, pairs)) },
    retried_reply: { sqlite: await benchRetriedReply(`file:${path.join(dir, "retried.db")}`, REMINDERS), postgres: await onPostgres((url) => benchRetriedReply(url, REMINDERS)) },
    stop_and_takeover: await benchStopAndTakeover(path.join(dir, "takeover.db"), quick ? 60 : 150),
    // Issue 25's figures: nothing sent twice, and memory while 30,000 chats wait.
    strangers_under_429: await benchStrangersUnder429(path.join(dir, "strangers.db"), quick ? 1_000 : 30_000),
  };
}

const PARTS = ["sqlite", "postgres", "rest", "footprint", "delivery", "instances"] as const;
type Part = (typeof PARTS)[number];
const partSchema = z.enum(PARTS);

if (values.part !== undefined) {
  const dir = mkdtempSync(path.join(tmpdir(), "pdx-bench-"));
  try {
    process.stdout.write(`${JSON.stringify(await runPart(partSchema.parse(values.part), dir))}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const parts: Record<string, Record<string, unknown>> = {};
  for (const part of PARTS) {
    const args = [fileURLToPath(import.meta.url), "--part", part, ...(quick ? ["--quick"] : []), ...(values.profile === undefined ? [] : ["--profile", values.profile])];
    const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", ...args], { maxBuffer: 16 * 1024 * 1024 });
    parts[part] = z.record(z.string(), z.unknown()).parse(JSON.parse(stdout));
  }
  const { sqlite = {}, postgres = {}, rest = {} } = parts;
  const output: Record<string, unknown> = { "webhook.sqlite": sqlite.result, "people.sqlite": sqlite.people };
  if (postgres.result !== undefined) {
    output["webhook.postgres"] = postgres.result;
    output["people.postgres"] = postgres.people;
  }
  output.flatness = round(Math.max(Number(sqlite.flatness ?? 0), Number(postgres.flatness ?? 0)));
  output.reminders = rest.reminders;
  output.scoring_per_s = rest.scoring_per_s;
  output.replies = rest.replies;
  output["webhook.paced"] = parts.footprint?.paced;
  output.rss_mb = parts.footprint?.rss_mb;
  output.delivery = parts.delivery;
  output.instances = parts.instances;
  output.quick = quick;
  process.stdout.write(`${JSON.stringify(output, null, values.json ? 2 : 0)}\n`);
}
