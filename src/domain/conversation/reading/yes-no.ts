import type { NormalizedReply } from "./normalize.js";
import type { ReplyVocabulary } from "./vocabulary.js";

/**
 * A yes or no as officials say it: "có", "đúng rồi", "có chứ", "c", "k", "1"/"2" (the numbered choices), and a marker
 * with words of the question itself: "có kiểm tra", "chưa kiểm tra", "ban hành rồi", "đã ban hành". Null when the reply
 * is not plainly one of them.
 */
export function readYesNo(reply: NormalizedReply, questionWords: ReadonlySet<string>, vocabulary: ReplyVocabulary): boolean | null {
  const plain = reply.plain;
  if (plain === "1") return true;
  if (plain === "2") return false;
  if (vocabulary.no.has(plain)) return false;
  if (vocabulary.yes.has(plain)) return true;
  const words = reply.words;
  const ofQuestion = (rest: readonly string[]): boolean => rest.length > 0 && rest.every((w) => questionWords.has(w) || vocabulary.stopwords.has(w));
  // Negations first: "không có kiểm tra" starts with a yes word inside a no.
  for (const markers of [vocabulary.noMarkers, vocabulary.yesMarkers]) {
    const yes = markers === vocabulary.yesMarkers;
    for (const marker of [...markers].sort((a, b) => b.length - a.length)) {
      const parts = marker.split(" ");
      const head = words.slice(0, parts.length).join(" ") === marker;
      const tail = words.slice(-parts.length).join(" ") === marker;
      if (head && ofQuestion(words.slice(parts.length))) return mixed(words.slice(parts.length), vocabulary) ? null : yes;
      if (tail && ofQuestion(words.slice(0, -parts.length))) return mixed(words.slice(0, -parts.length), vocabulary) ? null : yes;
    }
  }
  return null;
}

/** A negation inside the rest turns the meaning round ("có không ban hành"): not plain. */
function mixed(rest: readonly string[], vocabulary: ReplyVocabulary): boolean {
  return rest.some((w) => vocabulary.negations.has(w));
}
