import { containsPhrase, type NormalizedReply } from "./normalize.js";
import type { ReplyVocabulary } from "./vocabulary.js";

/** What a reply asks for when it is not an answer. */
export type Intent =
  | { readonly kind: "move"; readonly to: "previous" | "next" | "first" | "last" }
  /** "câu 7", "sửa câu 3", "trụ cột 4", "tiêu chí 2.1.3": the target in the words navigation.ts reads. */
  | { readonly kind: "goto"; readonly target: string }
  | { readonly kind: "put-off" }
  | { readonly kind: "command"; readonly name: string }
  | { readonly kind: "greeting" };

/** Words a sentence may add around a command or a put-off without changing it ("thôi", "cho em"). */
const SLACK_WORDS = 3;

/** Reads a reply as a move, a put-off, a command said in a sentence, or a greeting; null when it is none of them. */
export function readIntent(reply: NormalizedReply, vocabulary: ReplyVocabulary): Intent | null {
  const words = reply.words;
  if (words.length === 0) return null;
  const withoutVerb = stripVerb(words, vocabulary);
  for (const candidate of [words, withoutVerb]) {
    const move = vocabulary.moves.get(candidate.join(" "));
    if (move !== undefined) return { kind: "move", to: move };
    const goto = gotoTarget(candidate, vocabulary);
    if (goto !== null) return { kind: "goto", target: goto };
  }
  if (vocabulary.putOff.has(reply.plain) || within(words, [...vocabulary.putOff]) || putOffLead(words, vocabulary)) return { kind: "put-off" };
  const command = vocabulary.commands.get(reply.plain) ?? commandInSentence(words, vocabulary);
  if (command !== undefined) return { kind: "command", name: command };
  if (vocabulary.greetings.has(reply.plain) || greetingFirst(words, vocabulary)) return { kind: "greeting" };
  return null;
}

/**
 * A reply said in so many words that it can only be this: the whole reply is a move, a put-off, a command or a greeting
 * of the vocabulary. Read before single command words, so "câu này để sau" is a put-off, not "câu …" (go to).
 */
export function exactIntent(reply: NormalizedReply, vocabulary: ReplyVocabulary): Intent | null {
  const move = vocabulary.moves.get(reply.plain);
  if (move !== undefined) return { kind: "move", to: move };
  if (vocabulary.putOff.has(reply.plain)) return { kind: "put-off" };
  const command = vocabulary.commands.get(reply.plain);
  if (command !== undefined) return { kind: "command", name: command };
  if (vocabulary.greetings.has(reply.plain)) return { kind: "greeting" };
  return null;
}

/** "hỏi lại kế toán đã", "để em hỏi bên kỹ thuật rồi trả lời sau", "chưa biết, hỏi lại kế toán". */
function putOffLead(words: readonly string[], vocabulary: ReplyVocabulary): boolean {
  if (words.some((w) => /\d/.test(w))) return false;
  return vocabulary.putOffLeads.some((phrase) => phrase.split(" ").every((p, i) => words[i] === p));
}

/** "sửa câu 3" → "câu 3": a verb of moving in front changes nothing. */
function stripVerb(words: readonly string[], vocabulary: ReplyVocabulary): readonly string[] {
  for (const verb of vocabulary.moveVerbs) {
    const parts = verb.split(" ");
    if (words.length > parts.length && parts.every((p, i) => words[i] === p)) return words.slice(parts.length);
  }
  return words;
}

/** "câu 7" / "câu số 7" → "câu 7"; "trụ cột 4" → "trụ cột 4"; "tiêu chí 2.1.3" → "2.1.3". */
function gotoTarget(words: readonly string[], vocabulary: ReplyVocabulary): string | null {
  const last = words.at(-1) ?? "";
  const head = words.slice(0, -1).join(" ");
  if (/^\d{1,3}$/.test(last) && vocabulary.questionWords.includes(head)) return `cau ${last}`;
  if (/^\d{1,2}$/.test(last) && vocabulary.pillarWords.includes(head)) return `tru cot ${last}`;
  if (/^p?\d{1,2}(\.\d{1,2}){1,2}$/.test(last) && (head === "" || vocabulary.questionWords.includes(head))) return last.toUpperCase().replace(/^(?!P)/, "P");
  return null;
}

/** A phrase of two words or more with at most a few words around it, and no figure (a figure is an answer). */
function within(words: readonly string[], phrases: readonly string[]): boolean {
  if (words.some((w) => /\d/.test(w))) return false;
  return phrases.some((p) => p.includes(" ") && words.length <= p.split(" ").length + SLACK_WORDS && containsPhrase(words, p));
}

function commandInSentence(words: readonly string[], vocabulary: ReplyVocabulary): string | undefined {
  for (const [phrase, name] of vocabulary.commands) {
    if (phrase.includes(" ") && within(words, [phrase])) return name;
  }
  return undefined;
}

/** "chào em", "chào em, chị mới nhận việc": a greeting first, and nothing that reads as an answer after it. */
function greetingFirst(words: readonly string[], vocabulary: ReplyVocabulary): boolean {
  if (words.some((w) => /\d/.test(w))) return false;
  for (const n of [3, 2, 1]) {
    if (words.length > n && vocabulary.greetings.has(words.slice(0, n).join(" "))) {
      const rest = words.slice(n);
      return !rest.some((w) => vocabulary.yes.has(w) || vocabulary.no.has(w) || vocabulary.negations.has(w));
    }
  }
  return false;
}
