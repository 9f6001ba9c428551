import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ParsedUpdate } from "../channel.js";
import { fileIdOfRef, parseTelegramUpdate, STALE_QUESTION_ID, telegramFileRef } from "./parse.js";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "test", "fixtures", "telegram");
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Record<string, unknown>;

const LAN = { externalUserId: "5123456789", chatId: "5123456789", chatType: "private" } as const;

describe("parseTelegramUpdate on text no database stores", () => {
  it("when NUL characters and lone surrogates come in a text, a caption, a name or a file name, then they are dropped", () => {
    const from = { id: 7, is_bot: false, first_name: "Lan\u0000", last_name: "Nguy\uD800ễn" };
    const chat = { id: 7, type: "private" };
    const [text] = parseTelegramUpdate({ update_id: 1, message: { message_id: 1, date: 1730775600, from, chat, text: "ghi\u0000 chú\uDC00" } });
    expect(text).toMatchObject({ displayName: "Lan Nguyễn", input: { kind: "text", text: "ghi chú" }, sentAt: new Date(1730775600 * 1000) });
    const document = { file_id: "BQ\u0000A", file_name: "kế\uD800hoạch.pdf" };
    const [file] = parseTelegramUpdate({ update_id: 2, message: { message_id: 2, date: 1730775600, from, chat, document, caption: "QĐ\u0000" } });
    expect(file).toMatchObject({ input: { kind: "attachment", attachment: { ref: "telegram:BQA", fileName: "kếhoạch.pdf", caption: "QĐ" } } });
  });
});

describe("parseTelegramUpdate on dates", () => {
  it.each([1e17, -5, 1.5])("when the date is %j, then the event has no sent time (arrival counts) rather than an invalid one", (date) => {
    const [parsed] = parseTelegramUpdate({ update_id: 3, message: { message_id: 3, date, from: { id: 7, is_bot: false, first_name: "Lan" }, chat: { id: 7, type: "private" }, text: "1" } });
    expect(parsed).toMatchObject({ kind: "event" });
    expect(parsed && "sentAt" in parsed).toBe(false);
  });
});

describe("parseTelegramUpdate on recorded payloads", () => {
  it.each<[string, ParsedUpdate[]]>([
    ["text-message", [{ kind: "event", eventKey: "815200001", sentAt: new Date(1730775600 * 1000), ...LAN, displayName: "Lan Nguyễn Thị", input: { kind: "text", text: "tiếp tục" } }]],
    ["start-with-payload", [{ kind: "event", eventKey: "815200002", sentAt: new Date(1730775500 * 1000), ...LAN, displayName: "Lan Nguyễn Thị", input: { kind: "text", text: "/start K7M2Q-9XWDA" } }]],
    [
      "callback-query",
      [
        {
          kind: "event",
          eventKey: "815200003",
          ...LAN,
          displayName: "Lan Nguyễn Thị",
          input: { kind: "pick", questionId: "P1.1.1", value: "yes" },
          callbackQueryId: "4382137469812653921",
          tappedMessageId: "205",
        },
      ],
    ],
    [
      "photo",
      [{ kind: "event", eventKey: "815200004", sentAt: new Date(1730775700 * 1000), ...LAN, displayName: "Lan Nguyễn Thị", input: { kind: "attachment", attachment: { kind: "photo", ref: "telegram:AgACAgUAAxkBAAIBQ2cpLarge", caption: "Quyết định ban hành kế hoạch" } } }],
    ],
    [
      "document",
      [
        {
          kind: "event",
          eventKey: "815200005", sentAt: new Date(1730775760 * 1000),
          ...LAN,
          displayName: "Lan",
          input: { kind: "attachment", attachment: { kind: "document", ref: "telegram:BQACAgUAAxkBAAIBRGcpDoc", fileName: "QĐ-kế-hoạch-CĐS-2024.pdf" } },
        },
      ],
    ],
    ["sticker", [{ kind: "event", eventKey: "815200006", sentAt: new Date(1730775800 * 1000), ...LAN, displayName: "Lan", input: { kind: "unsupported" } }]],
    ["edited-message", [{ kind: "ignored", reason: "edited message" }]],
    ["my-chat-member", [{ kind: "reachability", externalUserId: "5123456789", reachable: false }]],
    [
      "group-message",
      [
        {
          kind: "event",
          eventKey: "815200009", sentAt: new Date(1730776100 * 1000),
          externalUserId: "6234567890",
          chatId: "-1002233445566",
          displayName: "Minh Trần",
          chatType: "group",
          input: { kind: "text", text: "/start@ChuyenDoiSoBaoChiBot" },
        },
      ],
    ],
    [
      "channel-post",
      [{ kind: "event", eventKey: "815200010", sentAt: new Date(1730776200 * 1000), externalUserId: "-1001122334455", chatId: "-1001122334455", chatType: "group", input: { kind: "text", text: "Nhắc: hạn nhập liệu 15/11" } }],
    ],
    ["unknown-update", [{ kind: "ignored", reason: "update type not used" }]],
  ])("when the %s fixture arrives, then it parses as expected", (name, expected) => {
    expect(parseTelegramUpdate(fixture(name))).toEqual(expected);
  });
});

describe("parseTelegramUpdate on unusual input", () => {
  const base = fixture("text-message");
  const message = base.message as Record<string, unknown>;
  const withMessage = (extra: Record<string, unknown>, drop: string[] = []): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...message, ...extra };
    for (const key of drop) delete copy[key];
    return { update_id: 9, message: copy };
  };
  const callback = fixture("callback-query");
  const query = callback.callback_query as Record<string, unknown>;

  it.each<[string, unknown]>([
    ["null", null],
    ["a string", "update"],
    ["a number", 42],
    ["an array", [fixture("text-message")]],
    ["an empty object", {}],
    ["a text update_id", { update_id: "1", message }],
    ["a fractional update_id", { update_id: 1.5, message }],
    ["an object without update_id", { message }],
  ])("when the body is %s, then nothing comes out and nothing throws", (_case, body) => {
    expect(parseTelegramUpdate(body)).toEqual([]);
  });

  it.each<[string, unknown]>([
    ["a message that is not an object", { update_id: 9, message: "hi" }],
    ["a message without chat", withMessage({}, ["chat"])],
    ["a message with a text chat id", withMessage({ chat: { id: "x", type: "private" } })],
    ["a callback query without id", { update_id: 9, callback_query: { ...query, id: undefined } }],
    ["a callback query without from", { update_id: 9, callback_query: { ...query, from: null } }],
  ])("when the update holds %s, then it is acknowledged and ignored", (_case, body) => {
    expect(parseTelegramUpdate(body)).toEqual([{ kind: "ignored", reason: expect.stringMatching(/malformed/) as unknown }]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a member joining", withMessage({ new_chat_members: [{ id: 1, is_bot: false, first_name: "A" }] }, ["text"]), "service message"],
    ["a pinned message", withMessage({ pinned_message: { message_id: 1 } }, ["text"]), "service message"],
    ["a message from another bot", withMessage({ from: { id: 1, is_bot: true, first_name: "Bot" } }), "message from a bot"],
    ["an edited channel post", { update_id: 9, edited_channel_post: message }, "edited message"],
    ["an inline query", { update_id: 9, inline_query: { id: "1", from: message.from, query: "x", offset: "" } }, "update type not used"],
  ])("when the update is %s, then it is ignored", (_case, body, reason) => {
    expect(parseTelegramUpdate(body)).toEqual([{ kind: "ignored", reason }]);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a video", withMessage({ video: { file_id: "v", file_unique_id: "u", width: 1, height: 1, duration: 3 } }, ["text"])],
    ["a location", withMessage({ location: { latitude: 21.0, longitude: 105.8 } }, ["text"])],
    ["a kind Telegram adds later", withMessage({ hologram: { file_id: "h" } }, ["text"])],
  ])("when a person sends %s, then the input is unsupported (they get an explanation)", (_case, body) => {
    expect(parseTelegramUpdate(body)).toMatchObject([{ kind: "event", input: { kind: "unsupported" } }]);
  });

  it("when a person sends a voice note, then the input says so, and they are asked to type (as on Zalo)", () => {
    expect(parseTelegramUpdate(withMessage({ voice: { file_id: "v", file_unique_id: "u", duration: 3 } }, ["text"]))).toMatchObject([
      { kind: "event", input: { kind: "unsupported", failed: { kind: "voice" } } },
    ]);
  });

  it.each<[string, unknown]>([
    ["data of an older release", "0|P1.1.1|yes"],
    ["garbage", "💥"],
    ["no data at all", undefined],
  ])("when a button with %s is tapped, then it is a pick no question matches, and the query is still answered", (_case, data) => {
    expect(parseTelegramUpdate({ update_id: 9, callback_query: { ...query, data } })).toMatchObject([
      { kind: "event", input: { kind: "pick", questionId: STALE_QUESTION_ID }, callbackQueryId: "4382137469812653921", tappedMessageId: "205" },
    ]);
  });

  it("when a callback query has no message (inline mode), then the user's private chat is used and there is nothing to clear", () => {
    const [event] = parseTelegramUpdate({ update_id: 9, callback_query: { ...query, message: undefined, inline_message_id: "AAA" } });
    expect(event).toMatchObject({ kind: "event", chatId: "5123456789", chatType: "private" });
    expect(event).not.toHaveProperty("tappedMessageId");
  });

  it("when a photo's sizes come in any order, then the largest is kept", () => {
    const photo = [
      { file_id: "big", file_unique_id: "b", width: 1280, height: 960 },
      { file_id: "small", file_unique_id: "s", width: 90, height: 67 },
    ];
    expect(parseTelegramUpdate(withMessage({ photo }, ["text"]))).toMatchObject([{ input: { kind: "attachment", attachment: { kind: "photo", ref: "telegram:big" } } }]);
  });

  it("when a user has neither first nor last name filled, then no display name is given", () => {
    const [event] = parseTelegramUpdate(withMessage({ from: { id: 5, is_bot: false, first_name: " " } }));
    expect(event).not.toHaveProperty("displayName");
  });

  it("when a Telegram file reference is stored, then the file id comes back from it", () => {
    expect(fileIdOfRef(telegramFileRef("AgAC-1"))).toBe("AgAC-1");
    expect(fileIdOfRef("zalo:abc")).toBeNull();
    expect(fileIdOfRef("telegram:")).toBeNull();
  });
});
