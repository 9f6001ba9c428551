/*
 * Text people send passes two filters. On the way in, what no database can store is dropped (the NUL character, which
 * PostgreSQL refuses in text, and lone UTF-16 surrogates, which are not characters at all and which Prisma refuses),
 * so a message never fails for ever on a character. On the way out, to other people, the invisible characters that
 * change how a line reads are dropped: bidirectional overrides, embeddings, isolates and marks (a name written with
 * U+202E shows its text backwards, and can make a supervisor read "gpj.exe" as "exe.jpg"), and zero-width characters
 * (which make two names that look the same differ). Vietnamese text needs none of them.
 */

// eslint-disable-next-line no-control-regex -- NUL is exactly what must go
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const INVISIBLE_CONTROLS = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** The text without NUL characters and lone surrogates: what every database stores as it is. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, "");
}

/** The text without bidirectional controls and zero-width characters, for showing what one person wrote to another. */
export function displayText(text: string): string {
  return text.replace(INVISIBLE_CONTROLS, "");
}
