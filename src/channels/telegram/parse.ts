import { z } from "zod";
import { captionField, type Input } from "../../domain/conversation/input.js";
import { storableText } from "../../domain/text/clean-text.js";
import { cutText } from "../../domain/text/cut-text.js";
import type { ParsedEvent, ParsedUpdate } from "../channel.js";
import { decodeCallbackData } from "./callback-data.js";

/**
 * Telegram Update JSON (https://core.telegram.org/bots/api#update) → normalised events. Pure and total: the schemas
 * below name only the fields the bot reads and let every other field through unchecked, so a new Bot API version
 * adding fields changes nothing, and anything that does not fit yields [] or "ignored", never an exception.
 */

const id = z.number().int();
/** Telegram never gives a user or chat the id 0: a payload with one is forged or broken, and names nobody. */
const personId = id.refine((n) => n !== 0);
/** The last instant a JavaScript Date can hold: a later `date` is junk, not a time. */
const MAX_DATE_MS = 8.64e15;
/**
 * Telegram's own limit on a message's text (https://core.telegram.org/bots/api#sendmessage): nothing longer comes from
 * Telegram, so anything past it is cut here, at the edge, before any work is spent on it.
 */
export const TELEGRAM_INBOUND_TEXT_LIMIT_CHARS = 4096;
/**
 * Text as a database stores it (see storableText), cut first on a whole character (see cutText): a message must never
 * fail for ever on a character, and a forged megabyte of text costs no more than a real message.
 */
const text = z.string().transform((raw) => storableText(cutText(raw, TELEGRAM_INBOUND_TEXT_LIMIT_CHARS)));

const userSchema = z.object({
  id: personId,
  is_bot: z.boolean().optional(),
  first_name: text.optional(),
  last_name: text.optional(),
});

const chatSchema = z.object({ id: personId, type: z.string() });

const photoSizeSchema = z.object({
  file_id: text.pipe(z.string().min(1)),
  width: z.number().optional(),
  height: z.number().optional(),
  file_size: z.number().optional(),
});

const messageSchema = z.object({
  message_id: id,
  chat: chatSchema,
  from: userSchema.optional(),
  sender_chat: chatSchema.optional(),
  /** Seconds since the epoch, when the person sent it. */
  date: z.number().int().positive().max(MAX_DATE_MS / 1000).optional().catch(undefined),
  text: text.optional(),
  caption: text.optional(),
  /** A message in a forum topic of a supergroup: replies go to the same topic, not the General one. */
  is_topic_message: z.boolean().optional().catch(undefined),
  message_thread_id: id.optional().catch(undefined),
  photo: z.array(photoSizeSchema).optional(),
  document: z.object({ file_id: text.pipe(z.string().min(1)), file_name: text.optional() }).optional(),
});

const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  // Absent for buttons of inline-mode messages; "inaccessible" (date 0) messages still carry chat and message_id.
  message: z.object({ message_id: id, chat: chatSchema }).optional(),
  data: text.optional(),
});

const updateIdSchema = z.object({ update_id: id });

type TelegramUser = z.infer<typeof userSchema>;
type TelegramChat = z.infer<typeof chatSchema>;
type TelegramMessage = z.infer<typeof messageSchema>;

/** The question id of a button whose data could not be read: matches no criterion and no prompt. */
export const STALE_QUESTION_ID = "?";

/** The update types the bot registers for (setWebhook / getUpdates `allowed_updates`). */
export const TELEGRAM_ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/**
 * Service messages (members joining, pins, title changes, …): nothing a person said to the bot, so they are ignored
 * rather than answered with "unsupported". Content the bot cannot read (stickers, voice, video, …) is answered.
 */
const SERVICE_FIELDS = [
  "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo", "delete_chat_photo",
  "group_chat_created", "supergroup_chat_created", "channel_chat_created", "message_auto_delete_timer_changed",
  "migrate_to_chat_id", "migrate_from_chat_id", "pinned_message", "write_access_allowed", "forum_topic_created",
  "forum_topic_edited", "forum_topic_closed", "forum_topic_reopened", "general_forum_topic_hidden",
  "general_forum_topic_unhidden", "video_chat_scheduled", "video_chat_started", "video_chat_ended",
  "video_chat_participants_invited", "boost_added", "chat_background_set", "proximity_alert_triggered",
  "users_shared", "chat_shared", "giveaway_created", "giveaway_completed",
] as const;

/** What parsing needs to know about the bot itself. */
export interface TelegramParseOptions {
  /** The bot's username (TELEGRAM_BOT_USERNAME): a group command addressed to another bot is not ours. */
  readonly botUsername?: string | undefined;
}

/** One webhook body (a single Update) → what to do with it. */
export function parseTelegramUpdate(body: unknown, options: TelegramParseOptions = {}): ParsedUpdate[] {
  const head = updateIdSchema.safeParse(body);
  if (!head.success || typeof body !== "object" || body === null) return [];
  const update = body as Record<string, unknown>;
  const eventKey = String(head.data.update_id);

  if ("message" in update) return fromMessage(eventKey, update.message, options);
  if ("channel_post" in update) return fromMessage(eventKey, update.channel_post, options);
  if ("callback_query" in update) return fromCallbackQuery(eventKey, update.callback_query);
  // An edit must not answer again (the original was answered already); it is acknowledged and dropped.
  if ("edited_message" in update || "edited_channel_post" in update) return [ignored("edited message")];
  if ("my_chat_member" in update) return fromMembership(update.my_chat_member);
  return [ignored("update type not used")];
}

const membershipSchema = z.object({
  chat: z.object({ type: z.string() }),
  from: z.object({ id: z.union([z.number(), z.string()]) }),
  new_chat_member: z.object({ status: z.string() }),
});

/** In a private chat, "kicked" means the person blocked the bot and "member" that they started or unblocked it. */
function fromMembership(raw: unknown): ParsedUpdate[] {
  const parsed = membershipSchema.safeParse(raw);
  if (!parsed.success || parsed.data.chat.type !== "private") return [ignored("membership change")];
  const status = parsed.data.new_chat_member.status;
  if (status !== "kicked" && status !== "member") return [ignored("membership change")];
  return [{ kind: "reachability", externalUserId: String(parsed.data.from.id), reachable: status === "member" }];
}

function ignored(reason: string): ParsedUpdate {
  return { kind: "ignored", reason };
}

/** Telegram's "private" is a one-to-one chat; groups, supergroups and channels only ever get a hint. */
function chatTypeOf(chat: TelegramChat): ParsedEvent["chatType"] {
  return chat.type === "private" ? "private" : "group";
}

function displayNameOf(user: TelegramUser | undefined): string | undefined {
  const name = [user?.first_name, user?.last_name].filter((part) => part !== undefined && part.trim() !== "").join(" ").trim();
  return name === "" ? undefined : name;
}

function fromMessage(eventKey: string, raw: unknown, options: TelegramParseOptions): ParsedUpdate[] {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return [ignored("malformed message")];
  const message = parsed.data;
  if (message.from?.is_bot === true) return [ignored("message from a bot")];
  const chatType = chatTypeOf(message.chat);
  // A private chat's messages always name their sender; without one there is nobody to answer or to remember.
  if (chatType === "private" && message.from === undefined) return [ignored("message without a sender")];
  const input = inputOf(message, raw as Record<string, unknown>);
  if (input === null) return [ignored("service message")];
  if (chatType === "group" && input.kind === "text" && addressedElsewhere(input.text, options.botUsername)) return [ignored("command for another bot")];
  // Channel posts have no `from`: the channel itself is the sender.
  const sender = message.from?.id ?? message.sender_chat?.id ?? message.chat.id;
  const displayName = displayNameOf(message.from);
  const topic = chatType === "group" && message.is_topic_message === true ? message.message_thread_id : undefined;
  return [
    {
      kind: "event",
      eventKey,
      externalUserId: String(sender),
      chatId: topic === undefined ? String(message.chat.id) : topicChatRef(String(message.chat.id), topic),
      ...(displayName !== undefined ? { displayName } : {}),
      chatType,
      input,
      ...(message.date === undefined ? {} : { sentAt: new Date(message.date * 1000) }),
    },
  ];
}

/**
 * "/start@OtherBot" in a group is for that bot. Telling needs our own username (TELEGRAM_BOT_USERNAME); without it
 * every addressed command is taken as ours, as before, since the webhook never says which bot it is for.
 */
function addressedElsewhere(typed: string, botUsername: string | undefined): boolean {
  const addressee = /^\/[A-Za-z0-9_]+@([A-Za-z0-9_]+)/.exec(typed.trim())?.[1];
  return addressee !== undefined && botUsername !== undefined && addressee.toLowerCase() !== botUsername.toLowerCase();
}

/**
 * Forwarded from elsewhere: `forward_origin` since Bot API 7.0, the `forward_*` fields before it. An automatic forward
 * (a channel post copied into its discussion group) is forwarded too.
 */
const FORWARD_FIELDS = ["forward_origin", "forward_from", "forward_from_chat", "forward_sender_name", "forward_date", "is_automatic_forward"] as const;

function inputOf(message: TelegramMessage, raw: Record<string, unknown>): Input | null {
  const forwarded = FORWARD_FIELDS.some((field) => raw[field] !== undefined && raw[field] !== null && raw[field] !== false) ? { forwarded: true as const } : {};
  if (message.text !== undefined) return { kind: "text", text: message.text, ...forwarded };
  if (message.photo !== undefined && message.photo.length > 0) {
    const largest = message.photo.reduce((best, size) => (area(size) >= area(best) ? size : best));
    return { kind: "attachment", attachment: { kind: "photo", ref: telegramFileRef(largest.file_id), ...captionField(message.caption) }, ...forwarded };
  }
  if (message.document !== undefined) {
    const { file_id, file_name } = message.document;
    const fileName = file_name !== undefined ? { fileName: file_name } : {};
    return { kind: "attachment", attachment: { kind: "document", ref: telegramFileRef(file_id), ...fileName, ...captionField(message.caption) }, ...forwarded };
  }
  if (SERVICE_FIELDS.some((field) => field in raw)) return null;
  // Nothing in a voice note is text: the person is asked to type, as on Zalo, rather than told what the bot reads.
  if (raw.voice !== undefined && raw.voice !== null) return { kind: "unsupported", failed: { kind: "voice" } };
  return { kind: "unsupported" };
}

/** Telegram lists a photo's sizes smallest first, but the order is not a documented promise: compare sizes. */
function area(size: z.infer<typeof photoSizeSchema>): number {
  return size.width !== undefined && size.height !== undefined ? size.width * size.height : (size.file_size ?? 0);
}

/**
 * The chat reference of a forum topic, `<chat id>/<message_thread_id>`: the outbox keeps one string per chat, and the
 * adapter sends to the topic it names (splitChatRef). Telegram chat ids are numbers or "@name", never with a slash.
 */
export function topicChatRef(chatId: string, threadId: number): string {
  return `${chatId}/${threadId}`;
}

/** The chat and, for a forum topic, the thread a stored chat reference names. */
export function splitChatRef(ref: string): { chat: string; threadId?: number } {
  const match = /^(-?\d{1,16})\/(\d{1,16})$/.exec(ref);
  return match?.[1] === undefined || match[2] === undefined ? { chat: ref } : { chat: match[1], threadId: Number(match[2]) };
}

/** Prefix of stored evidence references; the file id stays valid for this bot and is fetched with getFile. */
export const TELEGRAM_FILE_REF_PREFIX = "telegram:";

/** The reference stored for a Telegram file: `telegram:<file_id>`. */
export function telegramFileRef(fileId: string): string {
  return `${TELEGRAM_FILE_REF_PREFIX}${fileId}`;
}

/** The file id of a stored reference, or null when it is not a Telegram one. */
export function fileIdOfRef(ref: string): string | null {
  return ref.startsWith(TELEGRAM_FILE_REF_PREFIX) && ref.length > TELEGRAM_FILE_REF_PREFIX.length ? ref.slice(TELEGRAM_FILE_REF_PREFIX.length) : null;
}

/**
 * A tap on an inline button. Data this bot version did not write (an older release, garbage) still becomes a pick,
 * for a question that cannot be current: the engine then says the button is out of date and repeats the current
 * question, and the callback query is answered like any other.
 */
function fromCallbackQuery(eventKey: string, raw: unknown): ParsedUpdate[] {
  const parsed = callbackQuerySchema.safeParse(raw);
  if (!parsed.success) return [ignored("malformed callback query")];
  const query = parsed.data;
  const choice = decodeCallbackData(query.data) ?? { questionId: STALE_QUESTION_ID, value: STALE_QUESTION_ID };
  const displayName = displayNameOf(query.from);
  return [
    {
      kind: "event",
      eventKey,
      externalUserId: String(query.from.id),
      // Without the message (inline mode, never used by this bot) the private chat's id is the user's id.
      chatId: String(query.message?.chat.id ?? query.from.id),
      ...(displayName !== undefined ? { displayName } : {}),
      chatType: query.message === undefined ? "private" : chatTypeOf(query.message.chat),
      input: { kind: "pick", questionId: choice.questionId, value: choice.value },
      callbackQueryId: query.id,
      ...(query.message !== undefined ? { tappedMessageId: String(query.message.message_id) } : {}),
    },
  ];
}
