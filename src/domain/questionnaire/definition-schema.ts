import { z } from "zod";
import { firstControlCharacter } from "../text/control-characters.js";

/**
 * Shape of an index definition file, exactly as in docs/definition-format.md.
 * Objects are strict: an unknown field is an error, so a typo in a hand-written file never passes silently.
 * Cross-field rules (sums, id prefixes, score caps) live in validate-definition.ts.
 */

/** Longest text of a definition (a question with its help is a paragraph; a 5-million-character cell is a mistake). */
export const MAX_DEFINITION_TEXT = 4_000;
const tooLong = `must be at most ${MAX_DEFINITION_TEXT} characters`;

/** Text people read: bounded, and without control characters (PostgreSQL refuses NUL; none belongs in a question). */
const text = z
  .string()
  .max(MAX_DEFINITION_TEXT, tooLong)
  .refine((s) => firstControlCharacter(s) === null, "must not contain control characters");
const nonEmpty = text.trim().min(1, "must not be empty");

export const localizedTextSchema = z.strictObject({ vi: nonEmpty, en: text });

const score = z.number().min(0, "must be 0 or more");

/** `keywords`: other words people use for the option ("đám mây", "lượt view"), read by the reply reader; never shown. */
const optionSchema = z.strictObject({ id: nonEmpty, label: localizedTextSchema, score, keywords: z.array(nonEmpty).max(20).optional() });

const bandSchema = z.strictObject({ from: z.number(), score });

const numberAnswerSchema = z.strictObject({
  type: z.literal("number"),
  unit: z.enum(["percent", "count", "vnd"]),
  min: z.number(),
  max: z.number().optional(),
  bands: z.array(bandSchema).min(1, "needs at least one band").optional(),
  linear: z.strictObject({ target: z.number().positive("must be greater than 0") }).optional(),
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
  criteria: z.array(criterionSchema).min(1, "needs at least one criterion"),
});

export const pillarSchema = z.strictObject({
  id: nonEmpty,
  name: localizedTextSchema,
  maxScore: score,
  indicators: z.array(indicatorSchema).min(1, "needs at least one indicator"),
});

export const levelSchema = z.strictObject({ id: nonEmpty, name: localizedTextSchema, minScore: score });

export const definitionSchema = z.strictObject({
  id: z.string().max(100, "must be at most 100 characters").regex(/^[a-z0-9][a-z0-9.-]*$/, "must be lowercase letters, digits, dots and dashes"),
  title: localizedTextSchema,
  source: z.strictObject({
    decision: nonEmpty,
    issuedOn: z.iso.date("must be a date like 2024-10-24"),
    official: z.boolean(),
    note: localizedTextSchema,
  }),
  maxScore: score,
  levels: z.array(levelSchema).min(1, "needs at least one level"),
  pillars: z.array(pillarSchema).min(1, "needs at least one pillar"),
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
