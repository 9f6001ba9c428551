import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentDownloadError, downloadToDir } from "../../../src/channels/zalo/download.js";
import { createZaloAdapter } from "../../../src/channels/zalo/zalo-adapter.js";
import { TINY_JPEG } from "../../support/fake-zalo.js";

/**
 * A server that sends a body one byte at a time (a slow-loris) and one that holds an image until told to send it.
 * The limits are passed small, so the test does not wait for the real ones; it asserts what stops the download.
 */
let server: Server;
let base: string;
let dir: string;
let imageRequests = 0;
const held: ServerResponse[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "pdx-slow-"));
  server = createServer((req, res) => {
    if (req.url === "/drip.jpg") {
      res.writeHead(200, { "content-type": "image/jpeg", "content-length": "100000" });
      const timer = setInterval(() => res.write(Buffer.from([0xff])), 20);
      res.on("close", () => clearInterval(timer));
      return;
    }
    imageRequests += 1;
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<AttachmentDownloadError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AttachmentDownloadError) return error;
    throw error;
  }
  throw new Error("the download succeeded");
}

describe("bounding evidence downloads", () => {
  it("when a server keeps a download alive with a byte now and then, then the whole download is cut at its deadline", async () => {
    const error = await failure(downloadToDir(`${base}/drip.jpg`, { dir, allowPrivateNetwork: true, deadlineMs: 400, minBytesPerSecond: 0 }));
    expect(error.reason).toBe("network");
    expect(error.message).toMatch(/deadline/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("when a server sends more slowly than the minimum rate, then the download is cut once the grace period is over", async () => {
    const error = await failure(downloadToDir(`${base}/drip.jpg`, { dir, allowPrivateNetwork: true, deadlineMs: 60_000, minBytesPerSecond: 1024, rateGraceMs: 200 }));
    expect(error.reason).toBe("network");
    expect(error.message).toMatch(/too slow/);
  });

  it("when a redelivered event asks for the same attachment while it is downloading, then one download serves both", async () => {
    const adapter = createZaloAdapter({ token: "1:z", webhookSecret: "secret-123", apiBase: base, evidenceDir: dir, download: { allowPrivateNetwork: true } });
    const url = `${base}/held.jpg`;
    const first = adapter.resolveAttachment(url);
    while (held.length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = adapter.resolveAttachment(url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const res of held.splice(0)) res.writeHead(200, { "content-type": "image/jpeg" }).end(TINY_JPEG);
    const [a, b] = await Promise.all([first, second]);
    expect(imageRequests).toBe(1);
    expect(b).toEqual(a);
  });
});
