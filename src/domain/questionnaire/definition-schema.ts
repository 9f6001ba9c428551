import { z } from "zod";
import { firstControlCharacter } from "../text/control-characters.js";

/**
 * Shape of an index definition file, exactly as in docs/definition-format.md.
 * Objects are strict: an unknown field is an error, so a typo in a hand-written file never passes silently.
 * Cross-field rules (sums, id prefixes, score caps) live in validate-definition.ts.
 */

/** Longest text of a definition (a question with its help is a paragraph; a 5-million-character cell is a mistake). */
export const MAX_DEFINITION_TEXT = 4_000;

/**
 * The schema's own messages, by code: validate-definition.ts gives a problem with one of these its rule, so commands
 * can say it in the operator's language.
 */
export const SCHEMA_MESSAGES = {
  tooLong: `must be at most ${MAX_DEFINITION_TEXT} characters`,
  noControl: "must not contain control characters",
  notEmpty: "must not be empty",
  notNegative: "must be 0 or more",
  needsBand: "needs at least one band",
  positive: "must be greater than 0",
  needsCriterion: "needs at least one criterion",
  needsIndicator: "needs at least one indicator",
  idTooLong: "must be at most 100 characters",
  idForm: "must be lowercase letters, digits, dots and dashes",
  isoDate: "must be a date like 2024-10-24",
  needsLevel: "needs at least one level",
  needsPillar: "needs at least one pillar",
} as const;
const m = SCHEMA_MESSAGES;

/** Text people read: bounded, and without control characters (PostgreSQL refuses NUL; none belongs in a question). */
const text = z
  .string()
  .max(MAX_DEFINITION_TEXT, m.tooLong)
  .refine((s) => firstControlCharacter(s) === null, m.noControl);
const nonEmpty = text.trim().min(1, m.notEmpty);

export const localizedTextSchema = z.strictObject({ vi: nonEmpty, en: text });

const score = z.number().min(0, m.notNegative);

/** `keywords`: other words people use for the option ("đám mây", "lượt view"), read by the reply reader; never shown. */
const optionSchema = z.strictObject({ id: nonEmpty, label: localizedTextSchema, score, keywords: z.array(nonEmpty).max(20).optional() });

const bandSchema = z.strictObject({ from: z.number(), score });

const numberAnswerSchema = z.strictObject({
  type: z.literal("number"),
  unit: z.enum(["percent", "count", "vnd"]),
  min: z.number(),
  max: z.number().optional(),
  bands: z.array(bandSchema).min(1, m.needsBand).optional(),
  linear: z.strictObject({ target: z.number().positive(m.positive) }).optional(),
});

export const answerSpecSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("yesno") }),
  z.strictObject({ type: z.literal("choice"), options: z.array(optionSchema) }),
  z.strictObject({ type: z.literal("multi"), options: z.array(optionSchema) }),
  numberAnswerSchema,
]);

export const criterionSchema = z.strictObject({
  id: nonEmpty,
  question: localizedTextSchema,
  help: localizedTextSchema.optional(),
  maxScore: score,
  evidence: z.enum(["required", "optional", "none"]),
  answer: answerSpecSchema,
});

export const indicatorSchema = z.strictObject({
  id: nonEmpty,
  name: localizedTextSchema,
  criteria: z.array(criterionSchema).min(1, m.needsCriterion),
});

export const pillarSchema = z.strictObject({
  id: nonEmpty,
  name: localizedTextSchema,
  maxScore: score,
  indicators: z.array(indicatorSchema).min(1, m.needsIndicator),
});

export const levelSchema = z.strictObject({ id: nonEmpty, name: localizedTextSchema, minScore: score });

export const definitionSchema = z.strictObject({
  id: z.string().max(100, m.idTooLong).regex(/^[a-z0-9][a-z0-9.-]*$/, m.idForm),
  title: localizedTextSchema,
  source: z.strictObject({
    decision: nonEmpty,
    issuedOn: z.iso.date(m.isoDate),
    official: z.boolean(),
    note: localizedTextSchema,
  }),
  maxScore: score,
  levels: z.array(levelSchema).min(1, m.needsLevel),
  pillars: z.array(pillarSchema).min(1, m.needsPillar),
});

export type LocalizedText = z.infer<typeof localizedTextSchema>;
export type AnswerSpec = z.infer<typeof answerSpecSchema>;
export type ChoiceOption = z.infer<typeof optionSchema>;
export type Criterion = z.infer<typeof criterionSchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type Pillar = z.infer<typeof pillarSchema>;
export type Level = z.infer<typeof levelSchema>;
export type IndexDefinition = z.infer<typeof definitionSchema>;
export type Locale = keyof LocalizedText;
