import { z } from "zod";

const phrases = z.array(z.string()).default([]);

/**
 * How people type replies: the words and phrases the reply reader recognises, kept as data in
 * locales/<lang>/input/reply-vocabulary.json so it can grow without touching the engine. Phrases are folded (lower
 * case, no diacritics, đ → d) and match whole words. Every language's file is merged: an official may type Vietnamese
 * with the English interface, or the reverse.
 */
export const replyVocabularySchema = z.object({
  leadingParticles: phrases,
  trailingParticles: phrases,
  shorthand: z.record(z.string(), z.string()).default({}),
  yes: phrases,
  no: phrases,
  /** Words that make "<marker> <words of the question>" a yes ("có kiểm tra", "ban hành rồi"). */
  yesMarkers: phrases,
  /** The same for no ("chưa kiểm tra", "không có"). */
  noMarkers: phrases,
  /** Never an answer: "không biết", "có lẽ". */
  hedges: phrases,
  /** Put the question off: "bỏ qua", "để sau", "hỏi lại sếp đã". */
  putOff: phrases,
  greetings: phrases,
  moves: z.object({ previous: phrases, next: phrases, first: phrases, last: phrases }).partial().default({}),
  /** Words before "câu 3" that still mean going there ("sửa", "xem"). */
  moveVerbs: phrases,
  questionWords: phrases,
  pillarWords: phrases,
  /** Commands said in a sentence, by command name ("điểm bao nhiêu rồi" → score). */
  commands: z.record(z.string(), phrases).default({}),
  /** Words before an option's number: "số 3", "phương án 2", "đáp án 3". */
  ordinalPrefixes: phrases,
  numberWords: z.record(z.string(), z.number().int().positive()).default({}),
  /** Every option of a several-choice question: "tất cả", "cả 5". */
  all: phrases,
  /** No option of a several-choice question: "không có", "chưa có". */
  none: phrases,
  /** Words after a negation that still mean "none of them": "chưa có chức năng nào". */
  noneTail: phrases,
  rangeJoiners: phrases,
  /** "khoảng 80": still one figure. */
  approximately: phrases,
  /** "hơn 60": not one figure. */
  notExact: phrases,
  /** Words around a figure that change nothing: "đạt 70%", "tăng 15%". */
  figureFillers: phrases,
  /** What a figure counts, typed after it: "60 người", "12 tin bài", "3 lần". */
  countNouns: phrases,
  /** "tất cả" for a percentage of people: 100. */
  everybody: phrases,
  /** "không ai": 0. */
  nobody: phrases,
  /** Unit words after a figure and their scale: "%", "e9" (tỷ), "e6", "e3", "" (đồng). */
  units: z.record(z.string(), z.string()).default({}),
  /** Words that make an option's label a numeric interval ("Tăng từ 10% đến dưới 20%"). */
  rangeWords: z
    .object({ below: phrases, atMost: phrases, above: phrases, from: phrases, orMore: phrases, to: phrases, decrease: phrases, increase: phrases })
    .partial()
    .default({}),
  /** Words that name no option by themselves. */
  stopwords: phrases,
  negations: phrases,
  /** A reply that starts so is putting the question off: "hỏi lại kế toán đã", "để em hỏi bên kỹ thuật". */
  putOffLeads: phrases,
  /** Words after "có …" that add emphasis, not content: "có đầy đủ", "có luôn". */
  affirmTails: phrases,
  /** "gần 1 tỷ": just under the figure. */
  almost: phrases,
  /** People's words rewritten to the words labels use: "3 tháng 1 lần" → "mỗi quý một lần", "cloud" → "đám mây". */
  rewrites: z.record(z.string(), z.string()).default({}),
  /** Words that mean the same when comparing with labels: "hằng" and "mỗi", "một" and "1". */
  synonyms: z.array(z.array(z.string()).min(2)).default([]),
  /** Options that say how far something went ("Một phần", "Toàn bộ"): a percentage typed picks one. */
  degree: z.object({ full: phrases, partial: phrases }).partial().default({}),
});

export type ReplyVocabularyFile = z.infer<typeof replyVocabularySchema>;
type Moves = "previous" | "next" | "first" | "last";
type RangeKind = "below" | "atMost" | "above" | "from" | "orMore" | "to" | "decrease" | "increase";

/** The merged vocabulary, ready for lookups. */
export interface ReplyVocabulary {
  readonly leadingParticles: ReadonlySet<string>;
  readonly trailingParticles: ReadonlySet<string>;
  readonly shorthand: ReadonlyMap<string, string>;
  readonly yes: ReadonlySet<string>;
  readonly no: ReadonlySet<string>;
  /** Longest first. */
  readonly yesMarkers: readonly string[];
  /** Longest first. */
  readonly noMarkers: readonly string[];
  readonly hedges: readonly string[];
  readonly putOff: ReadonlySet<string>;
  readonly greetings: ReadonlySet<string>;
  readonly moves: ReadonlyMap<string, Moves>;
  readonly moveVerbs: readonly string[];
  readonly questionWords: readonly string[];
  readonly pillarWords: readonly string[];
  readonly commands: ReadonlyMap<string, string>;
  readonly ordinalPrefixes: readonly string[];
  readonly numberWords: ReadonlyMap<string, number>;
  readonly all: ReadonlySet<string>;
  readonly none: ReadonlySet<string>;
  readonly noneTail: ReadonlySet<string>;
  readonly approximately: readonly string[];
  readonly notExact: readonly string[];
  readonly figureFillers: readonly string[];
  readonly countNouns: ReadonlySet<string>;
  readonly everybody: ReadonlySet<string>;
  readonly nobody: ReadonlySet<string>;
  readonly units: ReadonlyMap<string, string>;
  readonly rangeWords: ReadonlyMap<RangeKind, readonly string[]>;
  readonly stopwords: ReadonlySet<string>;
  readonly negations: ReadonlySet<string>;
  readonly putOffLeads: readonly string[];
  readonly affirmTails: ReadonlySet<string>;
  readonly almost: readonly string[];
  /** Longest first. */
  readonly rewrites: readonly (readonly [string, string])[];
  /** Each word of a synonym group mapped to the group's first word. */
  readonly synonyms: ReadonlyMap<string, string>;
  readonly degree: { readonly full: readonly string[]; readonly partial: readonly string[] };
}

/** Longest phrase first, so "quay lai cau truoc" wins over "quay lai". */
const byLength = (items: Iterable<string>): string[] => [...new Set(items)].sort((a, b) => b.split(" ").length - a.split(" ").length || b.length - a.length);

/** Merges the vocabulary files of every language into one. */
export function buildVocabulary(files: readonly ReplyVocabularyFile[]): ReplyVocabulary {
  const list = <K extends keyof ReplyVocabularyFile>(key: K): string[] => files.flatMap((f) => f[key] as string[]);
  const record = (pick: (f: ReplyVocabularyFile) => Record<string, string[] | undefined>): Map<string, string> => {
    const map = new Map<string, string>();
    for (const file of files) for (const [name, items] of Object.entries(pick(file))) for (const item of items ?? []) map.set(item, name);
    return map;
  };
  const rangeWords = new Map<RangeKind, string[]>();
  for (const file of files) {
    for (const [kind, items] of Object.entries(file.rangeWords) as [RangeKind, string[] | undefined][]) {
      rangeWords.set(kind, byLength([...(rangeWords.get(kind) ?? []), ...(items ?? [])]));
    }
  }
  return {
    leadingParticles: new Set(list("leadingParticles")),
    trailingParticles: new Set(list("trailingParticles")),
    shorthand: new Map(files.flatMap((f) => Object.entries(f.shorthand))),
    yes: new Set(list("yes")),
    no: new Set(list("no")),
    yesMarkers: byLength(list("yesMarkers")),
    noMarkers: byLength(list("noMarkers")),
    hedges: byLength(list("hedges")),
    putOff: new Set(list("putOff")),
    greetings: new Set(list("greetings")),
    moves: record((f) => f.moves) as Map<string, Moves>,
    moveVerbs: byLength(list("moveVerbs")),
    questionWords: byLength(list("questionWords")),
    pillarWords: byLength(list("pillarWords")),
    commands: record((f) => f.commands),
    ordinalPrefixes: byLength(list("ordinalPrefixes")),
    numberWords: new Map(files.flatMap((f) => Object.entries(f.numberWords))),
    all: new Set(list("all")),
    none: new Set(list("none")),
    noneTail: new Set(list("noneTail")),
    approximately: byLength(list("approximately")),
    notExact: byLength(list("notExact")),
    figureFillers: byLength(list("figureFillers")),
    countNouns: new Set(list("countNouns").flatMap((p) => p.split(" "))),
    everybody: new Set(list("everybody")),
    nobody: new Set(list("nobody")),
    units: new Map(files.flatMap((f) => Object.entries(f.units))),
    rangeWords,
    stopwords: new Set(list("stopwords")),
    negations: new Set(list("negations")),
    putOffLeads: byLength(list("putOffLeads")),
    affirmTails: new Set(list("affirmTails")),
    almost: byLength(list("almost")),
    rewrites: byLength(files.flatMap((f) => Object.keys(f.rewrites))).map((from) => [from, files.map((f) => f.rewrites[from]).find((to) => to !== undefined) ?? from] as const),
    degree: { full: byLength(files.flatMap((f) => f.degree.full ?? [])), partial: byLength(files.flatMap((f) => f.degree.partial ?? [])) },
    synonyms: new Map(files.flatMap((f) => f.synonyms.flatMap((group) => group.map((word) => [word, group[0] ?? word] as const)))),
  };
}
