import { createHash, randomInt } from "node:crypto";

/**
 * Invite codes are typed by hand from a message or a sheet of paper, so they avoid look-alike characters
 * (0/O, 1/I/L) and are matched case-insensitively, ignoring spaces and dashes. 10 characters of a 31-letter
 * alphabet give about 50 bits: far beyond guessing, with attempts throttled per chat as well.
 */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const INVITE_CODE_LENGTH = 10;

/** A new random code, shown as two groups for readability: `K7M2Q-9XWDA`. */
export function generateInviteCode(): string {
  let code = "";
  for (let i = 0; i < INVITE_CODE_LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The canonical form of what a person typed, or null when it cannot be a code. */
export function normalizeInviteCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, "");
  if (compact.length !== INVITE_CODE_LENGTH) return null;
  for (const char of compact) if (!ALPHABET.includes(char)) return null;
  return compact;
}

/** Only the hash is stored: a leaked database does not hand out roles. */
export function hashInviteCode(normalized: string): string {
  return createHash("sha256").update(normalized).digest("hex");
}
