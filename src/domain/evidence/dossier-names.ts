/**
 * Names inside the dossier's ZIP (hồ sơ). Pure: a criterion code and the name a sender gave a file become one entry
 * name that every unzip tool on Windows, macOS and Linux takes as a plain file in a plain folder — nothing a sender
 * chose can climb out of its folder, hide itself (leading dots) or break an Explorer window (reserved characters).
 */

/** The summary workbook's name inside the ZIP: sorts first. */
export const DOSSIER_SUMMARY_NAME = "00-tong-hop.xlsx";

/** Longest file name kept (before the numbering prefix), in characters: Windows paths stop at 260 in all. */
const NAME_MAX_CHARS = 100;
/** Names Windows reserves for devices, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** A criterion code as a folder name: letters, digits, dots, dashes and underscores only ("P1.1.1"). */
export function criterionFolder(criterionId: string): string {
  const cleaned = criterionId.normalize("NFC").replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
  return cleaned === "" ? "_" : cleaned.slice(0, 40);
}

/**
 * A stored file's name in its criterion's folder: `<nn>-<the sender's name>` with separators, controls and the
 * characters Windows refuses replaced, shortened, and ending in the stored type's extension (the bytes decided the
 * type; a name saying otherwise is not believed). `nn` numbers the criterion's files from 01, so names never collide.
 */
export function evidenceEntryName(index: number, senderName: string | null, extension: string): string {
  const ext = extension.toLowerCase().replace(/[^a-z0-9]/g, "");
  const unsafe = (c: string): boolean => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '\\/:*?"<>|'.includes(c);
  let base = [...(senderName ?? "").normalize("NFC")].map((c) => (unsafe(c) ? "_" : c)).join("");
  base = base.replace(/\s+/g, " ").trim();
  const dot = base.lastIndexOf(".");
  if (dot > 0 && base.slice(dot + 1).toLowerCase().replace(/^jpeg$/, "jpg") === ext) base = base.slice(0, dot);
  base = base.replace(/^[.\s]+|[.\s]+$/g, "");
  base = [...base].slice(0, NAME_MAX_CHARS).join("").trim();
  if (base === "" || RESERVED.test(base)) base = base === "" ? "tep" : `_${base}`;
  const number = String(index + 1).padStart(2, "0");
  return ext === "" ? `${number}-${base}` : `${number}-${base}.${ext}`;
}

/** The ZIP file's name as the recipient sees it: `ho-so-<agency>.zip`, the agency's name kept readable. */
export function dossierFileName(agencyName: string): string {
  const base = evidenceEntryName(0, agencyName, "zip").slice(3, -4);
  return `ho-so-${base}.zip`;
}
