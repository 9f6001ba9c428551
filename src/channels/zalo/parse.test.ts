import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ParsedUpdate } from "../channel.js";
import { chatTypeOf, parseZaloBody } from "./parse.js";

const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "..", "test", "fixtures", "zalo");
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));

const LAN = { externalUserId: "6ede9afa66b88fe6d6a9", chatId: "6ede9afa66b88fe6d6a9", displayName: "Nguyễn Thị Lan" };

describe("parsing Zalo webhook bodies", () => {
  it.each<[string, ParsedUpdate[]]>([
    ["text-wrapped", [{ kind: "event", eventKey: "message.text.received:6ede9afa66b88fe6d6a9:6ede9afa66b88fe6d6a9:2d758cb5e14ba215fb5a", legacyEventKey: "message.text.received:2d758cb5e14ba215fb5a", sentAt: new Date(1750316131602), ...LAN, chatType: "private", input: { kind: "text", text: "Xin chào" } }]],
    ["text-flat", [{ kind: "event", eventKey: "message.text.received:6ede9afa66b88fe6d6a9:6ede9afa66b88fe6d6a9:3e869dc6f25cb326fc6b", legacyEventKey: "message.text.received:3e869dc6f25cb326fc6b", sentAt: new Date(1750316139911), ...LAN, chatType: "private", input: { kind: "text", text: "tiếp tục" } }]],
    [
      "image",
      [
        {
          kind: "event",
          eventKey: "message.image.received:6ede9afa66b88fe6d6a9:6ede9afa66b88fe6d6a9:4f97aed7036dc437ad7c", legacyEventKey: "message.image.received:4f97aed7036dc437ad7c", sentAt: new Date(1750316150042),
          ...LAN,
          chatType: "private",
          input: {
            kind: "attachment",
            attachment: { kind: "photo", ref: "https://f20-zpc.zdn.vn/jpg/1234567890123456789/ke-hoach-cds-2024.jpg", caption: "Kế hoạch chuyển đổi số 2024" },
          },
        },
      ],
    ],
    ["sticker", [{ kind: "event", eventKey: "message.sticker.received:6ede9afa66b88fe6d6a9:6ede9afa66b88fe6d6a9:5aa8bfe8147ed548be8d", legacyEventKey: "message.sticker.received:5aa8bfe8147ed548be8d", sentAt: new Date(1750316160187), ...LAN, chatType: "private", input: { kind: "unsupported" } }]],
    ["unsupported", [{ kind: "event", eventKey: "message.unsupported.received:6ede9afa66b88fe6d6a9:6ede9afa66b88fe6d6a9:6bb9c0f9258fe659cf9e", legacyEventKey: "message.unsupported.received:6bb9c0f9258fe659cf9e", sentAt: new Date(1750316170333), ...LAN, chatType: "private", input: { kind: "unsupported" } }]],
    [
      "group-text",
      [{ kind: "event", eventKey: "message.text.received:a1b2c3d4e5f6a7b8c9d0:6ede9afa66b88fe6d6a9:7cc0d10a3690f76ad0af", legacyEventKey: "message.text.received:7cc0d10a3690f76ad0af", sentAt: new Date(1750316180478), ...LAN, chatId: "a1b2c3d4e5f6a7b8c9d0", chatType: "group", input: { kind: "text", text: "điểm" } }],
    ],
    ["bot-sender", [{ kind: "ignored", reason: "sent by a bot" }]],
    ["unknown-event", [{ kind: "ignored", reason: "event user.follow" }]],
    [
      "polling-result",
      [
        {
          kind: "event",
          eventKey: "message.text.received:e4ea2cd5189df1c3a88c:e4ea2cd5189df1c3a88c:16f6366b3f02645a3d15", legacyEventKey: "message.text.received:16f6366b3f02645a3d15", sentAt: new Date(1766619597466),
          externalUserId: "e4ea2cd5189df1c3a88c",
          chatId: "e4ea2cd5189df1c3a88c",
          displayName: "Nguyen Van A",
          chatType: "private",
          input: { kind: "text", text: "Xin chào" },
        },
      ],
    ],
  ])("when the fixture %s arrives, then it parses as expected", (name, expected) => {
    expect(parseZaloBody(fixture(name))).toEqual(expected);
  });

  it("when the same message arrives wrapped and flat, then both give the same event key (a redelivery is one event)", () => {
    const flat = fixture("text-flat") as Record<string, unknown>;
    const [a] = parseZaloBody(flat);
    const [b] = parseZaloBody({ ok: true, result: flat });
    expect(a).toEqual(b);
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["a number", 42],
    ["a string", "message.text.received"],
    ["an array", [fixture("text-flat")]],
    ["an empty object", {}],
    ["an unrelated object", { update_id: 1, message: "hi" }],
    ["an event name that is not a string", { event_name: 7, message: {} }],
    ["a wrapped body whose result is junk", { ok: true, result: 5 }],
  ])("when the body is %s, then nothing is parsed and nothing throws", (_case, body) => {
    expect(parseZaloBody(body)).toEqual([]);
  });

  it.each<[string, unknown]>([
    ["the message is missing", { event_name: "message.text.received" }],
    ["the sender has no id", { event_name: "message.text.received", message: { message_id: "m1", from: {}, chat: { id: "c1" }, text: "hi" } }],
    ["the message id is empty", { event_name: "message.text.received", message: { message_id: " ", from: { id: "u1" }, chat: { id: "c1" }, text: "hi" } }],
    ["the chat is missing", { event_name: "message.text.received", message: { message_id: "m1", from: { id: "u1" }, text: "hi" } }],
  ])("when a known event is malformed (%s), then it is ignored rather than thrown", (_case, body) => {
    expect(parseZaloBody(body)).toEqual([{ kind: "ignored", reason: "malformed message.text.received" }]);
  });

  it("when the platform wraps a failure (ok: false), then it is ignored", () => {
    expect(parseZaloBody({ ok: false, result: { event_name: "message.text.received" } })).toEqual([{ kind: "ignored", reason: "ok is false" }]);
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ["an empty text", { text: "   " }, { kind: "unsupported" }],
    ["an image without a URL", { event: "message.image.received" }, { kind: "unsupported" }],
    ["an image with the older photo field", { event: "message.image.received", photo: "https://example.vn/a.png" }, { kind: "attachment", attachment: { kind: "photo", ref: "https://example.vn/a.png" } }],
    ["an image URL that is not http(s)", { event: "message.image.received", photo_url: "file:///etc/passwd" }, { kind: "unsupported" }],
    ["numeric ids", { message_id: 123, fromId: 456, text: "1" }, { kind: "text", text: "1" }],
  ])("when a message has %s, then the input is as expected", (_case, vary, input) => {
    const { event = "message.text.received", fromId = "u1", message_id = "m1", ...fields } = vary;
    const [parsed] = parseZaloBody({ event_name: event, message: { message_id, from: { id: fromId }, chat: { id: "c1", chat_type: "PRIVATE" }, ...fields } });
    expect(parsed).toMatchObject({ kind: "event", input });
  });

  it("when ids are numbers, then they become strings", () => {
    const [parsed] = parseZaloBody({ event_name: "message.text.received", message: { message_id: 123, from: { id: 456 }, chat: { id: 789, chat_type: "PRIVATE" }, text: "1" } });
    expect(parsed).toMatchObject({ eventKey: "message.text.received:789:456:123", externalUserId: "456", chatId: "789" });
  });

  it("when two people's messages carry the same message id, then they are two events, each keyed by its chat and sender", () => {
    const from = (id: string) => ({ event_name: "message.text.received", message: { message_id: "m1", from: { id }, chat: { id, chat_type: "PRIVATE" }, text: "1", date: 1750316139911 } });
    const [a] = parseZaloBody(from("u1"));
    const [b] = parseZaloBody(from("u2"));
    expect(a).toMatchObject({ eventKey: "message.text.received:u1:u1:m1", legacyEventKey: "message.text.received:m1", sentAt: new Date(1750316139911) });
    expect(b).toMatchObject({ eventKey: "message.text.received:u2:u2:m1" });
  });

  it.each([1e20, -5, "soon"])("when the date is %j, then the event has no sent time (arrival counts) rather than an invalid one", (date) => {
    const [parsed] = parseZaloBody({ event_name: "message.text.received", message: { message_id: "m1", from: { id: "u1" }, chat: { id: "u1", chat_type: "PRIVATE" }, text: "1", date } });
    expect(parsed).toMatchObject({ kind: "event" });
    expect(parsed && "sentAt" in parsed).toBe(false);
  });

  it("when NUL characters and lone surrogates come in a text, a caption, a name or an id, then they are dropped", () => {
    const message = { message_id: "m\u00001", from: { id: "u\uD8001", display_name: "Lan\u0000\uDC00" }, chat: { id: "c1", chat_type: "PRIVATE" } };
    const [text] = parseZaloBody(JSON.parse(JSON.stringify({ event_name: "message.text.received", message: { ...message, text: "ghi\u0000 chú\uD800" } })));
    expect(text).toMatchObject({ eventKey: "message.text.received:c1:u1:m1", externalUserId: "u1", displayName: "Lan", input: { kind: "text", text: "ghi chú" } });
    const [photo] = parseZaloBody({ event_name: "message.image.received", message: { ...message, photo_url: "https://example.vn/a.jpg", caption: "kế\u0000 hoạch\uDBFF" } });
    expect(photo).toMatchObject({ input: { kind: "attachment", attachment: { caption: "kế hoạch" } } });
  });

  it.each<[string | undefined, "private" | "group"]>([
    ["PRIVATE", "private"],
    ["private", "private"],
    ["GROUP", "group"],
    [undefined, "group"],
    ["SOMETHING_NEW", "group"],
  ])("when chat_type is %s, then the chat counts as %s", (chatType, expected) => {
    expect(chatTypeOf(chatType)).toBe(expected);
  });
});
