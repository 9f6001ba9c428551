import { readFileSync } from "node:fs";
import path from "node:path";
import { buildVocabulary, replyVocabularySchema, type ReplyVocabulary } from "../domain/conversation/reading/vocabulary.js";
import { LOCALES, LOCALES_DIR } from "./translator.js";

let loaded: ReplyVocabulary | undefined;

/**
 * The reply vocabulary of every language (locales/<lang>/input/reply-vocabulary.json), validated and merged once per
 * process. A malformed file stops the start-up with the file's name rather than misreading replies later.
 */
export function replyVocabulary(dir = LOCALES_DIR): ReplyVocabulary {
  if (loaded !== undefined && dir === LOCALES_DIR) return loaded;
  const files = LOCALES.map((locale) => {
    const file = path.join(dir, locale, "input", "reply-vocabulary.json");
    const parsed = replyVocabularySchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return parsed.data;
  });
  const vocabulary = buildVocabulary(files);
  if (dir === LOCALES_DIR) loaded = vocabulary;
  return vocabulary;
}
