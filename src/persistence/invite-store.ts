import { generateInviteCode, hashInviteCode, normalizeInviteCode } from "../domain/invites/invite-code.js";
import { INVITE_EXPIRY_DAYS } from "../domain/invites/invite-expiry.js";
import { findProvince, type DbClient } from "./province-store.js";
import { NotFoundError, StoreRefusal, isUniqueViolation } from "./store-errors.js";

export const MAX_INVITE_EXPIRY_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The expiry a revoked invite gets (a lead revoked it, or its maker was removed): long past for every clock, so
 * lookupInvite calls it expired and redeeming it claims nothing, whichever instance and clock reads it.
 */
export const REVOKED_INVITE_EXPIRY = new Date(0);

/** Who the invite makes the person: a member or lead of one agency, or a supervisor of one province. */
export type InviteTarget =
  | { readonly kind: "agency"; readonly agencyId: string; readonly role: "member" | "lead" }
  | { readonly kind: "province"; readonly province: string; readonly role: "supervisor" };

/** A new invite. `code` exists only here: the database keeps its hash, so it cannot be shown again. */
export interface CreatedInvite {
  readonly id: string;
  readonly code: string;
  readonly role: InviteTarget["role"];
  readonly agency: { readonly id: string; readonly name: string } | null;
  /** The agency's province for member and lead invites; the supervised province otherwise. */
  readonly province: string;
  readonly expiresAt: Date;
}

/** How an invite is made: by an operator (a new code, an expiry in days), or in the chat (the code the engine showed). */
export interface InviteOptions {
  readonly expiresDays?: number;
  readonly now?: Date;
  /** A code already shown to its issuer (team commands): stored hashed like a generated one. */
  readonly code?: string;
  readonly expiresAt?: Date;
  readonly createdById?: string;
}

/**
 * Creates an invite for an existing agency (by id) or province (by name). Only hashInviteCode(normalizeInviteCode(code))
 * is stored; an agency invite records the agency only, a supervisor invite the province only.
 */
export async function createInvite(db: DbClient, target: InviteTarget, options: InviteOptions = {}): Promise<CreatedInvite> {
  const expiresDays = options.expiresDays ?? INVITE_EXPIRY_DAYS;
  if (!Number.isInteger(expiresDays) || expiresDays < 1 || expiresDays > MAX_INVITE_EXPIRY_DAYS) {
    throw new StoreRefusal(`expiry must be a whole number of days from 1 to ${MAX_INVITE_EXPIRY_DAYS} (${expiresDays})`);
  }
  const expiresAt = options.expiresAt ?? new Date((options.now ?? new Date()).getTime() + expiresDays * DAY_MS);

  let scope: Pick<CreatedInvite, "agency" | "province">;
  let link: { agencyId: string | null; provinceId: string | null };
  if (target.kind === "agency") {
    const agency = await db.agency.findUnique({ where: { id: target.agencyId }, include: { province: { select: { name: true } } } });
    if (!agency) throw new NotFoundError(`no agency with id ${target.agencyId} (see: admin list agencies)`);
    scope = { agency: { id: agency.id, name: agency.name }, province: agency.province.name };
    link = { agencyId: agency.id, provinceId: null };
  } else {
    const province = await findProvince(db, target.province);
    scope = { agency: null, province: province.name };
    link = { agencyId: null, provinceId: province.id };
  }

  // A clash of two random 50-bit codes is next to impossible, but the unique hash makes it detectable, so retry.
  for (let attempt = 1; ; attempt += 1) {
    const code = options.code ?? generateInviteCode();
    const normalized = normalizeInviteCode(code);
    if (normalized === null) throw new Error(`invite code ${code} does not normalize`);
    try {
      const invite = await db.invite.create({
        data: { codeHash: hashInviteCode(normalized), role: target.role, expiresAt, createdById: options.createdById ?? null, ...link },
      });
      return { id: invite.id, code, role: target.role, ...scope, expiresAt };
    } catch (error) {
      // A given code cannot be drawn again; its clash ends here (the caller's transaction fails and is retried).
      if (!isUniqueViolation(error) || attempt >= 3 || options.code !== undefined) throw error;
    }
  }
}

export type InviteStatus = "open" | "used" | "expired";

/** What `admin list invites` shows: never the code, which is not stored. */
export interface InviteSummary {
  readonly id: string;
  readonly role: string;
  readonly agency: { readonly id: string; readonly name: string } | null;
  readonly province: string | null;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly status: InviteStatus;
  readonly createdAt: Date;
}

/** Every invite, newest first. */
export async function listInvites(db: DbClient, now: Date = new Date()): Promise<InviteSummary[]> {
  const rows = await db.invite.findMany({
    include: {
      agency: { select: { id: true, name: true, province: { select: { name: true } } } },
      province: { select: { name: true } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return rows.map((row) => ({
    id: row.id,
    role: row.role,
    agency: row.agency ? { id: row.agency.id, name: row.agency.name } : null,
    province: row.province?.name ?? row.agency?.province.name ?? null,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
    status: row.usedAt !== null ? "used" : row.expiresAt.getTime() <= now.getTime() ? "expired" : "open",
    createdAt: row.createdAt,
  }));
}
