import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentDownloadError, downloadToDir } from "../../../src/channels/zalo/download.js";
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
