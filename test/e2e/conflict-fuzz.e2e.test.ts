import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import type { Db } from "../../src/persistence/db-client.js";
import { createInvite } from "../../src/persistence/invite-store.js";
import { inviteCode, NOW, seedAgency } from "../app/conversation-fixture.js";
import { postgresAvailable, postgresKind, type TestDatabase } from "../support/databases.js";
import { buttonsOf, startFakeTelegram, type FakeTelegram, type RecordedCall } from "../support/fake-telegram.js";
import { startService, type RunningService } from "../support/service-harness.js";
import { planUpdates, type Actor, type Job, type Planned } from "./conflict-fuzz-plan.js";

/**
 * Issue 25, item 5: a province's people write at once — two supervisors asking for overviews, reports, dossiers and
 * nudges, leads and members answering, tapping old buttons, sending stickers and nonsense — several messages of one
 * person at the same moment, updates redelivered, garbage. Posted over the real webhook with 16 in flight, against a
 * fake Bot API. Every webhook must answer 200 (a 503 makes Telegram redeliver, and a supervisor waits seconds more),
 * no update is handled twice, and every update's replies reach its chat, in order.
 *
 * FUZZ_UPDATES (default 2,000 per database) and FUZZ_SEED (default: drawn, printed on failure) replay a run.
 */

const TOKEN = "123:FUZZ";
const SECRET = "fuzz-secret-value";
const TOTAL = Number(process.env.FUZZ_UPDATES ?? 2000);
/** The two-instance run is the slowest per update: fewer by default, as many when FUZZ_UPDATES says. */
const TOTAL_TWO_INSTANCES = Number(process.env.FUZZ_UPDATES ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const IN_FLIGHT = 16;
const AGENCIES = 4;
const MEMBERS_PER_AGENCY = 3;

/** Real time from NOW (inside the seeded period), one millisecond apart at least: each reading is unique, so a
 * processed update and the replies queued with it share a timestamp no other update has. */
function uniqueClock(): () => Date {
  const start = performance.now();
  let last = 0;
  return () => {
    last = Math.max(NOW.getTime() + Math.floor(performance.now() - start), last + 1);
    return new Date(last);
  };
}

function actorsOf(): Actor[] {
  const actors: Actor[] = [
    { name: "supervisor1", role: "supervisor", id: 8_100_000_001 },
    { name: "supervisor2", role: "supervisor", id: 8_100_000_002 },
  ];
  for (let a = 0; a < AGENCIES; a += 1) {
    actors.push({ name: `lead${a}`, role: "lead", id: 8_200_000_000 + a * 10, agency: a });
    for (let m = 1; m <= MEMBERS_PER_AGENCY; m += 1) actors.push({ name: `member${a}.${m}`, role: "member", id: 8_200_000_000 + a * 10 + m, agency: a });
  }
  return actors;
}

interface Outcome {
  readonly updateId: number | undefined;
  readonly status: number;
  readonly body: string;
}

const openPostgres = () => postgresKind.open();
/** Several instances on one PostgreSQL database, the README's way to scale: one person's updates reach both. */
const setups = [
  { name: "sqlite", open: async () => null, instances: 1, total: TOTAL },
  ...(postgresAvailable
    ? [
        { name: "postgres", open: openPostgres, instances: 1, total: TOTAL },
        { name: "postgres, two instances", open: openPostgres, instances: 2, total: TOTAL_TWO_INSTANCES },
      ]
    : []),
];

describe.each(setups)("a province writing at once, on $name", ({ open, instances, total }) => {
  let fake: FakeTelegram;
  let services: RunningService[] = [];
  let running: RunningService;
  let database: TestDatabase | null;
  let db: Db;
  const actors = actorsOf();
  const sentDates = new Map<number, number>();
  const bodies = new Map<number, Record<string, unknown>>();
  const eventChat = new Map<number, number>();
  const outcomes: Outcome[] = [];
  /** Taps answered with a notice on the button instead of a message. */
  const tapNoticed = new Set<number>();
  /** The replies to the linking messages before the run: no update of the run made them. */
  const setupRows = new Set<string>();
  /** Per chat, the messages with buttons the bot sent, to tap one later. */
  const withButtons = new Map<string, RecordedCall[]>();
  const keepButtons = (call: RecordedCall): void => {
    if (call.method !== "sendMessage" || buttonsOf(call).length === 0) return;
    const chat = String(call.body.chat_id);
    const list = withButtons.get(chat);
    if (list === undefined) withButtons.set(chat, [call]);
    else list.push(call);
  };

  const post = async (body: unknown): Promise<Outcome> => {
    const id = (body as { update_id?: unknown }).update_id;
    const instance = services[typeof id === "number" ? id % services.length : 0] ?? running;
    const res = await fetch(`${instance.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: SECRET },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    const updateId = (body as { update_id?: unknown }).update_id;
    const outcome = { updateId: typeof updateId === "number" ? updateId : undefined, status: res.status, body: text };
    if (res.status === 200) {
      const reply = JSON.parse(text) as Record<string, unknown>;
      if (reply.method === "answerCallbackQuery" && typeof reply.text === "string" && outcome.updateId !== undefined) tapNoticed.add(outcome.updateId);
      await fake.webhookReply(TOKEN, reply);
    }
    return outcome;
  };

  /** One person's message as Telegram sends it; their messages are a second apart on Telegram's clock (no flood). */
  const message = (actor: Actor, updateId: number, content: Record<string, unknown>) => {
    const date = (sentDates.get(actor.id) ?? Math.floor(NOW.getTime() / 1000)) + 1;
    sentDates.set(actor.id, date);
    const from = { id: actor.id, is_bot: false, first_name: actor.name, language_code: "vi" };
    return { update_id: updateId, message: { message_id: updateId, date, from, chat: { id: actor.id, type: "private", first_name: actor.name }, ...content } };
  };

  const bodyOf = (planned: Planned): Record<string, unknown> => {
    if (planned.kind === "garbage") return planned.body;
    if (planned.kind === "redelivery") return bodies.get(planned.copyOf) ?? { update_id: planned.copyOf };
    const { actor, move, updateId } = planned;
    eventChat.set(updateId, actor.id);
    if (move.kind === "sticker") return message(actor, updateId, { sticker: { file_id: "sticker", file_unique_id: "s", width: 512, height: 512, is_animated: false, is_video: false, type: "regular" } });
    if (move.kind === "text") return message(actor, updateId, { text: move.text });
    const shown = withButtons.get(String(actor.id)) ?? [];
    const call: RecordedCall | undefined = shown[Math.floor(move.pick * shown.length)];
    const button = call === undefined ? undefined : buttonsOf(call)[Math.floor(move.pick * 1000) % buttonsOf(call).length];
    if (call === undefined || button === undefined) return message(actor, updateId, { text: "tiếp tục" });
    const from = { id: actor.id, is_bot: false, first_name: actor.name, language_code: "vi" };
    const chat = { id: actor.id, type: "private", first_name: actor.name };
    const messageId = (call.result as { message_id: number }).message_id;
    return { update_id: updateId, callback_query: { id: `cq-${updateId}`, from, chat_instance: "1", message: { message_id: messageId, date: 0, chat, text: call.body.text }, data: button.callback_data } };
  };

  const describeOutcome = (o: Outcome): string => {
    const body = o.updateId === undefined ? undefined : bodies.get(o.updateId);
    const what = body === undefined ? "garbage" : JSON.stringify(body.message === undefined ? "tap" : ((body.message as { text?: string }).text ?? "sticker")).slice(0, 40);
    const who = actors.find((a) => a.id === eventChat.get(o.updateId ?? 0))?.name ?? "?";
    return `${o.status} ${o.updateId ?? ""} ${who} ${what}`;
  };

  /** Whatever is queued, sent by whichever instance sends (a follower leaves its replies to the elected sender). */
  const deliverAll = async (): Promise<void> => {
    for (let round = 0; round < 3; round += 1) for (const service of services) await service.service.deliverer.deliverDue();
  };

  const runJob = async (job: Job): Promise<void> => {
    const posted = job.map((planned) => {
      const body = bodyOf(planned);
      if (planned.kind === "event") bodies.set(planned.updateId, body);
      return body;
    });
    outcomes.push(...(await Promise.all(posted.map(post))));
  };

  beforeAll(async () => {
    database = await open();
    fake = await startFakeTelegram({ onCall: keepButtons });
    // One clock for every instance: its readings stay unique across them.
    const clock = uniqueClock();
    const start = () =>
      startService(
        { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url, ...(database ? { DATABASE_URL: database.url } : {}) },
        // People here write far faster than Telegram lets a bot answer one chat: the pace is lifted, the order is not.
        { clock, deliveryLimits: { telegram: { chat: { burst: 1000, perSecond: 1000 }, bot: { burst: 1000, perSecond: 1000 }, proactive: { perSecond: 500, chatPerSecond: 500, botHeadroom: 10 } } } },
      );
    running = await start();
    services = [running];
    for (let i = 1; i < instances; i += 1) services.push(await start());
    db = running.service.database.db;
    const { agency } = await seedAgency(running.service.database, "Báo Thử 0");
    const agencyIds = [agency.id];
    for (let a = 1; a < AGENCIES; a += 1) agencyIds.push((await addAgency(db, { name: `Báo Thử ${a}`, province: "Hà Nội", group: "local-newspaper", type: "newspaper" })).agency.id);
    let updateId = 100;
    for (const actor of actors) {
      const code =
        actor.role === "supervisor"
          ? (await createInvite(db, { kind: "province", province: "Hà Nội", role: "supervisor" }, { now: NOW, expiresDays: 60 })).code
          : await inviteCode(db, agencyIds[actor.agency ?? 0] ?? "", actor.role);
      updateId += 1;
      expect((await post(message(actor, updateId, { text: `/start ${code.replace("-", "")}` }))).status).toBe(200);
    }
    await deliverAll();
    expect(await db.chatIdentity.count({ where: { personId: { not: null } } })).toBe(actors.length);
    fake.clear();
    withButtons.clear();
    outcomes.length = 0;
    for (const row of await db.outboxMessage.findMany({ select: { id: true } })) setupRows.add(row.id);
  }, 120_000);

  afterAll(async () => {
    for (const service of services.reverse()) await service.close();
    await fake?.close();
    await database?.close();
  });

  it(`when ${total} updates arrive 16 at a time, then every one is answered 200, handled once, and its replies reach its chat in order`, async () => {
    const jobs = planUpdates(SEED, total, actors, AGENCIES, 10_000);
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) await runJob(jobs[next++] ?? []);
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    await deliverAll();

    const failed = outcomes.filter((o) => o.status !== 200);
    const errors = new Map<string, number>();
    for (const line of services.flatMap((s) => s.logs.lines).filter((l) => l.includes("webhook handling failed"))) errors.set(errorOf(line), (errors.get(errorOf(line)) ?? 0) + 1);
    const summary = `seed ${SEED} (FUZZ_SEED=${SEED} to replay), ${outcomes.length} posts in ${seconds} s, ${failed.length} not 200: ${JSON.stringify(failed.slice(0, 8).map(describeOutcome))} ${JSON.stringify([...errors])}`;
    console.info(`conflict fuzz: ${summary}`);
    expect(failed, summary).toEqual([]);

    // Handled once: every event is recorded, and each reply row belongs to exactly one recorded event of its chat.
    const processed = await db.processedUpdate.findMany({ where: { channel: "telegram" } });
    const at = new Map(processed.map((p) => [Number(p.externalKey), p.processedAt.getTime()]));
    const missing = [...eventChat.keys()].filter((id) => !at.has(id));
    expect(missing, summary).toEqual([]);
    const rows = (await db.outboxMessage.findMany({ where: { dedupeKey: null }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).filter((r) => !setupRows.has(r.id));
    const byMoment = new Map<string, number>();
    for (const [id, time] of at) if (eventChat.has(id)) byMoment.set(`${eventChat.get(id)}@${time}`, id);
    const orphans = rows.filter((r) => !byMoment.has(`${r.chatId}@${r.createdAt.getTime()}`));
    expect(orphans.map((r) => r.payload.slice(0, 120)), summary).toEqual([]);

    // Every event got a reply: a queued message, or a notice on the tapped button.
    const replied = new Set(rows.map((r) => byMoment.get(`${r.chatId}@${r.createdAt.getTime()}`)));
    const silent = [...eventChat.keys()].filter((id) => !replied.has(id) && !tapNoticed.has(id));
    expect(silent.map((id) => JSON.stringify(bodies.get(id)).slice(0, 200)), summary).toEqual([]);

    // Once each, and per chat in order: what the fake received is the chat's replies in the order they were queued.
    // Nudges go out after replies by design (replies before reminders): they are checked as delivered, once.
    const all = (await db.outboxMessage.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).filter((r) => !setupRows.has(r.id));
    expect(all.filter((r) => r.status !== "sent").map((r) => [r.status, r.lastError]), summary).toEqual([]);
    for (const actor of actors) {
      const mine = all.filter((r) => r.chatId === String(actor.id));
      const proactive = mine.filter((r) => r.dedupeKey !== null).map(shownText);
      const received = fake.calls.filter((c) => c.outcome === "ok" && String(c.body.chat_id) === String(actor.id) && /^send(Message|Photo|Document)$/.test(c.method)).map(receivedText);
      expect(received.length, `${summary}; chat ${actor.name}`).toBe(mine.length);
      const replies = received.filter((text) => {
        const i = proactive.indexOf(text);
        if (i >= 0) proactive.splice(i, 1);
        return i < 0;
      });
      expect(proactive, `${summary}; chat ${actor.name}`).toEqual([]);
      expect(replies, `${summary}; chat ${actor.name}`).toEqual(mine.filter((r) => r.dedupeKey === null).map(shownText));
    }
  }, Math.max(120_000, total * 60));
});

/** The first words of a queued message, as its chat should see them. */
function shownText(row: { payload: string }): string {
  const message = JSON.parse(row.payload) as { kind: string; reply?: { text: string }; caption?: string };
  return (message.kind === "reply" ? (message.reply?.text ?? "") : (message.caption ?? "")).slice(0, 40);
}

function receivedText(call: RecordedCall): string {
  return String(call.body.text ?? call.body.caption ?? "").slice(0, 40);
}

/** What made a webhook fail, from its log line. */
function errorOf(line: string): string {
  const err = (JSON.parse(line) as { err?: { type?: string; message?: string; stack?: string } }).err;
  const at = (err?.stack ?? "").split("\n").find((l) => l.includes("/src/"))?.trim() ?? "";
  return `${err?.type ?? "?"}: ${(err?.message ?? "").split("\n").filter((l) => l.trim() !== "").at(-1) ?? ""} ${at}`;
}
