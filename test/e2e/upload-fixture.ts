import { readdirSync } from "node:fs";
import path from "node:path";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { TELEGRAM_LIMITS } from "../../src/domain/delivery/send-policy.js";
import type { Db } from "../../src/persistence/db-client.js";
import { inviteCode, NOW, seedAgency } from "../app/conversation-fixture.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startService, type RunningService } from "../support/service-harness.js";
import { addAgency } from "../../src/persistence/agency-store.js";

/**
 * The service with a fake Bot API, two agencies and a lead in each linked over the Telegram webhook: what the upload
 * page's tests (HTTP and browser) start from. The clock moves 3 s at every reading and can jump (`advance`).
 */
export interface UploadWorld {
  readonly fake: FakeTelegram;
  readonly running: RunningService;
  readonly db: Db;
  readonly agencyId: string;
  readonly otherAgencyId: string;
  /** Chat ids (= Telegram user ids) of the two leads. */
  readonly lan: number;
  readonly hung: number;
  /** Sends text as one of the leads and returns the replies it caused. */
  say(chat: number, text: string): Promise<string[]>;
  /** Asks for an upload link in the chat and returns it, pointed at the test server. */
  linkFor(chat: number): Promise<string>;
  advance(ms: number): void;
  /** Files in the evidence directory (to check nothing was left behind). */
  evidenceFiles(): string[];
  close(): Promise<void>;
}

const TOKEN = "123:UPLOAD";
const SECRET = "upload-secret";

export async function startUploadWorld(): Promise<UploadWorld> {
  const fake = await startFakeTelegram();
  let offset = 0;
  const clock = (): Date => new Date(NOW.getTime() + (offset += 3000));
  const running = await startService(
    { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url, PUBLIC_URL: "https://bot.example.vn" },
    { clock, deliveryLimits: { telegram: { ...TELEGRAM_LIMITS, chat: { burst: 1000, perSecond: 1000 } } } },
  );
  const db = running.service.database.db;
  const store = running.service.database;
  const { agency } = await seedAgency(store);
  const other = await addAgency(db, { name: "Tạp chí Bên Cạnh", province: "Hà Nội", group: "local-newspaper", type: "magazine" });
  let updateId = 1;
  const say = async (chat: number, text: string): Promise<string[]> => {
    const before = fake.sent("sendMessage").length;
    const update = { update_id: ++updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), from: { id: chat, is_bot: false, first_name: `P${chat}` }, chat: { id: chat, type: "private" }, text } };
    const res = await fetch(`${running.url}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: SECRET }, body: JSON.stringify(update) });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await res.arrayBuffer();
    await running.service.deliverer.deliverDue();
    return fake.sent("sendMessage").slice(before).filter((c) => c.body.chat_id === chat).map((c) => String(c.body.text));
  };
  const lan = 5100000001;
  const hung = 5100000002;
  await say(lan, `/start ${await inviteCode(db, agency.id, "lead")}`);
  await say(hung, `/start ${await inviteCode(db, other.agency.id, "lead")}`);
  const dataDir = path.dirname(running.service.database.target.kind === "sqlite" ? running.service.database.target.file : "");
  return {
    fake,
    running,
    db,
    agencyId: agency.id,
    otherAgencyId: other.agency.id,
    lan,
    hung,
    say,
    async linkFor(chat) {
      const replies = await say(chat, "gửi tệp");
      const link = replies.join("\n").match(/https:\/\/bot\.example\.vn(\/u\/[A-Za-z0-9_-]+)/)?.[1];
      if (link === undefined) throw new Error(`no link in ${replies.join(" | ")}`);
      return `${running.url}${link}`;
    },
    advance(ms) {
      offset += ms;
    },
    evidenceFiles() {
      try {
        return readdirSync(path.join(dataDir, "evidence"));
      } catch {
        return [];
      }
    },
    async close() {
      await running.close();
      await fake.close();
    },
  };
}

/** A PDF of about `bytes` bytes (a real header, then padding): what a scanned decision looks like to the store. */
export function pdfOf(bytes: number): Buffer {
  const head = Buffer.from("%PDF-1.7\n%âãÏÓ\n");
  return Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length), 0x20)]);
}
