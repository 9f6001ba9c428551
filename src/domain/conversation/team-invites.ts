import type { Effect } from "./effects.js";
import type { PendingInviteView } from "./team-view.js";
import { lines, t, type Text } from "./text.js";

/*
 * A lead's view of the agency's invite codes nobody has used yet, and their revocation. A code is shown once, when it
 * is made, and only its hash is kept, so the list names each invite by who made it and when; "/revoke 2" ends the
 * second one at once. Removing a person ends the unused codes they made (team-store.ts), so a removed lead cannot
 * come back with one they kept.
 */

const say = (...paragraphs: Text[]): Effect => ({ kind: "reply", reply: { paragraphs } });

/** "/invites": the pending invites, numbered oldest first, or a line saying there are none. */
export function pendingInvitesList(invites: readonly PendingInviteView[], agencyName: string): Effect[] {
  if (invites.length === 0) return [say(t("safety.invites.none", { agency: agencyName }))];
  const rows = invites.map((invite, i) =>
    lines([
      t(invite.role === "lead" ? "safety.invites.lineLead" : "safety.invites.lineMember", { number: i + 1, created: invite.createdAt, expires: invite.expiresAt }),
      invite.createdByName === null ? t("safety.invites.byOperator") : t("safety.invites.by", { name: invite.createdByName }),
    ]),
  );
  return [say(t("safety.invites.title", { agency: agencyName, count: invites.length }), ...rows, t("safety.invites.help"))];
}

/** "/revoke 2": the effect that ends the second pending invite, or a reply saying which numbers there are. */
export function revokeInvite(invites: readonly PendingInviteView[], arg: string): Effect[] {
  const token = arg.trim().split(/\s+/)[0] ?? "";
  const number = Number(token);
  if (token === "" || !Number.isInteger(number)) return [say(t("safety.invites.revokeUsage"))];
  const invite = invites[number - 1];
  if (invite === undefined) return [say(t("safety.invites.notFound", { number: token, count: invites.length }))];
  return [{ kind: "revoke-invite", inviteId: invite.inviteId }, say(t("safety.invites.revoked", { number, expires: invite.expiresAt }))];
}
