/**
 * The benchmark's other side, in its own process (scripts/bench.ts forks it): the fake Bot API the service sends to,
 * the simulated members posting updates to the webhook, and the client of the bare baseline handler. Keeping them out
 * of the service's process means the service is measured alone — its CPU and its memory — as in production, where
 * Telegram is somewhere else. Talks to its parent over the IPC channel.
 */
import http from "node:http";
import { z } from "zod";
import { encodeCallbackData } from "../../src/channels/telegram/callback-data.js";
import { startFakeTelegram } from "../../test/support/fake-telegram.js";

/** A question as members answer it: its criterion id, answer type and option ids. */
const questionSchema = z.object({ id: z.string(), type: z.string(), options: z.array(z.string()) });
const paceSchema = z.object({ burst: z.number().positive(), perSecond: z.number().positive() });
export const driverCommandSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("members"),
    url: z.string(),
    /**
     * Several instances behind a load balancer: each update goes to the next in turn, and one that an instance refuses
     * (it was killed, or answered 503) goes on to the next, as a load balancer's health check would send it.
     */
    urls: z.array(z.string()).min(1).optional(),
    secret: z.string(),
    codes: z.array(z.string()),
    /** Members are numbered from here (their Telegram user and chat ids), so a second run meets new people. */
    firstMember: z.number().int().nonnegative().default(0),
    concurrency: z.number().int().positive(),
    questions: z.array(questionSchema),
    /** Type every answer ("có", an option's number…) instead of tapping. */
    typed: z.boolean().default(false),
    /** Reading time before each answer, drawn evenly from [min, max] ms (none: back to back). */
    readMs: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).optional(),
  }),
  z.object({
    type: z.literal("baseline"),
    url: z.string(),
    keyPrefix: z.string(),
    count: z.number().int().nonnegative(),
    concurrency: z.number().int().positive(),
    criteria: z.array(z.string()),
  }),
  /** Flood control of the fake Bot API from now on (null: none). */
  z.object({ type: z.literal("flood"), control: z.object({ chat: paceSchema, bot: paceSchema, jitterMs: z.number().nonnegative().optional() }).nullable() }),
  /** What arrived for chats whose id starts with `prefix` (the reminder fan-out): messages and chats reached. */
  z.object({ type: z.literal("tally"), prefix: z.string() }),
  z.object({ type: z.literal("stop") }),
]);
export type DriverCommand = z.input<typeof driverCommandSchema>;
export type BenchQuestion = z.infer<typeof questionSchema>;

/** What members saw: turn times (update posted → next question at the Bot API), and what the Bot API counted. */
export interface MembersReport {
  type: "members-done";
  latencies: number[];
  first: number[];
  last: number[];
  seconds: number;
  /** Updates whose reply never came (within REPLY_TIMEOUT_MS). */
  lost: number;
  /** Replies beyond one per update. */
  duplicated: number;
  /** Each text a chat received a second time: when (wall clock, ms) the platform accepted the first copy and the next. */
  repeats: { firstAt: number; againAt: number }[];
  /** Replies whose question number went back. */
  reordered: number;
  /** Bot API requests into the members' chats while they answered (accepted or not), and how many were answered 429. */
  requests: number;
  throttled: number;
  /** 429s in the whole run, joining included. */
  throttledAll: number;
  /** Updates one instance refused and another took (several instances). */
  failedOver: number;
}

export type DriverReport =
  | { type: "ready"; apiRoot: string }
  | MembersReport
  | { type: "baseline-done"; seconds: number }
  | { type: "flood-set" }
  | { type: "tally-done"; messages: number; chats: number }
  | { type: "failed"; error: string };

/** How long a member waits for the next question before counting it lost and going on. */
const REPLY_TIMEOUT_MS = 20_000;
/** After the run, how long to wait for late or repeated replies before counting. */
const SETTLE_MS = 500;

/** A keep-alive HTTP client: fetch (undici) costs several times more per request on this kind of machine. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function postJson(url: string, body: unknown, headers: Record<string, string> = {}, retried = false): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed just as it was reused (Node's documented race): send once more. A
      // webhook update sent twice is recognised by its update_id, so this never answers anything twice.
      if (!retried && req.reusedSocket && error.code === "ECONNRESET") postJson(url, body, headers, true).then(resolve, reject);
      else reject(error);
    });
    req.end(payload);
  });
}

/** Updates an instance refused and another took (the `urls` of a members run). */
let failedOver = 0;

/** Posts one update to the run's instance (or the next of several in turn, moving on past any that refuse it). */
async function postToInstances(command: { url: string; urls?: string[] | undefined; secret: string }, update: { update_id: number }): Promise<{ status: number; body: string }> {
  const headers = { "x-telegram-bot-api-secret-token": command.secret };
  const urls = command.urls ?? [command.url];
  if (urls.length === 1) return postJson(`${urls[0]}/webhooks/telegram`, update, headers);
  for (let attempt = 0; ; attempt += 1) {
    const url = urls[(update.update_id + attempt) % urls.length] as string;
    const response = await postJson(`${url}/webhooks/telegram`, update, headers).catch(() => ({ status: 0, body: "" }));
    if (response.status === 200 || attempt >= urls.length * 5) return response;
    failedOver += 1;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Messages each chat has received (sendMessage calls accepted), their question numbers, and who waits for the next. */
const received = new Map<string, number>();
const progress = new Map<string, number[]>();
/** Per chat, when each text was first accepted (wall clock, comparable with the bench process's), and texts repeated. */
const firstAccepted = new Map<string, Map<string, number>>();
const repeats = new Map<string, { firstAt: number; againAt: number }[]>();
/** Telegram's update ids only grow: a later run must not look like a redelivery of an earlier one. */
let nextUpdateId = 1;
const waiting = new Map<string, { atLeast: number; resolve: () => void }>();
/** The question message starts with its progress line: "12/43 · P2.2.1 · 4 điểm". */
const PROGRESS = /^(\d+)\/\d+ · /m;
const fake = await startFakeTelegram({
  onCall(call) {
    if (call.method !== "sendMessage") return;
    const chat = String(call.body.chat_id);
    const count = (received.get(chat) ?? 0) + 1;
    received.set(chat, count);
    const texts = firstAccepted.get(chat) ?? new Map<string, number>();
    firstAccepted.set(chat, texts);
    const text = String(call.body.text);
    const firstAt = texts.get(text);
    if (firstAt === undefined) texts.set(text, Date.now());
    else repeats.set(chat, [...(repeats.get(chat) ?? []), { firstAt, againAt: Date.now() }]);
    const number = PROGRESS.exec(text)?.[1];
    if (number !== undefined) progress.set(chat, [...(progress.get(chat) ?? []), Number(number)]);
    const waiter = waiting.get(chat);
    if (waiter && count >= waiter.atLeast) {
      waiting.delete(chat);
      waiter.resolve();
    }
  },
});

/** Resolves once the chat has received `atLeast` messages in all; false on timeout. */
function replyArrived(chat: string, atLeast: number): Promise<boolean> {
  if ((received.get(chat) ?? 0) >= atLeast) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(chat);
      resolve(false);
    }, REPLY_TIMEOUT_MS);
    waiting.set(chat, { atLeast, resolve: () => (clearTimeout(timer), resolve(true)) });
  });
}

/**
 * Members answer whole assessments at once, each one like a person does: (read,) answer, wait for the next question
 * to arrive, answer it. Yes/no and choices are taps, multi-select is a tap and "done" (typed: one list), numbers are typed. A turn is
 * timed from posting the update until the next question reaches the Bot API: what the person sees.
 */
async function runMembers(command: Extract<z.infer<typeof driverCommandSchema>, { type: "members" }>): Promise<MembersReport> {
  let lost = 0;
  const latencies: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const posted = new Map<string, number>();
  const callsBefore = fake.calls.length;
  const failedOverBefore = failedOver;
  const throttledBefore = fake.throttled();
  /** Per member chat: where in the fake's calls its answering began (the /start and resume replies are not counted). */
  const answeringFrom = new Map<string, number>();
  const member = (m: number): { join(): Promise<void>; answer(): Promise<void> } => {
    const person = 10_000 + command.firstMember + m;
    const from = { id: person, is_bot: false, first_name: `M${person}` };
    const chat = { id: person, type: "private" };
    const chatKey = String(chat.id);
    /** `notice`: the answer is a notice on the tapped button, in the webhook's response (a tick), not a message. */
    const post = async (body: object, timed = true, notice = false): Promise<number> => {
      const [min, max] = command.readMs ?? [0, 0];
      if (timed && max > 0) await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
      const before = received.get(chatKey) ?? 0;
      if (!notice) posted.set(chatKey, (posted.get(chatKey) ?? 0) + 1);
      const started = performance.now();
      const response = await postToInstances(command, { update_id: nextUpdateId++, ...body });
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      const arrived = notice ? typeof (JSON.parse(response.body) as { text?: unknown }).text === "string" : await replyArrived(chatKey, before + 1);
      if (!arrived) lost += 1;
      return performance.now() - started;
    };
    // Sent now, by the real clock: the engine's flood limit counts when a person sent each message.
    const text = (t: string, timed = true) => post({ message: { message_id: nextUpdateId, date: Math.floor(Date.now() / 1000), chat, from, text: t } }, timed);
    const tap = (questionId: string, value: string, notice = false) =>
      post({ callback_query: { id: `cb${nextUpdateId}`, from, chat_instance: "x", data: encodeCallbackData({ questionId, value }), message: { message_id: 1, date: 1730768400, chat } } }, true, notice);
    const join = async (): Promise<void> => {
      await text(`/start ${command.codes[m]}`, false);
      await text("tiếp tục", false);
    };
    const answer = async (): Promise<void> => {
      answeringFrom.set(chatKey, fake.calls.length);
      for (const [i, question] of command.questions.entries()) {
        let ms: number;
        if (question.type === "yesno") ms = command.typed ? await text("có") : await tap(question.id, "yes");
        else if (question.type === "choice") ms = command.typed ? await text(String(question.options.length)) : await tap(question.id, question.options[question.options.length - 1] ?? "a");
        else if (question.type === "multi") {
          // A typed list saves at once; buttons tick an option (a notice on the button), then "Xong".
          if (command.typed) ms = await text("1");
          else {
            latencies.push(await tap(question.id, question.options[0] ?? "a", true));
            ms = await tap(question.id, "done");
          }
        } else ms = await text("45,5");
        latencies.push(ms);
        if (i === 0) first.push(ms);
        if (i === command.questions.length - 1) last.push(ms);
      }
    };
    return { join, answer };
  };
  const members = command.codes.length;
  // Each wave of members joins (invite code, "tiếp tục") before any of them answers, and only the answering is timed:
  // the figures are answers a second while people answer, not diluted by a hundred people linking their accounts.
  let answeringMs = 0;
  for (let m = 0; m < members; m += command.concurrency) {
    const wave = await Promise.all(Array.from({ length: Math.min(command.concurrency, members - m) }, async (_, k) => {
      const one = member(m + k);
      await one.join();
      return one;
    }));
    const started = performance.now();
    await Promise.all(wave.map((one) => one.answer()));
    answeringMs += performance.now() - started;
  }
  const seconds = answeringMs / 1000;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  let duplicated = 0;
  let reordered = 0;
  const repeated: MembersReport["repeats"] = [];
  for (const [chat, count] of posted) {
    duplicated += Math.max(0, (received.get(chat) ?? 0) - count);
    repeated.push(...(repeats.get(chat) ?? []));
    const numbers = progress.get(chat) ?? [];
    reordered += numbers.filter((n, i) => i > 0 && n < (numbers[i - 1] ?? 0)).length;
  }
  // Only requests into the members' chats while they answered: reminders sent meanwhile are not theirs. A tap answered
  // by a request rather than in the webhook's response names no chat, and counts too.
  const answering = fake.calls.slice(callsBefore).filter((call, i) => {
    if (call.method === "answerCallbackQuery") return true;
    const from = answeringFrom.get(String(call.body.chat_id));
    return from !== undefined && callsBefore + i >= from;
  });
  const throttled = answering.filter((call) => call.outcome === 429).length;
  return { type: "members-done", latencies, first, last, seconds, lost, duplicated, repeats: repeated, reordered, requests: answering.length, throttled, throttledAll: fake.throttled() - throttledBefore, failedOver: failedOver - failedOverBefore };
}

/** The baseline's client: the same HTTP client and concurrency, as fast as the handler answers. */
async function runBaseline(command: Extract<DriverCommand, { type: "baseline" }>): Promise<DriverReport> {
  let key = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: command.concurrency }, async () => {
      while (key < command.count) {
        const k = key++;
        const { status } = await postJson(command.url, { key: `${command.keyPrefix}${k}`, criterionId: command.criteria[k % command.criteria.length] });
        if (status !== 200) throw new Error(`baseline answered ${status}`);
      }
    }),
  );
  return { type: "baseline-done", seconds: (performance.now() - started) / 1000 };
}

const report = (message: DriverReport): void => void process.send?.(message);

process.on("message", (raw: unknown) => {
  const command = driverCommandSchema.parse(raw);
  if (command.type === "stop") {
    agent.destroy();
    void fake.close().then(() => process.disconnect());
    return;
  }
  if (command.type === "flood") {
    fake.setFloodControl(command.control);
    report({ type: "flood-set" });
    return;
  }
  if (command.type === "tally") {
    const chats = [...received.entries()].filter(([chat]) => chat.startsWith(command.prefix));
    report({ type: "tally-done", messages: chats.reduce((sum, [, n]) => sum + n, 0), chats: chats.length });
    return;
  }
  const run = command.type === "members" ? runMembers(command) : runBaseline(command);
  run.then(report, (error: unknown) => report({ type: "failed", error: error instanceof Error ? error.message : String(error) }));
});
// A parent that failed or was killed leaves no driver behind holding its output open.
process.on("disconnect", () => process.exit(0));
report({ type: "ready", apiRoot: fake.url });
