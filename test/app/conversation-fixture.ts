import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { handleInbound, type InboundDeps, type InboundResult } from "../../src/app/handle-inbound.js";
import type { Input } from "../../src/domain/conversation/input.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import type { Db, Store } from "../../src/persistence/db-client.js";
import { createInvite } from "../../src/persistence/invite-store.js";
import { addPeriod } from "../../src/persistence/period-store.js";
import { inboundStore } from "../../src/persistence/inbound-store.js";

export const NOW = new Date("2024-11-05T03:00:00Z");

/** Where the chats of a test file write score cards and reports (never the project's data/ directory). */
export const GENERATED_DIR = mkdtempSync(path.join(tmpdir(), "pdx-generated-"));
process.once("exit", () => rmSync(GENERATED_DIR, { recursive: true, force: true }));

/** An agency with an open 2024 period, as an operator would set it up with the admin commands. */
export async function seedAgency(store: Store, name = "Báo Kiểm Thử") {
  const { agency } = await addAgency(store.db, { name, province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
  const period = await addPeriod(store, {
    definition: "press-dx-1827-2024",
    name: "Năm 2024",
    referenceFrom: "2023-10-01",
    referenceTo: "2024-10-31",
    entryOpens: new Date("2024-11-01T00:00:00+07:00"),
    entryCloses: new Date("2024-11-15T23:59:59+07:00"),
    deadlines: [],
  });
  return { agency, period };
}

export async function inviteCode(db: Db, agencyId: string, role: "member" | "lead"): Promise<string> {
  return (await createInvite(db, { kind: "agency", agencyId, role }, { now: NOW, expiresDays: 60 })).code;
}

/** A clock that moves on 3 seconds at every reading, as a person typing does (and so no flood control kicks in). */
export function typingClock(start: Date = NOW): () => Date {
  let ticks = 0;
  return () => new Date(start.getTime() + 3000 * ticks++);
}

/** A person chatting on one channel: sends inputs through the real inbound path and returns the reply texts. */
export async function chatter(store: Store, userId: string, clock: () => Date = typingClock()) {
  const deps: InboundDeps = { port: inboundStore(store), db: store.db, translator: await createTranslator(), defaultLocale: "vi", clock, dataDir: GENERATED_DIR };
  const send = async (input: Input | string, eventKey: string = randomUUID()): Promise<InboundResult> =>
    handleInbound(deps, {
      channel: "telegram",
      eventKey,
      externalUserId: userId,
      chatId: `chat-${userId}`,
      displayName: `Người dùng ${userId}`,
      input: typeof input === "string" ? { kind: "text", text: input } : input,
    });
  const say = async (text: string): Promise<string> => {
    const result = await send(text);
    if (result.kind !== "handled") throw new Error("unexpected duplicate");
    // What the person reads: reply texts and the captions of pictures and files (a score that fits rides as a caption).
    return result.outbox
      .flatMap((e) => (e.message.kind === "reply" ? [e.message.reply.text] : e.message.kind === "photo" || e.message.kind === "document" ? [e.message.caption] : []))
      .join("\n\n");
  };
  return { send, say };
}
