import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import axios from "axios";
import { guardedAgents, refusal, type DownloadPolicy } from "./download-guard.js";
import { tunnelAgents } from "./download-tunnel.js";

/** Redirects followed by hand, so that each target is checked against the policy like the first URL. */
const MAX_REDIRECTS = 3;

/** Evidence photos are phone pictures; anything much larger is not one. */
export const ZALO_DOWNLOAD_MAX_BYTES = 10 * 1024 * 1024;
/** No byte for this long: the connection is dead. */
export const ZALO_DOWNLOAD_TIMEOUT_MS = 20_000;
/**
 * The whole download, redirects included, whatever arrives: a server sending a byte now and then would otherwise
 * hold it (and the webhook request waiting for it) open for ever. 30 s carries the largest photo at ~350 KB/s.
 */
export const ZALO_DOWNLOAD_DEADLINE_MS = 30_000;
/** Below this average, once the grace period is over, the source is too slow to be a real image host (16 KiB/s). */
export const ZALO_DOWNLOAD_MIN_BYTES_PER_S = 16 * 1024;
export const ZALO_DOWNLOAD_RATE_GRACE_MS = 5_000;

/** Why an attachment could not be kept: the route decides what to tell the person. */
export class AttachmentDownloadError extends Error {
  override name = "AttachmentDownloadError";
  constructor(
    readonly reason: "invalid-url" | "too-large" | "unavailable" | "network",
    message: string,
  ) {
    super(message);
  }
}

export interface DownloadOptions extends DownloadPolicy {
  readonly dir: string;
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  readonly deadlineMs?: number;
  readonly minBytesPerSecond?: number;
  readonly rateGraceMs?: number;
}

export interface StoredFile {
  /** Absolute path of the stored copy. */
  readonly path: string;
  /** The name the file had at its source when it had a recognisable one, else the stored name. */
  readonly fileName: string;
}

/**
 * Downloads an image the platform will soon forget (Zalo image URLs expire) into `dir`, under a random name with
 * the extension its content shows, so stored files cannot be guessed or collide and nothing the sender chose
 * becomes part of a path.
 */
export async function downloadToDir(url: string, options: DownloadOptions): Promise<StoredFile> {
  let source: URL;
  try {
    source = new URL(url);
  } catch {
    throw new AttachmentDownloadError("invalid-url", "not a URL");
  }
  const maxBytes = options.maxBytes ?? ZALO_DOWNLOAD_MAX_BYTES;
  const agents = options.proxy === undefined ? guardedAgents(options) : tunnelAgents(options.proxy, options);
  const limits = new DownloadLimits(options);
  let data: Buffer | undefined;
  let contentType: string | undefined;
  try {
    for (let hop = 0; data === undefined; hop += 1) {
      const refused = refusal(source, options);
      if (refused !== null) throw new AttachmentDownloadError("invalid-url", `refused: ${refused}`);
      const response = await axios.get<Readable>(source.href, {
        responseType: "stream",
        timeout: options.timeoutMs ?? ZALO_DOWNLOAD_TIMEOUT_MS,
        maxRedirects: 0,
        // Never through HTTP(S)_PROXY from the environment: the proxy would resolve and fetch the target, and the
        // address check (download-guard.ts) would see only the proxy. Downloads connect themselves, and are checked;
        // an operator's proxy (ZALO_DOWNLOAD_PROXY) is reached by the agents, which check the target first.
        proxy: false,
        signal: limits.signal,
        ...agents,
        validateStatus: () => true,
      });
      const location: unknown = response.headers.location;
      if (response.status >= 300 && response.status < 400 && typeof location === "string") {
        response.data.destroy();
        if (hop >= MAX_REDIRECTS) throw new AttachmentDownloadError("unavailable", "too many redirects");
        source = new URL(location, source);
        continue;
      }
      if (response.status >= 400) {
        response.data.destroy();
        throw new AttachmentDownloadError("unavailable", `HTTP ${response.status}`);
      }
      data = await limits.read(response.data, maxBytes);
      const header: unknown = response.headers["content-type"];
      contentType = typeof header === "string" ? header : undefined;
    }
  } catch (error) {
    if (error instanceof AttachmentDownloadError) throw error;
    if (limits.stopped !== null) throw new AttachmentDownloadError("network", limits.stopped);
    if (axios.isAxiosError(error) && error.code === "EREFUSED_PRIVATE") throw new AttachmentDownloadError("invalid-url", `refused: ${error.message}`);
    throw new AttachmentDownloadError("network", axios.isAxiosError(error) ? (error.code ?? error.message) : String(error));
  } finally {
    limits.dispose();
    agents.httpAgent.destroy();
    agents.httpsAgent.destroy();
  }
  if (data.length === 0) throw new AttachmentDownloadError("unavailable", "empty file");
  const extension = extensionFor(data, contentType, source.pathname);
  const stored = `${randomBytes(16).toString("hex")}${extension}`;
  await mkdir(options.dir, { recursive: true });
  const file = path.join(path.resolve(options.dir), stored);
  await writeFile(file, data, { flag: "wx" });
  return { path: file, fileName: sourceName(source.pathname) ?? stored };
}

/**
 * The total deadline and the minimum rate of one download: both abort it through one signal, and `stopped` says why.
 * The rate is checked on a timer as well as on each chunk, so a source that goes quiet is caught too.
 */
class DownloadLimits {
  private readonly controller = new AbortController();
  private readonly started = Date.now();
  private received = 0;
  private readonly timers: NodeJS.Timeout[];
  stopped: string | null = null;

  constructor(private readonly options: Pick<DownloadOptions, "deadlineMs" | "minBytesPerSecond" | "rateGraceMs">) {
    const deadlineMs = options.deadlineMs ?? ZALO_DOWNLOAD_DEADLINE_MS;
    this.timers = [
      setTimeout(() => this.stop(`deadline of ${deadlineMs} ms passed`), deadlineMs),
      setInterval(() => this.checkRate(), 250),
    ];
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The body, up to `maxBytes`; rejects when it is larger or a limit stops it. */
  async read(body: Readable, maxBytes: number): Promise<Buffer> {
    const onAbort = (): void => void body.destroy(new Error(this.stopped ?? "aborted"));
    this.controller.signal.addEventListener("abort", onAbort, { once: true });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) {
        const buffer = chunk as Buffer;
        this.received += buffer.length;
        if (this.received > maxBytes) throw new AttachmentDownloadError("too-large", `larger than ${maxBytes} bytes`);
        chunks.push(buffer);
        this.checkRate();
      }
    } finally {
      this.controller.signal.removeEventListener("abort", onAbort);
      body.destroy();
    }
    if (this.stopped !== null) throw new AttachmentDownloadError("network", this.stopped);
    return Buffer.concat(chunks);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private checkRate(): void {
    const elapsedMs = Date.now() - this.started;
    const minRate = this.options.minBytesPerSecond ?? ZALO_DOWNLOAD_MIN_BYTES_PER_S;
    if (elapsedMs < (this.options.rateGraceMs ?? ZALO_DOWNLOAD_RATE_GRACE_MS) || minRate <= 0) return;
    if ((this.received * 1000) / elapsedMs < minRate) this.stop(`too slow: ${this.received} bytes in ${elapsedMs} ms`);
  }

  private stop(reason: string): void {
    if (this.stopped !== null) return;
    this.stopped = reason;
    this.controller.abort();
  }
}

const MAGIC: readonly { readonly ext: string; readonly test: (b: Buffer) => boolean }[] = [
  { ext: ".jpg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { ext: ".png", test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: ".gif", test: (b) => b.subarray(0, 4).toString("latin1") === "GIF8" },
  { ext: ".webp", test: (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP" },
  { ext: ".heic", test: (b) => b.subarray(4, 8).toString("latin1") === "ftyp" && /^(heic|heix|mif1|msf1)$/.test(b.subarray(8, 12).toString("latin1")) },
  { ext: ".pdf", test: (b) => b.subarray(0, 5).toString("latin1") === "%PDF-" },
];

const BY_CONTENT_TYPE: Readonly<Record<string, string>> = {
  "image/jpeg": ".jpg",
  "image/png": ".png",
  "image/gif": ".gif",
  "image/webp": ".webp",
  "image/heic": ".heic",
  "application/pdf": ".pdf",
};

/** The content decides (the bytes do not lie), then the declared type, then the URL; ".bin" when none knows. */
export function extensionFor(data: Buffer, contentType: string | undefined, pathname: string): string {
  const magic = MAGIC.find((m) => m.test(data));
  if (magic) return magic.ext;
  const declared = contentType === undefined ? undefined : BY_CONTENT_TYPE[contentType.split(";")[0]?.trim().toLowerCase() ?? ""];
  if (declared) return declared;
  const fromUrl = path.posix.extname(pathname).toLowerCase();
  return Object.values(BY_CONTENT_TYPE).includes(fromUrl) ? fromUrl : fromUrl === ".jpeg" ? ".jpg" : ".bin";
}

/** The last path segment when it looks like a file name (shown to people listing evidence). */
function sourceName(pathname: string): string | undefined {
  let segment: string;
  try {
    segment = decodeURIComponent(pathname.split("/").pop() ?? "");
  } catch {
    return undefined;
  }
  return /^[^/\\\0]{1,120}\.[A-Za-z0-9]{2,5}$/.test(segment) ? segment : undefined;
}
