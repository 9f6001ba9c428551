/**
 * Callback data of inline-keyboard buttons: which question a button answers and with which value.
 *
 * Telegram caps `callback_data` at 64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton) and hands it
 * back verbatim, possibly weeks later and possibly from a message an older release of the bot sent. So the format is
 * versioned (`1|<questionId>|<value>`), checked against the byte limit when encoding, and decoding treats anything
 * it does not recognise as foreign rather than guessing.
 */

/** Telegram's limit for `callback_data`, in UTF-8 bytes. */
export const CALLBACK_DATA_LIMIT_BYTES = 64;

/** Bump when the layout changes: buttons of older messages then decode to null instead of being misread. */
export const CALLBACK_DATA_VERSION = "1";

const SEPARATOR = "|";
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** What a tapped button means: the question it belongs to (a criterion id, "menu" or "confirm") and the value. */
export interface CallbackChoice {
  readonly questionId: string;
  readonly value: string;
}

/** The choice cannot be carried by a button: too long for Telegram, empty, or the question id holds the separator. */
export class CallbackDataError extends Error {
  override name = "CallbackDataError";
}

/** The size Telegram counts: UTF-8 bytes, not UTF-16 code units. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Encodes a choice; throws CallbackDataError when it would not fit in 64 bytes or cannot be decoded back. */
export function encodeCallbackData(choice: CallbackChoice): string {
  if (choice.questionId === "" || choice.value === "") throw new CallbackDataError("question id and value must not be empty");
  // The value is "the rest", so it may hold the separator; the question id may not, or decoding would split it.
  if (choice.questionId.includes(SEPARATOR)) throw new CallbackDataError(`question id ${JSON.stringify(choice.questionId)} contains "${SEPARATOR}"`);
  if (CONTROL.test(choice.questionId) || CONTROL.test(choice.value)) throw new CallbackDataError("question id and value must not contain control characters");
  const data = [CALLBACK_DATA_VERSION, choice.questionId, choice.value].join(SEPARATOR);
  const bytes = byteLength(data);
  if (bytes > CALLBACK_DATA_LIMIT_BYTES) {
    throw new CallbackDataError(`callback data for ${JSON.stringify(choice.questionId)} would take ${bytes} bytes (limit ${CALLBACK_DATA_LIMIT_BYTES})`);
  }
  return data;
}

/** Whether a choice can be carried by a button (encodeCallbackData would not throw). */
export function fitsCallbackData(choice: CallbackChoice): boolean {
  try {
    encodeCallbackData(choice);
    return true;
  } catch {
    return false;
  }
}

/** Decodes callback data; null for anything this version did not write (other versions, other bots, garbage). */
export function decodeCallbackData(data: unknown): CallbackChoice | null {
  if (typeof data !== "string" || byteLength(data) > CALLBACK_DATA_LIMIT_BYTES) return null;
  const first = data.indexOf(SEPARATOR);
  const second = first < 0 ? -1 : data.indexOf(SEPARATOR, first + 1);
  if (second < 0) return null;
  const version = data.slice(0, first);
  const questionId = data.slice(first + 1, second);
  const value = data.slice(second + 1);
  if (version !== CALLBACK_DATA_VERSION || questionId === "" || value === "") return null;
  if (CONTROL.test(data)) return null;
  return { questionId, value };
}
