import { describe, expect, it } from "vitest";
import { parseZaloBody, ZALO_EVENTS, ZALO_INBOUND_TEXT_LIMIT_CHARS } from "./parse.js";

/** Issue 26, items 7, 8 and 10 at the Zalo edge. */
const person = { from: { id: "zl-lan", display_name: "Lan", is_bot: false }, chat: { id: "zl-lan", chat_type: "PRIVATE" }, date: 1750316150042 };
const body = (event: string, message: Record<string, unknown>) => ({ event_name: event, message: { ...person, ...message } });

describe("parseZaloBody on voice messages and images without an id", () => {
  it("when a voice message arrives, then it is an event the person is answered for, marked as voice", () => {
    expect(parseZaloBody(body(ZALO_EVENTS.voice, { message_id: "v1", url: "https://example.com/v.aac" }))).toMatchObject([
      { kind: "event", input: { kind: "unsupported", failed: { kind: "voice" } } },
    ]);
  });

  it("when an image comes without message_id, then it is still an event, and its redelivery has the same key", () => {
    const image = { photo_url: "https://f20-zpc.zdn.vn/jpg/1/a.jpg", caption: "Kế hoạch" };
    const [first] = parseZaloBody(body(ZALO_EVENTS.image, image));
    const [again] = parseZaloBody(body(ZALO_EVENTS.image, { caption: "Kế hoạch", photo_url: "https://f20-zpc.zdn.vn/jpg/1/a.jpg" }));
    const [other] = parseZaloBody(body(ZALO_EVENTS.image, { ...image, photo_url: "https://f20-zpc.zdn.vn/jpg/1/b.jpg" }));
    expect(first).toMatchObject({ kind: "event", input: { kind: "attachment", attachment: { caption: "Kế hoạch" } } });
    expect(first && "eventKey" in first ? first.eventKey : "").toMatch(/^message\.image\.received:zl-lan:zl-lan:sha256:[0-9a-f]{32}$/);
    expect(again && "eventKey" in again ? again.eventKey : "").toBe(first && "eventKey" in first ? first.eventKey : "?");
    expect(other && "eventKey" in other ? other.eventKey : "").not.toBe(first && "eventKey" in first ? first.eventKey : "?");
    expect(first).not.toHaveProperty("legacyEventKey");
  });

  it("when a text comes without message_id, then it is acknowledged and ignored (its redelivery could not be told from a repeat)", () => {
    expect(parseZaloBody(body(ZALO_EVENTS.text, { text: "có" }))).toEqual([{ kind: "ignored", reason: "message.text.received without message_id" }]);
  });
});

describe("parseZaloBody on senders and sizes", () => {
  it.each([
    ["a sender 0", { from: { id: "0" }, chat: { id: "zl-lan", chat_type: "PRIVATE" } }],
    ["a chat 0", { from: { id: 0 }, chat: { id: 0, chat_type: "PRIVATE" } }],
  ])("when %s writes, then it is ignored and names nobody", (_case, parties) => {
    expect(parseZaloBody(body(ZALO_EVENTS.text, { message_id: "m1", text: "có", ...parties }))).toMatchObject([{ kind: "ignored" }]);
  });

  it("when a forged text is longer than Zalo allows, then it is cut at 2,000 characters on a whole character", () => {
    const [long] = parseZaloBody(body(ZALO_EVENTS.text, { message_id: "m2", text: `${"a".repeat(ZALO_INBOUND_TEXT_LIMIT_CHARS - 1)}😀${"b".repeat(100_000)}` }));
    expect(long).toMatchObject({ input: { kind: "text", text: "a".repeat(ZALO_INBOUND_TEXT_LIMIT_CHARS - 1) } });
  });
});
