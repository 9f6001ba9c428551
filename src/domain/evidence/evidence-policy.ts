/**
 * What the service keeps as evidence: the accepted types and the limits per file, per criterion and per agency.
 * Pure: the bytes' first few and the name the sender gave are all it reads.
 */

/** Telegram's Bot API downloads files of at most 20 MB (getFile); the upload page keeps the same limit for every channel. */
export const EVIDENCE_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Files on one criterion: enough for a decision, a plan and a few photos; beyond it the dossier stops being readable. */
export const EVIDENCE_MAX_FILES_PER_CRITERION = 10;
/** All files of one agency's assessment: 43 criteria with a few documents each fit easily; a full disk does not. */
export const EVIDENCE_MAX_BYTES_PER_AGENCY = 500 * 1024 * 1024;

/** One accepted type: the extension it is stored under, its content type and the family its first bytes show. */
export interface EvidenceType {
  readonly extension: string;
  readonly contentType: string;
  readonly family: "pdf" | "jpeg" | "png" | "heic" | "zip" | "ole";
}

/** PDF, Word, Excel, PowerPoint, OpenDocument, JPEG, PNG and HEIC, by extension. */
export const EVIDENCE_TYPES: readonly EvidenceType[] = [
  { extension: "pdf", contentType: "application/pdf", family: "pdf" },
  { extension: "doc", contentType: "application/msword", family: "ole" },
  { extension: "docx", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", family: "zip" },
  { extension: "xls", contentType: "application/vnd.ms-excel", family: "ole" },
  { extension: "xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", family: "zip" },
  { extension: "ppt", contentType: "application/vnd.ms-powerpoint", family: "ole" },
  { extension: "pptx", contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", family: "zip" },
  { extension: "odt", contentType: "application/vnd.oasis.opendocument.text", family: "zip" },
  { extension: "ods", contentType: "application/vnd.oasis.opendocument.spreadsheet", family: "zip" },
  { extension: "odp", contentType: "application/vnd.oasis.opendocument.presentation", family: "zip" },
  { extension: "jpg", contentType: "image/jpeg", family: "jpeg" },
  { extension: "png", contentType: "image/png", family: "png" },
  { extension: "heic", contentType: "image/heic", family: "heic" },
];

/** How the accepted types are named to people, in every language. */
export const ACCEPTED_TYPES_LABEL = "PDF, Word, Excel, PowerPoint, OpenDocument, JPEG, PNG, HEIC";

/** The `accept` attribute of the upload page's file pickers. */
export const ACCEPT_ATTRIBUTE = EVIDENCE_TYPES.map((type) => `.${type.extension}`).concat(".jpeg").join(",");

/** The family the first bytes of a file show, or null for anything else (HTML, scripts, executables, …). */
export function familyOf(head: Uint8Array): EvidenceType["family"] | null {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (ascii(0, 5) === "%PDF-") return "pdf";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head[0] === 0x89 && ascii(1, 4) === "PNG") return "png";
  if (ascii(4, 8) === "ftyp" && /^(heic|heix|mif1|msf1|hevc)$/.test(ascii(8, 12))) return "heic";
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "zip";
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return "ole";
  return null;
}

/**
 * The type a file is kept as: the name's extension when the bytes agree with it, else the bytes alone when they name
 * one type (a photo sent without a name). Null when it is not accepted: the bytes decide, so a renamed page or
 * program never becomes evidence.
 */
export function evidenceTypeOf(head: Uint8Array, fileName: string | undefined): EvidenceType | null {
  const family = familyOf(head);
  if (family === null) return null;
  const named = fileName?.toLowerCase().match(/\.([a-z0-9]{2,5})$/)?.[1];
  const extension = named === "jpeg" ? "jpg" : named;
  const byName = EVIDENCE_TYPES.find((type) => type.extension === extension);
  if (byName !== undefined) return byName.family === family ? byName : null;
  const byBytes = EVIDENCE_TYPES.filter((type) => type.family === family);
  return byBytes.length === 1 ? (byBytes[0] ?? null) : null;
}

/** Why a file is not kept; the chat and the page say it in one line with what is accepted. */
export type EvidenceRefusal = "type" | "too-large" | "criterion-full" | "agency-full";

/** The message key of each refusal (written out, so the locale check sees every key used). */
export const REFUSAL_KEYS: Readonly<Record<EvidenceRefusal, string>> = {
  type: "evidence2.refused.type",
  "too-large": "evidence2.refused.too-large",
  "criterion-full": "evidence2.refused.criterion-full",
  "agency-full": "evidence2.refused.agency-full",
};

/** What is on file already, for the limits. */
export interface EvidenceUsage {
  readonly filesOnCriterion: number;
  readonly bytesOnAgency: number;
}

/** Whether one more file of `sizeBytes` (0 when not known yet) fits the limits; null when it does. */
export function limitRefusal(usage: EvidenceUsage, sizeBytes: number): EvidenceRefusal | null {
  if (sizeBytes > EVIDENCE_MAX_FILE_BYTES) return "too-large";
  if (usage.filesOnCriterion >= EVIDENCE_MAX_FILES_PER_CRITERION) return "criterion-full";
  if (usage.bytesOnAgency + sizeBytes > EVIDENCE_MAX_BYTES_PER_AGENCY) return "agency-full";
  return null;
}

/** The limits as message variables (MB), for the refusal lines. */
export function limitVars(): { maxFileMb: number; maxFiles: number; maxAgencyMb: number; types: string } {
  return {
    maxFileMb: EVIDENCE_MAX_FILE_BYTES / 1024 / 1024,
    maxFiles: EVIDENCE_MAX_FILES_PER_CRITERION,
    maxAgencyMb: EVIDENCE_MAX_BYTES_PER_AGENCY / 1024 / 1024,
    types: ACCEPTED_TYPES_LABEL,
  };
}
