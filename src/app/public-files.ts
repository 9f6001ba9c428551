import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/** How long a published file stays reachable: the platform fetches a photo at once; a day covers retries and a person opening a link later. */
export const PUBLIC_FILE_TTL_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** What may be published, by extension: generated images and reports, nothing executable or HTML. */
export const PUBLIC_CONTENT_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  pdf: "application/pdf",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  /** An agency's dossier (hồ sơ): Zalo cannot send documents, and Telegram refuses uploads over 50 MB. */
  zip: "application/zip",
};

/**
 * Generated files (the score card, a province report) published for platforms that only take a URL: Zalo's
 * sendPhoto fetches the photo itself, and Zalo bots cannot send documents, only links. Each file gets an
 * unguessable, expiring name.
 *
 * The scheme needs no table and survives restarts: the expiry is written into the name itself,
 * `<expiry, base-36 ms>-<48 random hex digits>.<ext>`. The random part is what makes the URL secret; the expiry part
 * only lets the server refuse and delete old files without an index.
 */
export interface PublicFiles {
  /** Stores a PNG and returns its public URL. Throws PublicUrlMissingError when PUBLIC_URL is not configured. */
  publishPng(png: Buffer, options?: PublishOptions): Promise<PublishedFile>;
  /**
   * Copies a file of this server (its extension one of PUBLIC_CONTENT_TYPES) and returns its public URL. With a
   * `downloadName`, the URL ends in that name, so browsers save the file under it.
   */
  publishFile(file: string, options?: PublishOptions & { readonly downloadName?: string }): Promise<PublishedFile>;
  /** The stored file behind a request's file name (`<token>.<ext>`), or null when unknown, malformed or expired. */
  resolve(fileName: string): Promise<ResolvedFile | null>;
  /** Deletes expired files; returns how many. Also runs by itself, at most hourly, when a file is published. */
  sweep(): Promise<number>;
}

export interface PublishOptions {
  readonly ttlMs?: number;
}

export interface PublishedFile {
  readonly url: string;
  readonly token: string;
  readonly expiresAt: Date;
}

export interface ResolvedFile {
  readonly path: string;
  readonly extension: string;
  readonly contentType: string;
  readonly expiresAt: Date;
}

export interface PublicFilesConfig {
  /** e.g. data/public; created on first use. */
  readonly dir: string;
  /** PUBLIC_URL: where the service is reachable from the platform (https in production). */
  readonly publicUrl: string | undefined;
  readonly ttlMs?: number;
  readonly clock?: () => Date;
}

export class PublicUrlMissingError extends Error {
  override name = "PublicUrlMissingError";
  constructor() {
    super("PUBLIC_URL is not set: files cannot be sent to platforms that fetch them by URL");
  }
}

const FILE_NAME = /^([0-9a-z]{1,12})-([0-9a-f]{48})\.([a-z]{3,4})$/;

/** A name for the end of a URL: no separators, controls or quotes; the extension kept. Undefined when nothing is left. */
export function safeDownloadName(name: string, extension: string): string | undefined {
  const unsafe = (c: string): boolean => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '\\/"%?#'.includes(c);
  const cleaned = [...name.normalize("NFC")].map((c) => (unsafe(c) ? "_" : c)).join("").replace(/^\.+/, "").trim().slice(0, 150);
  if (cleaned === "") return undefined;
  return cleaned.toLowerCase().endsWith(`.${extension}`) ? cleaned : `${cleaned}.${extension}`;
}

export function createPublicFiles(config: PublicFilesConfig): PublicFiles {
  const dir = path.resolve(config.dir);
  const clock = config.clock ?? (() => new Date());
  const ttlMs = config.ttlMs ?? PUBLIC_FILE_TTL_MS;
  const base = config.publicUrl?.replace(/\/+$/, "");
  let lastSweep = 0;

  const parseName = (fileName: string): { expiry: number; extension: string } | null => {
    const match = FILE_NAME.exec(fileName);
    if (!match?.[1] || !match[3] || !(match[3] in PUBLIC_CONTENT_TYPES)) return null;
    const expiry = Number.parseInt(match[1], 36);
    return Number.isSafeInteger(expiry) ? { expiry, extension: match[3] } : null;
  };

  async function store(extension: string, write: (target: string) => Promise<void>, options: PublishOptions & { readonly downloadName?: string }): Promise<PublishedFile> {
    if (base === undefined) throw new PublicUrlMissingError();
    if (!(extension in PUBLIC_CONTENT_TYPES)) throw new Error(`files of type .${extension} are not published`);
    const now = clock().getTime();
    if (now - lastSweep > SWEEP_EVERY_MS) await files.sweep().catch(() => 0);
    const expiresAt = new Date(now + (options.ttlMs ?? ttlMs));
    const token = `${expiresAt.getTime().toString(36)}-${randomBytes(24).toString("hex")}`;
    await mkdir(dir, { recursive: true });
    await write(path.join(dir, `${token}.${extension}`));
    const download = options.downloadName === undefined ? undefined : safeDownloadName(options.downloadName, extension);
    const suffix = download === undefined ? "" : `/${encodeURIComponent(download)}`;
    return { url: `${base}/files/${token}.${extension}${suffix}`, token, expiresAt };
  }

  const files: PublicFiles = {
    publishPng: (png, options = {}) => store("png", (target) => writeFile(target, png, { flag: "wx" }), options),

    publishFile(file, options = {}) {
      const extension = path.extname(file).slice(1).toLowerCase();
      return store(extension, (target) => copyFile(file, target), options);
    },

    async resolve(fileName) {
      // The strict pattern is the traversal guard: no dots, slashes or encodings can reach the path.
      const parsed = parseName(fileName);
      if (parsed === null) return null;
      const file = path.join(dir, fileName);
      if (parsed.expiry <= clock().getTime()) {
        await rm(file, { force: true }).catch(() => undefined);
        return null;
      }
      try {
        if (!(await stat(file)).isFile()) return null;
      } catch {
        return null;
      }
      return { path: file, extension: parsed.extension, contentType: PUBLIC_CONTENT_TYPES[parsed.extension] ?? "application/octet-stream", expiresAt: new Date(parsed.expiry) };
    },

    async sweep() {
      const now = clock().getTime();
      lastSweep = now;
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return 0;
      }
      let removed = 0;
      for (const name of names) {
        const parsed = parseName(name);
        if (parsed !== null && parsed.expiry <= now) {
          await rm(path.join(dir, name), { force: true });
          removed += 1;
        }
      }
      return removed;
    },
  };
  return files;
}
