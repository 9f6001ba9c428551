/**
 * Characters no text a person reads should hold, refused where files enter (definitions, workbooks, period files):
 * C0 control characters but tab and line breaks, DEL, and lone UTF-16 surrogates (not characters at all). PostgreSQL
 * refuses NUL in text and Prisma refuses lone surrogates, so these would otherwise fail only when stored.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first control character or lone surrogate in the text, as `U+0001`; null when there is none. */
export function firstControlCharacter(text: string): string | null {
  const found = CONTROL_CHARACTER.exec(text)?.[0];
  return found === undefined ? null : `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}
