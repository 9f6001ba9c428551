import type { RenderedReply } from "../../i18n/translator.js";
import { renderNumbered } from "../numbered-render.js";

/** sendMessage accepts 1–2,000 characters of text (and sendPhoto as much caption). */
export const ZALO_TEXT_LIMIT_CHARS = 2000;

/**
 * A reply as Zalo messages: Zalo has no buttons, so choices become numbered lines the person answers with the number
 * (or the option's text); over the limit, the text is split into several messages.
 */
export function renderForZalo(reply: RenderedReply, limit = ZALO_TEXT_LIMIT_CHARS): string[] {
  return splitText(renderNumbered(reply), limit);
}

/**
 * Splits text into pieces of at most `limit` UTF-16 units (never fewer characters than Zalo counts), cutting between
 * lines, so a numbered option or a sentence stays whole; a single line longer than the limit is cut at its last space,
 * or hard at the limit when there is none (never inside a surrogate pair). Blank lines at a cut are dropped and
 * empty pieces are never returned, since the platform refuses empty messages.
 */
export function splitText(text: string, limit = ZALO_TEXT_LIMIT_CHARS): string[] {
  if (limit < 2) throw new RangeError("limit must be at least 2");
  const pieces: string[] = [];
  let current = "";
  const flush = (): void => {
    const piece = current.replace(/^\n+|\s+$/g, "");
    if (piece !== "") pieces.push(piece);
    current = "";
  };
  for (const line of text.split("\n")) {
    for (const part of cutLongLine(line, limit)) {
      const candidate = current === "" ? part : `${current}\n${part}`;
      if (candidate.length <= limit) {
        current = candidate;
      } else {
        flush();
        current = part;
      }
    }
  }
  flush();
  return pieces;
}

function cutLongLine(line: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(" ", limit);
    if (cut <= 0) {
      cut = limit;
      // Do not separate a surrogate pair (an emoji) across two messages.
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  parts.push(rest);
  return parts;
}
