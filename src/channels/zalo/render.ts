import type { RenderedReply } from "../../i18n/translator.js";
import { renderNumbered } from "../numbered-render.js";
import { splitText } from "../split-text.js";

/** sendMessage accepts 1–2,000 characters of text (and sendPhoto as much caption). */
export const ZALO_TEXT_LIMIT_CHARS = 2000;

/**
 * A reply as Zalo messages: Zalo has no buttons, so choices become numbered lines the person answers with the number
 * (or the option's text); over the limit, the text is split into several messages.
 */
export function renderForZalo(reply: RenderedReply, limit = ZALO_TEXT_LIMIT_CHARS): string[] {
  return splitText(renderNumbered(reply), limit);
}
