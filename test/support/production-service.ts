import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { openDatabase } from "../../src/persistence/database.js";
import { outboxSteps } from "../../src/persistence/outbox-store.js";

const root = path.resolve(import.meta.dirname, "..", "..");

/** The production start command after `node`: the Dockerfile's CMD, and the end of `npm start`. */
export const START_ARGS = ["--max-old-space-size=1024", "--enable-source-maps", "dist/main.js"];

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts exactly the Docker image's command (node itself, not a wrapper, so SIGKILL hits the server) and resolves once
 * /healthz answers. A non-zero exit is printed with the process's stderr.
 */
export async function startProduction(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, START_ARGS, { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.once("exit", (code) => {
    if (code !== 0 && code !== null) console.error("service exited", code, stderr);
  });
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("service did not start");
}

/**
 * Resolves with the exit code once `child` has exited (null when a signal ended it). A process killed by a signal
 * keeps `exitCode` null and sets `signalCode`: both are checked, or a child that died before the call waits forever.
 */
export const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once("exit", (code) => resolve(code)));

/**
 * Strangers writing at once to the Telegram webhook (8 at a time), each one message after the other of `texts` (each
 * acknowledged before the next: a person who types on), each answered with a reply: `stop` is called once `stopAfter`
 * updates were acknowledged; the burst ends at the first refused request. Resolves with how many were acknowledged.
 */
export async function postStrangers(port: number, secret: string, from: number, count: number, stopAfter: number, stop: () => void, texts: readonly string[] = ["xin chào"]): Promise<number> {
  let acknowledged = 0;
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < from + count) {
      const id = next++;
      for (const [k, text] of texts.entries()) {
        const updateId = id * texts.length + k;
        const status = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
          body: JSON.stringify({ update_id: updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id, type: "private" }, from: { id, is_bot: false, first_name: "Khách" }, text } }),
        }).then((r) => r.status, () => 0);
        if (status !== 200) return;
        if ((acknowledged += 1) === stopAfter) stop();
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return acknowledged;
}

/**
 * Replies that arrived before one queued ahead of them in their chat: per chat, the texts the platform accepted (in
 * arrival order) against the chat's outbox rows in queue order. A repeat of a text already arrived is not counted.
 */
export async function outOfOrderPairs(url: string, arrived: readonly { readonly chatId: string; readonly text: string }[]): Promise<number> {
  const database = await openDatabase(url);
  try {
    const rows = await database.db.outboxMessage.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { chatId: true, payload: true } });
    const queued = new Map<string, string[]>();
    for (const row of rows) {
      const payload = JSON.parse(row.payload) as { reply?: { text?: string } };
      queued.set(row.chatId, [...(queued.get(row.chatId) ?? []), payload.reply?.text ?? ""]);
    }
    let pairs = 0;
    const last = new Map<string, number>();
    const seen = new Set<string>();
    for (const { chatId, text } of arrived) {
      if (seen.has(`${chatId}\n${text}`)) continue;
      seen.add(`${chatId}\n${text}`);
      const at = (queued.get(chatId) ?? []).indexOf(text);
      if (at < (last.get(chatId) ?? -1)) pairs += 1;
      last.set(chatId, Math.max(at, last.get(chatId) ?? -1));
    }
    return pairs;
  } finally {
    await database.close();
  }
}

/**
 * Replies already queued for 20 chats, four each, numbered: strangers all get the same text, so these are the ones
 * whose order the stop and the restart can be seen to keep.
 */
export async function queueNumbered(url: string, firstChat: number): Promise<void> {
  const database = await openDatabase(url);
  try {
    for (let chat = firstChat; chat < firstChat + 20; chat += 1) {
      const texts = [1, 2, 3, 4].map((n) => ({ kind: "reply" as const, reply: { text: `${n}/4`, choices: [], questionId: undefined } }));
      await database.sql.transact(outboxSteps({ channel: "telegram", chatId: String(chat), identityId: null }, texts, new Date()).steps);
    }
  } finally {
    await database.close();
  }
}
