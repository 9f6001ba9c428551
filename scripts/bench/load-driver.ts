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
export const driverCommandSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("members"),
    url: z.string(),
    secret: z.string(),
    codes: z.array(z.string()),
    /** Members are numbered from here (their Telegram user and chat ids), so a second run meets new people. */
    firstMember: z.number().int().nonnegative().default(0),
    concurrency: z.number().int().positive(),
    questions: z.array(questionSchema),
    /** Type every answer ("có", an option's number…) instead of tapping: no keyboard to clear, one reply per answer. */
    typed: z.boolean().default(false),
  }),
  z.object({
    type: z.literal("baseline"),
    url: z.string(),
    keyPrefix: z.string(),
    count: z.number().int().nonnegative(),
    concurrency: z.number().int().positive(),
    criteria: z.array(z.string()),
  }),
  z.object({ type: z.literal("stop") }),
]);
export type DriverCommand = z.input<typeof driverCommandSchema>;
export type BenchQuestion = z.infer<typeof questionSchema>;

export type DriverReport =
  | { type: "ready"; apiRoot: string }
  | { type: "members-done"; latencies: number[]; first: number[]; last: number[]; seconds: number; missingReplies: number }
  | { type: "baseline-done"; seconds: number }
  | { type: "failed"; error: string };

/** How long a member waits for the next question before counting it missing and going on. */
const REPLY_TIMEOUT_MS = 10_000;

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

/** Questions each chat has received (sendMessage calls), and who waits for the next one. */
const received = new Map<string, number>();
/** Telegram's update ids only grow: a later run must not look like a redelivery of an earlier one. */
let nextUpdateId = 1;
const waiting = new Map<string, { atLeast: number; resolve: () => void }>();
const fake = await startFakeTelegram({
  onCall(call) {
    if (call.method !== "sendMessage") return;
    const chat = String(call.body.chat_id);
    const count = (received.get(chat) ?? 0) + 1;
    received.set(chat, count);
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
 * Members answer whole assessments at once, each one like a person does: answer, wait for the next question to
 * arrive, answer it. Yes/no and choices are taps, multi-select is a tap and "done", numbers are typed.
 */
async function runMembers(command: Extract<z.infer<typeof driverCommandSchema>, { type: "members" }>): Promise<DriverReport> {
  let missingReplies = 0;
  const latencies: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const member = async (m: number): Promise<void> => {
    const person = 10_000 + command.firstMember + m;
    const from = { id: person, is_bot: false, first_name: `M${person}` };
    const chat = { id: person, type: "private" };
    const chatKey = String(chat.id);
    const post = async (body: object): Promise<number> => {
      const before = received.get(chatKey) ?? 0;
      const started = performance.now();
      const status = await postJson(`${command.url}/webhooks/telegram`, { update_id: nextUpdateId++, ...body }, { "x-telegram-bot-api-secret-token": command.secret });
      if (status !== 200) throw new Error(`webhook answered ${status}`);
      const ms = performance.now() - started;
      if (!(await replyArrived(chatKey, before + 1))) missingReplies += 1;
      return ms;
    };
    const text = (t: string) => post({ message: { message_id: nextUpdateId, date: 1730768400, chat, from, text: t } });
    const tap = (questionId: string, value: string) =>
      post({ callback_query: { id: `cb${nextUpdateId}`, from, chat_instance: "x", data: encodeCallbackData({ questionId, value }), message: { message_id: 1, date: 1730768400, chat } } });
    await text(`/start ${command.codes[m]}`);
    await text("tiếp tục");
    for (const [i, question] of command.questions.entries()) {
      let ms: number;
      if (question.type === "yesno") ms = command.typed ? await text("có") : await tap(question.id, "yes");
      else if (question.type === "choice") ms = command.typed ? await text(String(question.options.length)) : await tap(question.id, question.options[question.options.length - 1] ?? "a");
      else if (question.type === "multi") {
        latencies.push(command.typed ? await text("1") : await tap(question.id, question.options[0] ?? "a"));
        ms = command.typed ? await text("xong") : await tap(question.id, "done");
      } else ms = await text("45,5");
      latencies.push(ms);
      if (i === 0) first.push(ms);
      if (i === command.questions.length - 1) last.push(ms);
    }
  };
  const members = command.codes.length;
  const started = performance.now();
  for (let m = 0; m < members; m += command.concurrency) {
    await Promise.all(Array.from({ length: Math.min(command.concurrency, members - m) }, (_, k) => member(m + k)));
  }
  const seconds = (performance.now() - started) / 1000;
  return { type: "members-done", latencies, first, last, seconds, missingReplies };
}

/** The baseline's client: the same HTTP client and concurrency, as fast as the handler answers. */
async function runBaseline(command: Extract<DriverCommand, { type: "baseline" }>): Promise<DriverReport> {
  let key = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: command.concurrency }, async () => {
      while (key < command.count) {
        const k = key++;
        const status = await postJson(command.url, { key: `${command.keyPrefix}${k}`, criterionId: command.criteria[k % command.criteria.length] });
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
  const run = command.type === "members" ? runMembers(command) : runBaseline(command);
  run.then(report, (error: unknown) => report({ type: "failed", error: error instanceof Error ? error.message : String(error) }));
});
// A parent that failed or was killed leaves no driver behind holding its output open.
process.on("disconnect", () => process.exit(0));
report({ type: "ready", apiRoot: fake.url });
