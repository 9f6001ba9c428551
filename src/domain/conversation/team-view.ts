/** One person linked to an agency, as its lead manages them. */
export interface TeamMemberView {
  readonly personId: string;
  readonly name: string;
  readonly role: "member" | "lead";
  /** Pillar or indicator ids ("P3", "P2.1") this person answers first; empty for none. */
  readonly assignedParts: readonly string[];
  /** False when every chat account of the person was reported blocked by its platform. */
  readonly reachable: boolean;
}

/**
 * The people of one agency (the lead's own, never another), in a stable order — the order they were linked — so
 * "/assign 2 …" and "/remove 2" name the same person the list showed.
 */
export interface TeamView {
  readonly members: readonly TeamMemberView[];
}
