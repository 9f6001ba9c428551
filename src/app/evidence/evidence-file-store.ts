import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Attachment, Input, StoredFileFacts } from "../../domain/conversation/input.js";
import { EVIDENCE_MAX_FILE_BYTES, evidenceTypeOf, type EvidenceRefusal } from "../../domain/evidence/evidence-policy.js";

/** A file kept as evidence: where (relative to the data directory) and what it is. */
export interface StoredEvidenceFile {
  /** `file:evidence/<random>.<ext>`: the Evidence row's ref. */
  readonly ref: string;
  /** Absolute path of the stored copy. */
  readonly path: string;
  /** The name the sender gave it (shown in lists and the dossier), or the stored name. */
  readonly fileName: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly contentType: string;
}

/** A file refused for its type or size: nothing of it is left on disk. */
export class EvidenceRefusedError extends Error {
  override name = "EvidenceRefusedError";
  constructor(readonly reason: EvidenceRefusal) {
    super(`evidence refused: ${reason}`);
  }
}

export interface EvidenceStoreOptions {
  /** The data directory: files go to `<dataDir>/evidence`, and refs are relative to it. */
  readonly dataDir: string;
  readonly maxBytes?: number;
}

/**
 * Streams a file into the evidence directory: counted and hashed as it arrives, cut off (and removed) as soon as it
 * passes the size limit, then checked by its first bytes. It is written under a temporary name and renamed only when
 * complete and accepted, so a half-received or refused file leaves nothing behind. The stored name is random:
 * nothing the sender chose becomes part of a path.
 */
export async function storeEvidenceStream(source: Readable, originalName: string | undefined, options: EvidenceStoreOptions): Promise<StoredEvidenceFile> {
  const maxBytes = options.maxBytes ?? EVIDENCE_MAX_FILE_BYTES;
  const dir = path.join(path.resolve(options.dataDir), "evidence");
  await mkdir(dir, { recursive: true });
  const id = randomBytes(16).toString("hex");
  const partial = path.join(dir, `${id}.part`);
  const hash = createHash("sha256");
  let size = 0;
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > maxBytes) throw new EvidenceRefusedError("too-large");
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(partial, { flags: "wx" }),
    );
    const type = evidenceTypeOf(await readHead(partial), originalName);
    if (type === null || size === 0) throw new EvidenceRefusedError("type");
    const stored = path.join(dir, `${id}.${type.extension}`);
    await rename(partial, stored);
    return {
      ref: `file:evidence/${id}.${type.extension}`,
      path: stored,
      fileName: displayName(originalName) ?? `${id}.${type.extension}`,
      sha256: hash.digest("hex"),
      sizeBytes: size,
      contentType: type.contentType,
    };
  } catch (error) {
    source.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, "r");
  try {
    const head = new Uint8Array(16);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The sender's file name as shown to people: its last path segment, without control characters, at most 150
 * characters. Only ever displayed or used inside a ZIP after the same cleaning, never as a path on this server.
 */
export function displayName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const last = name.normalize("NFC").split(/[\\/]/).pop() ?? "";
  const cleaned = [...last].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join("").replace(/^\.+/, "").trim().slice(0, 150);
  return cleaned === "" ? undefined : cleaned;
}

/** The input the engine gets for an attachment that was not kept: it says why, and offers to keep the caption as a note. */
export function refusedInput(attachment: Attachment, reason: EvidenceRefusal): Input {
  return { kind: "unsupported", failed: { kind: "refused", reason, what: attachment.kind, ...(attachment.caption === undefined ? {} : { caption: attachment.caption }) } };
}

/** Checksum, size and type of a file already stored (a Zalo photo downloaded by the adapter). */
export async function describeStoredFile(file: string): Promise<StoredFileFacts> {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  const type = evidenceTypeOf(await readHead(file), path.basename(file));
  return { sha256: hash.digest("hex"), sizeBytes, contentType: type?.contentType ?? "application/octet-stream" };
}
