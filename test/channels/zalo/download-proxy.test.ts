import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentDownloadError, downloadToDir } from "../../../src/channels/zalo/download.js";
import { ConfigError, loadConfig } from "../../../src/config.js";
import { TINY_JPEG } from "../../support/fake-zalo.js";

/**
 * Issue 26, item 13: with HTTP_PROXY set, axios sent evidence downloads through the proxy, so the address check saw
 * only the proxy and `http://localhost/…` was fetched. A "proxy" on 127.0.0.1 records what reaches it and would
 * hand back an image; downloads must not go there, and the guard must refuse localhost itself.
 */
let proxy: Server;
let dir: string;
const proxied: string[] = [];
const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "pdx-proxy-"));
  proxy = createServer((req, res) => {
    proxied.push(req.url ?? "");
    res.writeHead(200, { "content-type": "image/jpeg" });
    res.end(TINY_JPEG);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  Object.assign(process.env, { HTTP_PROXY: url, http_proxy: url, HTTPS_PROXY: url });
  delete process.env.NO_PROXY;
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await new Promise((resolve) => proxy.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("evidence downloads with a proxy in the environment", () => {
  it.each(["http://localhost/secret.jpg", "http://localhost:9/admin.jpg"])("when %s is asked for, then nothing goes through the proxy and the guard refuses it", async (url) => {
    const error = await downloadToDir(url, { dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachmentDownloadError);
    expect((error as AttachmentDownloadError).reason).toBe("invalid-url");
    expect(proxied).toEqual([]);
  });
});

describe("evidence downloads through an operator's proxy (ZALO_DOWNLOAD_PROXY)", () => {
  let tunnelProxy: Server;
  let proxyUrl: URL;
  let images: Server;
  let imagesPort: number;
  let raw: NetServer;
  let rawPort: number;
  const connects: string[] = [];
  const rawBytes: Buffer[] = [];

  beforeAll(async () => {
    images = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "image/jpeg" });
      res.end(TINY_JPEG);
    });
    raw = createNetServer((socket) => {
      socket.once("data", (chunk: Buffer) => {
        rawBytes.push(chunk);
        socket.destroy();
      });
    });
    tunnelProxy = createServer((_req, res) => res.writeHead(405).end());
    tunnelProxy.on("connect", (req: IncomingMessage, client: Duplex) => {
      connects.push(req.url ?? "");
      const [host = "", port = "0"] = (req.url ?? "").split(/:(?=\d+$)/);
      const upstream = connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    for (const server of [images, raw, tunnelProxy]) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    imagesPort = (images.address() as AddressInfo).port;
    rawPort = (raw.address() as AddressInfo).port;
    proxyUrl = new URL(`http://127.0.0.1:${(tunnelProxy.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    tunnelProxy.closeAllConnections();
    images.closeAllConnections();
    for (const server of [images, raw, tunnelProxy]) await new Promise((resolve) => server.close(resolve));
  });

  it("when a download is allowed, then it goes through the proxy as a tunnel to the address the service checked", async () => {
    const stored = await downloadToDir(`http://127.0.0.1:${imagesPort}/ok.jpg`, { dir, proxy: proxyUrl, allowPrivateNetwork: true });
    expect(stored.path.endsWith(".jpg")).toBe(true);
    expect(connects).toEqual([`127.0.0.1:${imagesPort}`]);
  });

  it("when the name resolves to a private address, then the guard refuses it and the proxy is never asked", async () => {
    const before = connects.length;
    const error = await downloadToDir("http://localhost:9/a.jpg", { dir, proxy: proxyUrl }).catch((e: unknown) => e);
    expect((error as AttachmentDownloadError).reason).toBe("invalid-url");
    expect(connects).toHaveLength(before);
  });

  it("when the source is https, then TLS is spoken to the target itself, inside the tunnel", async () => {
    const error = await downloadToDir(`https://127.0.0.1:${rawPort}/a.jpg`, { dir, proxy: proxyUrl, allowPrivateNetwork: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachmentDownloadError);
    expect(connects.at(-1)).toBe(`127.0.0.1:${rawPort}`);
    // A TLS record of type handshake (0x16) is the first thing the target receives.
    expect(rawBytes[0]?.[0]).toBe(0x16);
  });
});

describe("the download proxy setting", () => {
  it.each(["socks5://127.0.0.1:1080", "https://proxy.example:8443", "proxy:3128"])("when ZALO_DOWNLOAD_PROXY is %j, then the service refuses to start", (value) => {
    expect(() => loadConfig({ ZALO_DOWNLOAD_PROXY: value })).toThrow(ConfigError);
  });

  it("when it is an http:// URL, then it is taken", () => {
    expect(loadConfig({ ZALO_DOWNLOAD_PROXY: "http://user:pass@proxy.local:3128" }).ZALO_DOWNLOAD_PROXY).toBe("http://user:pass@proxy.local:3128");
  });
});
