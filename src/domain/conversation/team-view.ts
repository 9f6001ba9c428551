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
  /**
   * The agency's invites still waiting to be used (not used, not expired, not revoked), oldest first, so "/revoke 2"
   * names the code the list showed. Absent where the caller did not load them.
   */
  readonly invites?: readonly PendingInviteView[];
}

/** An invite code of the agency nobody has used yet. The code itself is not stored, so it is never shown again. */
export interface PendingInviteView {
  readonly inviteId: string;
  readonly role: "member" | "lead";
  /** Who made it in the chat; null for an operator's invite (admin invite). */
  readonly createdByName: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}
