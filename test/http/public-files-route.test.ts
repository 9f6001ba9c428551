import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicFiles, type PublicFiles } from "../../src/app/public-files.js";
import { publicFilesRouter } from "../../src/http/routes/public-files-route.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9]);

let root: string;
let files: PublicFiles;
let server: Server;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "pdx-public-route-"));
  // A secret next to the public folder: what a traversal would be after.
  writeFileSync(path.join(root, "app.db"), "SECRET DATABASE");
  const app = express();
  app.use(publicFilesRouter((files = createPublicFiles({ dir: path.join(root, "public"), publicUrl: "http://placeholder" }))));
  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

describe("GET /files/<token>.png", () => {
  it("when a published image is fetched, then it is served as image/png, not cached publicly", async () => {
    const { token } = await files.publishPng(PNG);
    const res = await fetch(`${base}/files/${token}.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("when a report is fetched under its download name, then it is an attachment with that name", async () => {
    const source = path.join(root, "report.xlsx");
    writeFileSync(source, "PK report");
    const { url } = await files.publishFile(source, { downloadName: "Báo cáo tỉnh.xlsx" });
    const res = await fetch(`${base}${new URL(url).pathname}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="Bao cao tinh.xlsx"; filename*=UTF-8''${encodeURIComponent("Báo cáo tỉnh.xlsx")}`);
    expect(await res.text()).toBe("PK report");
  });

  it("when a published file is asked for under a name with another extension, then the answer is 404", async () => {
    const { token } = await files.publishPng(PNG);
    expect((await fetch(`${base}/files/${token}.png/evil.html`)).status).toBe(404);
  });

  it.each([
    ["an unknown token", `/files/${(Date.now() + 1e6).toString(36)}-${"b".repeat(48)}.png`],
    ["an expired token", `/files/${(Date.now() - 1000).toString(36)}-${"c".repeat(48)}.png`],
    ["a traversal", "/files/..%2Fapp.db"],
    ["a double-encoded traversal", "/files/..%252Fapp.db"],
    ["a plain traversal", "/files/../app.db"],
    ["the folder itself", "/files/"],
    ["a listing", "/files"],
  ])("when %s is requested, then the answer is 404 and never the file", async (_case, url) => {
    const res = await fetch(`${base}${url}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("SECRET");
  });
});
