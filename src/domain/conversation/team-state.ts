import { z } from "zod";
import { AGENCY_GROUPS } from "../agencies/agency-kinds.js";

/**
 * A team action waiting for the person's next message, kept beside (not inside) the questionnaire's `pending`, so
 * the two never overwrite each other: a removal to confirm, or a supervisor's new agency asked step by step.
 */
export const teamPendingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("confirm-remove"), personId: z.string(), name: z.string() }),
  z.object({ kind: z.literal("agency-name") }),
  z.object({ kind: z.literal("agency-group"), name: z.string() }),
  z.object({ kind: z.literal("agency-type"), name: z.string(), group: z.enum(AGENCY_GROUPS) }),
]);

export type TeamPending = z.infer<typeof teamPendingSchema>;
