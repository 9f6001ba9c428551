import { crc32, inflateRawSync } from "node:zlib";

/**
 * The zip container of an .xlsx, read with every size bounded before anything is unpacked, and written back (stored,
 * not compressed) once mended for the workbook reader. Written here rather than taken from a library because the
 * point is the bounds: the central directory's sizes are checked first and every entry is inflated with a hard
 * output limit (zlib's maxOutputLength), so a 1.5 GB entry in a 1.5 MB file costs nothing but the refusal. exceljs
 * itself unpacks whatever it is given (with jszip) and cannot be told a limit.
 */

export interface ZipLimits {
  /** Largest file accepted, in bytes. */
  readonly fileBytes: number;
  /** Largest unpacked total of every entry, in bytes. */
  readonly unpackedBytes: number;
  readonly entries: number;
}

/** Why a file is not a workbook this reader can open: each says what is wrong, never "save it again" when that is not the cause. */
export type ZipProblem =
  | { readonly kind: "not-zip" }
  | { readonly kind: "file-too-large"; readonly bytes: number; readonly limit: number }
  | { readonly kind: "unpacked-too-large"; readonly limit: number; readonly entry: string }
  | { readonly kind: "too-many-entries"; readonly count: number; readonly limit: number }
  | { readonly kind: "encrypted" }
  | { readonly kind: "damaged"; readonly entry: string; readonly detail: string };

export class ZipError extends Error {
  override name = "ZipError";
  constructor(readonly problem: ZipProblem) {
    super(problem.kind);
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

function findEndOfCentralDirectory(bytes: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at -= 1) {
    if (bytes.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipError({ kind: "not-zip" });
}

/** Every entry of the zip, unpacked, in its order; refused (ZipError) as soon as a limit would be passed. */
export function readZip(bytes: Buffer, limits: ZipLimits): Map<string, Buffer> {
  if (bytes.length > limits.fileBytes) throw new ZipError({ kind: "file-too-large", bytes: bytes.length, limit: limits.fileBytes });
  if (bytes.length < 22) throw new ZipError({ kind: "not-zip" });
  const end = findEndOfCentralDirectory(bytes);
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  if (count > limits.entries) throw new ZipError({ kind: "too-many-entries", count, limit: limits.entries });
  const entries = new Map<string, Buffer>();
  let budget = limits.unpackedBytes;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw new ZipError({ kind: "not-zip" });
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressed = bytes.readUInt32LE(at + 20);
    const declared = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    at += 46 + skip;
    if ((flags & 1) === 1) throw new ZipError({ kind: "encrypted" });
    // Declared sizes are checked first (cheap), then enforced while inflating (a declared size can lie).
    if (declared > budget) throw new ZipError({ kind: "unpacked-too-large", limit: limits.unpackedBytes, entry: name });
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) throw new ZipError({ kind: "damaged", entry: name, detail: "no local header" });
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + compressed);
    if (data.length !== compressed) throw new ZipError({ kind: "damaged", entry: name, detail: "cut short" });
    const content = unpack(name, method, data, budget, limits.unpackedBytes);
    budget -= content.length;
    if (!name.endsWith("/")) entries.set(name, content);
  }
  return entries;
}

function unpack(name: string, method: number, data: Buffer, budget: number, limit: number): Buffer {
  if (method === STORED) {
    if (data.length > budget) throw new ZipError({ kind: "unpacked-too-large", limit, entry: name });
    return data;
  }
  if (method !== DEFLATED) throw new ZipError({ kind: "damaged", entry: name, detail: `compression method ${method}` });
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) throw new ZipError({ kind: "unpacked-too-large", limit, entry: name });
    throw new ZipError({ kind: "damaged", entry: name, detail: error instanceof Error ? error.message : String(error) });
  }
}

/** A zip of the entries, stored without compression: only ever handed to the workbook reader in memory. */
export function writeStoredZip(entries: ReadonlyMap<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(content.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(content.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, content);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + content.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.size, 8);
  end.writeUInt16LE(entries.size, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
