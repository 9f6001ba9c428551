import { createHash, randomBytes } from "node:crypto";
import type { Effect } from "../../domain/conversation/effects.js";
import { t } from "../../domain/conversation/text.js";
import type { Locale } from "../../domain/questionnaire/definition-schema.js";
import type { Channel } from "../../domain/delivery/outbound-message.js";
import type { Db } from "../../persistence/db-client.js";

/** How long a link to the upload page works: a working day and a night, enough to find the files on a computer. */
export const UPLOAD_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** The path of the upload page under PUBLIC_URL. */
export const UPLOAD_PATH = "/u";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Who a valid link belongs to, and where to confirm an upload in the chat. */
export interface UploadLinkHolder {
  readonly linkId: string;
  readonly personId: string;
  readonly personName: string;
  readonly agencyId: string;
  readonly agencyName: string;
  readonly locale: Locale;
  readonly expiresAt: Date;
  readonly chat: { readonly channel: Channel; readonly chatId: string; readonly identityId: string };
}

/**
 * A new link for this person and agency: 32 random bytes (256 bits, base64url) that only the chat message carries;
 * the database keeps their SHA-256, so a copy of the database opens nothing.
 */
export async function createUploadLink(
  db: Db,
  holder: { readonly personId: string; readonly agencyId: string; readonly identityId: string; readonly locale: Locale },
  publicUrl: string,
  now: Date,
): Promise<{ url: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + UPLOAD_LINK_TTL_MS);
  await db.uploadLink.create({ data: { tokenHash: hashToken(token), ...holder, expiresAt, createdAt: now } });
  return { url: `${publicUrl.replace(/\/+$/, "")}${UPLOAD_PATH}/${token}`, expiresAt };
}

/**
 * The holder of a link, or null when the token is malformed, unknown or expired, or when the person no longer holds a
 * member's or lead's role in that agency (removed by a lead, or moved): the link dies with the role.
 */
export async function resolveUploadLink(db: Db, token: string, now: Date): Promise<UploadLinkHolder | null> {
  if (!TOKEN.test(token)) return null;
  const link = await db.uploadLink.findUnique({ where: { tokenHash: hashToken(token) } });
  if (link === null || link.expiresAt.getTime() <= now.getTime()) return null;
  const [grant, identity, agency, person] = await Promise.all([
    db.roleGrant.findFirst({ where: { personId: link.personId, agencyId: link.agencyId, revokedAt: null, role: { in: ["member", "lead"] } } }),
    db.chatIdentity.findUnique({ where: { id: link.identityId } }),
    db.agency.findUnique({ where: { id: link.agencyId } }),
    db.person.findUnique({ where: { id: link.personId } }),
  ]);
  if (grant === null || identity === null || identity.personId !== link.personId || agency === null || person === null) return null;
  return {
    linkId: link.id,
    personId: link.personId,
    personName: person.displayName,
    agencyId: agency.id,
    agencyName: agency.name,
    locale: link.locale === "en" ? "en" : "vi",
    expiresAt: link.expiresAt,
    chat: { channel: identity.channel as Channel, chatId: identity.chatId, identityId: identity.id },
  };
}

/**
 * Turns the engine's "upload-link" effects into the reply carrying a new link (made before the message's
 * transaction: a link whose message then fails is never shown, and expires unused).
 */
export async function withUploadLinks(
  deps: { readonly db: Db; readonly publicUrl: string | undefined },
  effects: readonly Effect[],
  holder: { readonly personId: string; readonly agencyId: string | null; readonly agencyName: string | null; readonly identityId: string; readonly locale: Locale },
  now: Date,
): Promise<readonly Effect[]> {
  if (!effects.some((e) => e.kind === "upload-link")) return effects;
  const out: Effect[] = [];
  for (const effect of effects) {
    if (effect.kind !== "upload-link") {
      out.push(effect);
      continue;
    }
    if (deps.publicUrl === undefined || holder.agencyId === null) {
      out.push({ kind: "reply", reply: { paragraphs: [t("evidence2.upload.unavailable")] } });
      continue;
    }
    const { agencyId, personId, identityId, locale } = holder;
    const link = await createUploadLink(deps.db, { personId, agencyId, identityId, locale }, deps.publicUrl, now);
    out.push({ kind: "reply", reply: { paragraphs: [t("evidence2.upload.link", { agency: holder.agencyName ?? "", expires: link.expiresAt, url: link.url })] } });
  }
  return out;
}
