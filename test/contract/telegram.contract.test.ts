import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { expect } from "vitest";
import { STALE_QUESTION_ID } from "../../src/channels/telegram/parse.js";
import { createTelegramAdapter, TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { ZALO_SECRET_HEADER } from "../../src/channels/zalo/zalo-adapter.js";
import { startFakeTelegram } from "../support/fake-telegram.js";
import { TINY_JPEG } from "../support/fake-zalo.js";
import { describeAdapterContract, type Expected } from "./adapter-contract.js";
import { recordedPayloads } from "./recorded-payloads.js";

const TOKEN = "123456:contract-telegram";
const SECRET = "contract-secret-telegram";
const CHAT = 1111111;

const docsPerson = { externalUserId: "1111111", chatId: "1111111", displayName: "Test Firstname Test Lastname" } as const;
const aiogramPerson = { externalUserId: "12345678", chatId: "12345678", displayName: "FirstName LastName" } as const;
const danil = { externalUserId: "943084337", displayName: "Danil Pismenny" } as const;
const ignored: Expected = { kind: "ignored" };

/** What each recorded Telegram payload is (test/fixtures/payloads/telegram/, origins beside them). */
const expected: Record<string, Expected> = {
  "aiogram-forwarded-from-channel": { kind: "event", ...aiogramPerson, chatType: "private", input: { kind: "text", text: "Forwarded text with entities from public channel ", forwarded: true } },
  "aiogram-photo": { kind: "event", ...aiogramPerson, chatType: "private", input: { kind: "attachment", attachment: { kind: "photo", ref: "telegram:AgADBAADFak0G88YZAf8OAug7bHyS9x2ZxkABHVfpJywcloRAAGAAQABAg", caption: "photo description" } } },
  "aiogram-sticker": { kind: "event", ...aiogramPerson, chatType: "private", input: { kind: "unsupported" } },
  "aiogram-voice": { kind: "event", ...aiogramPerson, chatType: "private", input: { kind: "unsupported", failed: { kind: "voice" } } },
  "autogram-blocked": { kind: "reachability", externalUserId: "5342492667", reachable: false },
  "autogram-supergroup-added": ignored,
  "autogram-unblocked": { kind: "reachability", externalUserId: "5342492667", reachable: true },
  "docs-audio": { kind: "event", ...docsPerson, chatType: "private", input: { kind: "unsupported" } },
  // A button of an inline-mode message: no message, so the person's private chat; its data is no question of ours.
  "docs-callback-query-inline": { kind: "event", ...docsPerson, chatType: "private", callbackQueryId: "4382bfdwdsb323b2d9", input: { kind: "pick", questionId: STALE_QUESTION_ID } },
  "docs-chosen-inline-result": ignored,
  "docs-document": { kind: "event", ...docsPerson, chatType: "private", input: { kind: "attachment", attachment: { kind: "document", ref: "telegram:AwADBAADbXXXXXXXXXXXGBdhD2l6_XX", fileName: "Testfile.pdf" } } },
  "docs-edited-message": ignored,
  "docs-entities": { kind: "event", ...docsPerson, chatType: "private", input: { kind: "text", text: "Bold and italics" } },
  "docs-forwarded-from-channel": { kind: "event", ...docsPerson, chatType: "private", input: { kind: "text", text: "/start", forwarded: true } },
  "docs-forwarded-from-user": { kind: "event", ...docsPerson, chatType: "private", input: { kind: "text", text: "/start", forwarded: true } },
  "docs-inline-query": ignored,
  "docs-reply": { kind: "event", ...docsPerson, chatType: "private", input: { kind: "text", text: "/start" } },
  "docs-text": { kind: "event", ...docsPerson, eventKey: "10000", chatType: "private", sentAt: new Date(1441645532 * 1000), input: { kind: "text", text: "/start" } },
  // Cut at Telegram's own limit: nothing longer comes from Telegram.
  "docs-text-very-long": { kind: "event", ...docsPerson, chatType: "private", input: { kind: "text", text: expectTextOfLength(4096) } },
  // The guide's first example predates chat types; no real update lacks one.
  "docs-text-without-chat-type": ignored,
  "docs-voice": { kind: "event", ...docsPerson, chatType: "private", input: { kind: "unsupported", failed: { kind: "voice" } } },
  "openintegrations-channel-pinned": ignored,
  "openintegrations-forum-topic-created": ignored,
  "telik-bot-added-to-group": ignored,
  "telik-forum-general-topic": { kind: "event", ...danil, chatId: "-1001854699958", chatType: "group", input: { kind: "text", text: "ку" } },
  // Replies go to the topic, not the General one.
  "telik-forum-topic-message": { kind: "event", ...danil, chatId: "-1001854699958/30", chatType: "group", input: { kind: "text", text: "А оператор отвечает" } },
  "telik-left-chat-member": ignored,
  "telik-private-message": { kind: "event", ...danil, chatId: "943084337", chatType: "private", input: { kind: "text", text: "adas" } },
};

function expectTextOfLength(length: number): string {
  return expect.stringMatching(new RegExp(`^[\\s\\S]{${length}}$`, "u")) as unknown as string;
}

describeAdapterContract({
  name: "Telegram",
  payloads: recordedPayloads("telegram"),
  expected,
  async start() {
    const fake = await startFakeTelegram();
    const dataDir = mkdtempSync(path.join(tmpdir(), "pdx-contract-telegram-"));
    const logger = pino({ level: "silent" });
    const base = { token: TOKEN, apiRoot: fake.url, logger, dataDir, sendDeadlineMs: 5_000 };
    fake.addFile("contract-photo", TINY_JPEG);
    return {
      adapter: createTelegramAdapter({ ...base, webhookSecret: SECRET }),
      unsecured: createTelegramAdapter(base),
      secretHeader: TELEGRAM_SECRET_HEADER,
      secret: SECRET,
      foreignHeader: ZALO_SECRET_HEADER,
      chatId: String(CHAT),
      sentTexts: () => fake.sent("sendMessage").filter((c) => c.body.chat_id === CHAT).map((c) => String(c.body.text)),
      clearSent: () => fake.clear(),
      attachmentRef: () => "telegram:contract-photo",
      async close() {
        await fake.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
});
