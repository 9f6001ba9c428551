import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { RenderedReply } from "../../i18n/translator.js";
import type { TapAnswer } from "../channel.js";
import { renderNumbered } from "../numbered-render.js";
import { splitText } from "../split-text.js";
import { encodeCallbackData, fitsCallbackData } from "./callback-data.js";

/** Telegram's limit for a message's text (https://core.telegram.org/bots/api#sendmessage). */
export const TELEGRAM_TEXT_LIMIT_CHARS = 4096;

/** Longer button labels are cut: Telegram truncates them on screen anyway, and phones show about this much. */
export const TELEGRAM_BUTTON_LABEL_LIMIT_CHARS = 60;

/** Labels up to this length sit two to a row (yes/no, menu items); longer ones get a row each. */
const SHORT_LABEL_CHARS = 18;

/**
 * One sendMessage call's parameters besides chat_id. Sent WITHOUT parse_mode: Telegram shows the text verbatim, so
 * nothing a person typed and the bot echoes back (notes, names, answers) can inject formatting, and nothing needs
 * escaping. This is the "escape for the parse mode used" rule with the parse mode being none.
 */
export interface TelegramMessageParams {
  readonly text: string;
  readonly reply_markup?: InlineKeyboardMarkup;
}

/**
 * A rendered reply as one or more Telegram messages: the text split on line boundaries to fit 4,096 characters,
 * the choices as an inline keyboard on the last message (so the buttons sit under the question, not above the rest
 * of its text). When the choices cannot be buttons — no question id, or callback data over 64 bytes for an
 * administrator-loaded definition with very long ids — they are listed as numbers instead, which the engine reads
 * the same way it does on Zalo.
 */
export function renderForTelegram(reply: RenderedReply): TelegramMessageParams[] {
  if (reply.choices.length === 0) return splitText(reply.text, TELEGRAM_TEXT_LIMIT_CHARS).map((text) => ({ text }));
  const questionId = reply.questionId;
  const buttonable = questionId !== undefined && reply.choices.every((c) => fitsCallbackData({ questionId, value: c.value }));
  if (!buttonable) return splitText(renderNumbered(reply), TELEGRAM_TEXT_LIMIT_CHARS).map((text) => ({ text }));

  const cut = reply.choices.some((c) => c.label.trim().length > TELEGRAM_BUTTON_LABEL_LIMIT_CHARS);
  // A label cut short on its button is still readable in full in the text, with its number.
  const text = cut ? renderNumbered(reply) : reply.text;
  const buttons: InlineKeyboardButton[] = reply.choices.map((choice, i) => ({
    text: `${choice.selected ? "✓ " : ""}${cut ? `${i + 1}. ` : ""}${shorten(choice.label.trim() || String(i + 1), TELEGRAM_BUTTON_LABEL_LIMIT_CHARS)}`,
    callback_data: encodeCallbackData({ questionId, value: choice.value }),
  }));
  const short = reply.choices.every((c) => c.label.trim().length <= SHORT_LABEL_CHARS);
  const keyboard: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += short ? 2 : 1) keyboard.push(buttons.slice(i, i + (short ? 2 : 1)));

  const chunks = splitText(text, TELEGRAM_TEXT_LIMIT_CHARS);
  // Telegram refuses an empty text, and a keyboard needs a message to hang on.
  if (chunks.length === 0) chunks.push("…");
  return chunks.map((chunk, i) => (i === chunks.length - 1 ? { text: chunk, reply_markup: { inline_keyboard: keyboard } } : { text: chunk }));
}

/** Telegram's limit for the notice shown on a tapped button (https://core.telegram.org/bots/api#answercallbackquery). */
export const TELEGRAM_TAP_TEXT_LIMIT_CHARS = 200;

/** answerCallbackQuery's optional parameters for a tap: its notice, cut to Telegram's limit, when there is one. */
export function tapText(tap: TapAnswer): { text?: string } {
  return tap.text === undefined || tap.text.trim() === "" ? {} : { text: shorten(tap.text.trim(), TELEGRAM_TAP_TEXT_LIMIT_CHARS) };
}

/** Cuts a label to `max` characters with an ellipsis, never inside a surrogate pair. */
function shorten(label: string, max: number): string {
  if (label.length <= max) return label;
  return `${safeSlice(label, max - 1).trimEnd()}…`;
}

/** The first `max` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair (an emoji). */
function safeSlice(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
