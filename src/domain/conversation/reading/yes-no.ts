import { canonical, containsPhrase, normalizeReply, type NormalizedReply } from "./normalize.js";
import type { ReplyVocabulary } from "./vocabulary.js";

/**
 * A yes or no as officials say it: "có", "đúng rồi", "có chứ", "c", "k", "1"/"2" (the numbered choices); a marker with
 * words of the question itself ("có kiểm tra", "chưa kiểm tra", "ban hành rồi", "đã ban hành", "chưa khảo sát lần
 * nào"); a marker, a word of the question and a detail ("có dùng Google Ad Manager"); or the question's own words
 * said back without a negation ("hiển thị tốt"). Null when the reply is not plainly one of them.
 */
export function readYesNo(reply: NormalizedReply, questionWords: ReadonlySet<string>, vocabulary: ReplyVocabulary, questionSequence: readonly string[] = []): boolean | null {
  const plain = reply.plain;
  if (plain === "1") return true;
  if (plain === "2") return false;
  if (vocabulary.no.has(plain)) return false;
  if (vocabulary.yes.has(plain)) return true;
  const words = reply.words.map((w) => canonical(w, vocabulary));
  const ofQuestion = (w: string): boolean => questionWords.has(w) || vocabulary.stopwords.has(w);
  const negation = (w: string): boolean => vocabulary.negations.has(w);
  for (const markers of [vocabulary.noMarkers, vocabulary.yesMarkers]) {
    const yes = markers === vocabulary.yesMarkers;
    for (const marker of markers) {
      const parts = marker.split(" ");
      const head = words.slice(0, parts.length).join(" ") === marker;
      const tail = words.slice(-parts.length).join(" ") === marker;
      const rest = head ? words.slice(parts.length) : tail ? words.slice(0, -parts.length) : null;
      if (rest === null || rest.length === 0 || rest.some(negation)) continue;
      const fits = (w: string): boolean => ofQuestion(w) || vocabulary.affirmTails.has(w) || (!yes && vocabulary.noneTail.has(w));
      if (rest.every(fits)) return yes;
      // "có dùng Google Ad Manager": the question's verb first, then a detail of the person's own.
      const first = rest.find((w) => !vocabulary.stopwords.has(w));
      if (head && first !== undefined && questionWords.has(first) && rest.filter((w) => questionWords.has(w) && !vocabulary.stopwords.has(w)).length >= 1 && rest.length <= 6) return yes;
    }
  }
  // "hiển thị tốt": a phrase of the question said back as it stands, with no negation, is a yes ("lưu tại trụ sở"
  // is not: the question says "sao lưu ra … ngoài trụ sở").
  // "chỉ lưu tại trụ sở" (only at the office) restricts what the question asks: never a yes said back.
  if (words.length >= 2 && !words.some(negation) && containsPhrase(questionSequence, words.join(" "))) return true;
  return null;
}

/** A bare yes or no to a confirmation ("có ạ", "ko", "1"), with no question's words to lean on. */
export function readPlainYesNo(text: string, vocabulary: ReplyVocabulary): boolean | null {
  return readYesNo(normalizeReply(text, vocabulary), new Set(), vocabulary);
}
