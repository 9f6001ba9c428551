/**
 * Splits text into messages of at most `limit` UTF-16 units (what both Telegram and Zalo count, or more), so a long
 * reply goes out as several messages instead of being refused. Where it cuts, in order of preference:
 * - at a blank line (between paragraphs), when that keeps at least half the limit in the piece — otherwise a short
 *   paragraph would go out as a message of its own;
 * - at a line break, so a numbered option or a line of a list stays whole;
 * - at the last space of a line longer than the limit;
 * - hard, at the last whole character (grapheme: an emoji, or a Vietnamese letter written with combining marks, is
 *   never cut in two).
 * Blank lines at a cut and trailing whitespace are dropped, and whitespace-only text gives no pieces: both platforms
 * refuse empty messages.
 */
export function splitText(text: string, limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError("limit must be an integer of at least 2 (a surrogate pair)");
  const pieces: string[] = [];
  let rest = trimBlank(text);
  while (rest.length > limit) {
    const { at, skip } = cutPoint(rest, limit);
    const piece = rest.slice(0, at).trimEnd();
    if (piece !== "") pieces.push(piece);
    rest = trimBlank(skip === "spaces" ? rest.slice(at).replace(/^ +/, "") : rest.slice(at));
  }
  if (rest !== "") pieces.push(rest);
  return pieces;
}

/** Drops leading blank lines (keeping the indentation of the first line with text) and trailing whitespace. */
function trimBlank(text: string): string {
  const body = text.replace(/\s+$/, "");
  return body.replace(/^(?:[ \t\r]*\n)+/, "");
}

/** Where to cut `text` (longer than `limit`) so the first piece fits; `skip` says what the next piece starts with. */
function cutPoint(text: string, limit: number): { at: number; skip: "lines" | "spaces" } {
  const paragraph = text.lastIndexOf("\n\n", limit);
  if (paragraph >= limit / 2) return { at: paragraph, skip: "lines" };
  const line = text.lastIndexOf("\n", limit);
  if (line > 0) return { at: line, skip: "lines" };
  const space = text.lastIndexOf(" ", limit);
  if (space > 0) return { at: space, skip: "spaces" };
  return { at: lastBoundary(text, limit), skip: "lines" };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * The last grapheme boundary at or before `limit`; when a single grapheme is longer than the limit (a long emoji
 * sequence with a tiny limit), the last code point boundary, so a surrogate pair still stays whole.
 */
function lastBoundary(text: string, limit: number): number {
  let boundary = 0;
  // The character at `limit` is included: whether a boundary sits right before it depends on it.
  for (const { index } of graphemes.segment(text.slice(0, limit + 1))) boundary = index;
  if (boundary > 0) return boundary;
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
