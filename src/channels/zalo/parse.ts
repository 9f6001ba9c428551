import { createHash } from "node:crypto";
import { z } from "zod";
import { captionField, type Input } from "../../domain/conversation/input.js";
import { storableText } from "../../domain/text/clean-text.js";
import { cutText } from "../../domain/text/cut-text.js";
import type { ParsedEvent, ParsedUpdate } from "../channel.js";

/**
 * Reading Zalo Bot Platform webhook bodies (https://bot.zaloplatforms.com/docs/webhook/). Pure and total: junk gives
 * [], a well-formed update the assistant does not handle gives one "ignored", never an exception.
 *
 * Platform quirks handled here:
 * - the body is seen both wrapped, `{ ok, result: { event_name, message } }`, and flat, `{ event_name, message }`;
 *   getUpdates hands out the same update shape (one per call);
 * - there is no update id, and message ids are not unique across senders: `event_name:chat:sender:message_id`
 *   identifies a delivery, so a redelivery is recognised and another person's message with the same id is not one;
 * - `date` is when the message was sent, in milliseconds;
 * - text is cleaned of what no database stores (storableText), so a message cannot fail for ever on a character;
 * - getUpdates results have been documented without `event_name`; it is then inferred from the message;
 * - ids are strings in the documentation but numbers are accepted too;
 * - the image URL has been seen as `photo_url` (current) and `photo` (older integrations); it expires, which is why
 *   the adapter downloads it before the event is handled;
 * - an image event has been seen without `message_id`: the key is then a digest of the message, which a redelivery
 *   repeats exactly, so it is still answered once;
 * - voice messages (`message.voice.received`) carry no text: the person is told to type instead;
 * - text is cut at the platform's own limit (2,000 characters) before anything else is done with it.
 */

export const ZALO_EVENTS = {
  text: "message.text.received",
  image: "message.image.received",
  sticker: "message.sticker.received",
  voice: "message.voice.received",
  unsupported: "message.unsupported.received",
} as const;

/** The longest text a Zalo message carries; anything past it is forged and is cut before any work is spent on it. */
export const ZALO_INBOUND_TEXT_LIMIT_CHARS = 2000;
const text = z.string().transform((raw) => storableText(cutText(raw, ZALO_INBOUND_TEXT_LIMIT_CHARS)));
/** The last instant a JavaScript Date can hold: a later `date` is junk, not a time. */
const MAX_DATE_MS = 8.64e15;
const id = z.union([text.pipe(z.string().trim().min(1)), z.number()]).transform(String);
/** A sender or chat: never "0", which names nobody (a message without a sender must not become an identity). */
const partyId = id.refine((value) => !/^0+$/.test(value.trim()));
const optionalText = text.optional().catch(undefined);
const sentAt = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().positive().max(MAX_DATE_MS)).transform((ms) => new Date(ms));

const eventSchema = z
  .object({
    event_name: z.string().min(1).optional(),
    message: z.unknown().optional(),
  })
  .refine((e) => e.event_name !== undefined || (typeof e.message === "object" && e.message !== null));

const wrappedSchema = z.object({ ok: z.boolean().optional(), result: eventSchema });

const messageSchema = z.object({
  message_id: id.optional(),
  from: z.object({
    id: partyId,
    display_name: optionalText,
    name: optionalText,
    first_name: optionalText,
    is_bot: z.boolean().optional().catch(undefined),
  }),
  chat: z.object({ id: partyId, chat_type: optionalText }),
  text: optionalText,
  photo_url: optionalText,
  photo: optionalText,
  caption: optionalText,
  date: sentAt.optional().catch(undefined),
});
type ZaloMessage = z.infer<typeof messageSchema>;

/** Parses one webhook body (or one getUpdates result). */
export function parseZaloBody(body: unknown): ParsedUpdate[] {
  const wrapped = wrappedSchema.safeParse(body);
  if (wrapped.success) {
    if (wrapped.data.ok === false) return [ignored("ok is false")];
    return [parseEvent(wrapped.data.result)];
  }
  const flat = eventSchema.safeParse(body);
  return flat.success ? [parseEvent(flat.data)] : [];
}

function parseEvent(event: z.infer<typeof eventSchema>): ParsedUpdate {
  const name = event.event_name ?? inferEventName(event.message);
  const input = inputFor(name);
  if (input === null) return ignored(`event ${name}`);
  const message = messageSchema.safeParse(event.message);
  if (!message.success) return ignored(`malformed ${name}`);
  const m = message.data;
  if (m.from.is_bot === true) return ignored("sent by a bot");
  // Only an image has been seen without an id; a text without one cannot be told from its redelivery's twin.
  const messageId = m.message_id ?? (name === ZALO_EVENTS.image ? `sha256:${digestOf(event.message)}` : undefined);
  if (messageId === undefined) return ignored(`${name} without message_id`);
  return toEvent(name, m, messageId, input(m));
}

/** A digest of the message as sent (keys sorted), so the same redelivered message gives the same key. */
function digestOf(message: unknown): string {
  const canonical = JSON.stringify(message, (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value,
  );
  return createHash("sha256").update(canonical ?? "").digest("hex").slice(0, 32);
}

/** How each handled event becomes engine input; null for events the assistant does not handle. */
function inputFor(name: string): ((m: ZaloMessage) => Input) | null {
  switch (name) {
    case ZALO_EVENTS.text:
      return (m) => (m.text !== undefined && m.text.trim() !== "" ? { kind: "text", text: m.text } : { kind: "unsupported" });
    case ZALO_EVENTS.image:
      return (m) => {
        const url = imageUrl(m);
        return url === null ? { kind: "unsupported" } : { kind: "attachment", attachment: { kind: "photo", ref: url, ...captionField(m.caption) } };
      };
    case ZALO_EVENTS.voice:
      return () => ({ kind: "unsupported", failed: { kind: "voice" } });
    case ZALO_EVENTS.sticker:
    case ZALO_EVENTS.unsupported:
      return () => ({ kind: "unsupported" });
    default:
      return null;
  }
}

function inferEventName(message: unknown): string {
  const m = z.looseObject({ text: z.unknown(), photo_url: z.unknown(), photo: z.unknown(), sticker: z.unknown() }).partial().safeParse(message);
  if (!m.success) return ZALO_EVENTS.unsupported;
  if (typeof m.data.text === "string") return ZALO_EVENTS.text;
  if (m.data.photo_url !== undefined || m.data.photo !== undefined) return ZALO_EVENTS.image;
  if (m.data.sticker !== undefined) return ZALO_EVENTS.sticker;
  return ZALO_EVENTS.unsupported;
}

function imageUrl(m: ZaloMessage): string | null {
  for (const candidate of [m.photo_url, m.photo]) {
    if (candidate !== undefined && /^https?:\/\//i.test(candidate.trim())) return candidate.trim();
  }
  return null;
}

function toEvent(name: string, m: ZaloMessage, messageId: string, input: Input): ParsedEvent {
  const displayName = [m.from.display_name, m.from.name, m.from.first_name].find((n) => n !== undefined && n.trim() !== "")?.trim();
  return {
    kind: "event",
    eventKey: `${name}:${m.chat.id}:${m.from.id}:${messageId}`,
    ...(m.message_id === undefined ? {} : { legacyEventKey: `${name}:${m.message_id}` }),
    externalUserId: m.from.id,
    chatId: m.chat.id,
    ...(displayName === undefined ? {} : { displayName }),
    chatType: chatTypeOf(m.chat.chat_type),
    input,
    ...(m.date === undefined ? {} : { sentAt: m.date }),
  };
}

/**
 * The platform documents `PRIVATE` and `GROUP`. Anything else, a missing value included, counts as a group: the
 * worst a wrong "group" does is ask the person to write privately, while a wrong "private" would run an agency's
 * assessment in front of a whole group.
 */
export function chatTypeOf(chatType: string | undefined): "private" | "group" {
  return chatType !== undefined && chatType.trim().toUpperCase() === "PRIVATE" ? "private" : "group";
}

function ignored(reason: string): ParsedUpdate {
  return { kind: "ignored", reason };
}
