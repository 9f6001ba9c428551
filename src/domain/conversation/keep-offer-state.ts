import { z } from "zod";

/**
 * Something the person sent that is not an answer but may be worth keeping, offered with a yes/no question and kept
 * beside (not inside) the questionnaire's `pending`: forwarded text (a note), a forwarded photo or file (evidence), or
 * the caption of a photo that could not be fetched (a note). See keep-offer.ts.
 */
export const keepOfferSchema = z.object({
  criterionId: z.string(),
  keep: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("note"), text: z.string() }),
    z.object({
      kind: z.literal("evidence"),
      evidence: z.object({
        kind: z.enum(["photo", "document"]),
        ref: z.string(),
        fileName: z.string().optional(),
        caption: z.string().optional(),
        file: z.object({ sha256: z.string(), sizeBytes: z.number().int(), contentType: z.string() }).optional(),
      }),
    }),
  ]),
});

export type KeepOffer = z.infer<typeof keepOfferSchema>;
