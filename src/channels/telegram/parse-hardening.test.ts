import { describe, expect, it } from "vitest";
import { parseTelegramUpdate, splitChatRef, TELEGRAM_INBOUND_TEXT_LIMIT_CHARS, topicChatRef } from "./parse.js";

/** Issue 26, items 5, 6, 8 and 10 at the Telegram edge. */
const from = { id: 7, is_bot: false, first_name: "Lan" };
const privateChat = { id: 7, type: "private" };
const group = { id: -1002233445566, type: "supergroup", is_forum: true };
const message = (extra: Record<string, unknown>) => ({ update_id: 9, message: { message_id: 1, date: 1730775600, from, chat: privateChat, ...extra } });

describe("parseTelegramUpdate on forwarded messages", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a channel post (forward_origin)", { forward_origin: { type: "channel", chat: { id: -100999, type: "channel", title: "Tin" }, message_id: 5, date: 1 } }],
    ["a person's message, Bot API 6 fields", { forward_from: { id: 99, is_bot: false, first_name: "Khác" }, forward_date: 1 }],
    ["a hidden sender", { forward_sender_name: "Ẩn danh", forward_date: 1 }],
  ])("when the text is %s, then it is marked forwarded", (_case, fields) => {
    expect(parseTelegramUpdate(message({ text: "Có", ...fields }))).toMatchObject([{ kind: "event", input: { kind: "text", text: "Có", forwarded: true } }]);
  });

  it("when a photo or a file is forwarded, then the attachment is marked forwarded too", () => {
    const forward_origin = { type: "user", sender_user: { id: 99, is_bot: false, first_name: "Khác" }, date: 1 };
    const [photo] = parseTelegramUpdate(message({ photo: [{ file_id: "p", file_unique_id: "u", width: 1, height: 1 }], forward_origin }));
    const [file] = parseTelegramUpdate(message({ document: { file_id: "d", file_unique_id: "u" }, forward_origin }));
    expect(photo).toMatchObject({ input: { kind: "attachment", forwarded: true } });
    expect(file).toMatchObject({ input: { kind: "attachment", forwarded: true } });
  });

  it("when the person writes themselves, then nothing is marked", () => {
    const [event] = parseTelegramUpdate(message({ text: "Có" }));
    expect(event).toMatchObject({ input: { kind: "text", text: "Có" } });
    expect(event && "input" in event && "forwarded" in event.input).toBe(false);
  });
});

describe("parseTelegramUpdate on group commands and forum topics", () => {
  const inGroup = (text: string, extra: Record<string, unknown> = {}) => ({ update_id: 9, message: { message_id: 1, date: 1730775600, from, chat: group, text, ...extra } });

  it.each(["/start@OtherBot", "/help@otherbot hi"])("when %j is sent in a group, then it is another bot's and ignored", (text) => {
    expect(parseTelegramUpdate(inGroup(text), { botUsername: "TroLyCDSBot" })).toEqual([{ kind: "ignored", reason: "command for another bot" }]);
  });

  it.each(["/start@TroLyCDSBot", "/start@trolycdsbot", "/start"])("when %j is sent in a group, then it is ours", (text) => {
    expect(parseTelegramUpdate(inGroup(text), { botUsername: "TroLyCDSBot" })).toMatchObject([{ kind: "event", chatType: "group" }]);
  });

  it("when a command names another bot in a private chat, then it is still ours (only this bot is in the chat)", () => {
    expect(parseTelegramUpdate(message({ text: "/start@OtherBot" }), { botUsername: "TroLyCDSBot" })).toMatchObject([{ kind: "event" }]);
  });

  it("when a message comes from a forum topic, then the chat reference names the topic and the reply goes there", () => {
    const [event] = parseTelegramUpdate(inGroup("/start", { is_topic_message: true, message_thread_id: 42 }), { botUsername: "TroLyCDSBot" });
    expect(event).toMatchObject({ kind: "event", chatId: "-1002233445566/42" });
    expect(splitChatRef("-1002233445566/42")).toEqual({ chat: "-1002233445566", threadId: 42 });
    expect(splitChatRef(topicChatRef("-100", 7))).toEqual({ chat: "-100", threadId: 7 });
  });

  it("when a group reply carries a thread id but is not in a topic, then the chat is the group itself", () => {
    const [event] = parseTelegramUpdate(inGroup("/start", { message_thread_id: 42 }));
    expect(event).toMatchObject({ chatId: "-1002233445566" });
    expect(splitChatRef("5123456789")).toEqual({ chat: "5123456789" });
    expect(splitChatRef("@channel")).toEqual({ chat: "@channel" });
  });
});

describe("parseTelegramUpdate on senders and sizes", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a private message without a sender", { update_id: 9, message: { message_id: 1, chat: privateChat, text: "hi" } }],
    ["chat 0 without a sender", { update_id: 9, message: { message_id: 1, chat: { id: 0, type: "private" }, text: "hi" } }],
    ["a sender with id 0", message({ from: { id: 0, is_bot: false, first_name: "X" }, chat: { id: 0, type: "private" }, text: "hi" })],
  ])("when the update is %s, then it is ignored and names nobody", (_case, body) => {
    expect(parseTelegramUpdate(body)).toMatchObject([{ kind: "ignored" }]);
  });

  it("when a forged text is far longer than Telegram allows, then it is cut at the platform's limit on a whole character", () => {
    const [long] = parseTelegramUpdate(message({ text: "x".repeat(100_000) }));
    expect(long).toMatchObject({ input: { kind: "text" } });
    expect(long && "input" in long && long.input.kind === "text" ? long.input.text.length : 0).toBe(TELEGRAM_INBOUND_TEXT_LIMIT_CHARS);
    const [emoji] = parseTelegramUpdate(message({ text: `${"x".repeat(TELEGRAM_INBOUND_TEXT_LIMIT_CHARS - 1)}😀😀` }));
    const text = emoji && "input" in emoji && emoji.input.kind === "text" ? emoji.input.text : "";
    expect(text).toBe("x".repeat(TELEGRAM_INBOUND_TEXT_LIMIT_CHARS - 1));
  });
});
