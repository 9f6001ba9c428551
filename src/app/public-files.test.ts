import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPublicFiles, PUBLIC_FILE_TTL_MS, PublicUrlMissingError, safeDownloadName } from "./public-files.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const T0 = new Date("2024-11-05T03:00:00Z");

let dir: string;
let now: Date;
const clock = () => now;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "pdx-public-"));
  now = T0;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("published files", () => {
  it("when a PNG is published, then its URL is under PUBLIC_URL/files with an unguessable token and it resolves", async () => {
    const files = createPublicFiles({ dir, publicUrl: "https://pdx.example.vn/", clock });
    const published = await files.publishPng(PNG);
    expect(published.url).toBe(`https://pdx.example.vn/files/${published.token}.png`);
    expect(published.token).toMatch(/^[0-9a-z]+-[0-9a-f]{48}$/);
    expect(published.expiresAt).toEqual(new Date(T0.getTime() + PUBLIC_FILE_TTL_MS));
    const found = await files.resolve(`${published.token}.png`);
    expect(found).toMatchObject({ contentType: "image/png", path: path.join(dir, `${published.token}.png`) });
  });

  it("when two files are published, then their tokens differ", async () => {
    const files = createPublicFiles({ dir, publicUrl: "https://pdx.example.vn", clock });
    const a = await files.publishPng(PNG);
    const b = await files.publishPng(PNG);
    expect(a.token).not.toBe(b.token);
  });

  it("when the time to live has passed, then the file no longer resolves and is deleted", async () => {
    const files = createPublicFiles({ dir, publicUrl: "https://pdx.example.vn", clock, ttlMs: 60_000 });
    const published = await files.publishPng(PNG);
    now = new Date(T0.getTime() + 59_999);
    expect(await files.resolve(`${published.token}.png`)).not.toBeNull();
    now = new Date(T0.getTime() + 60_000);
    expect(await files.resolve(`${published.token}.png`)).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("when the service restarts, then published files still resolve (the expiry lives in the name, not in memory)", async () => {
    const published = await createPublicFiles({ dir, publicUrl: "https://pdx.example.vn", clock }).publishPng(PNG);
    const afterRestart = createPublicFiles({ dir, publicUrl: "https://pdx.example.vn", clock });
    expect(await afterRestart.resolve(`${published.token}.png`)).not.toBeNull();
  });

  it("when expired files are swept, then only they are deleted", async () => {
    const files = createPublicFiles({ dir, publicUrl: "https://pdx.example.vn", clock });
    const short = await files.publishPng(PNG, { ttlMs: 1000 });
    const long = await files.publishPng(PNG, { ttlMs: 10_000 });
    writeFileSync(path.join(dir, "README"), "not ours");
    now = new Date(T0.getTime() + 5000);
    expect(await files.sweep()).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([`${long.token}.png`, "README"].sort());
    expect(existsSync(path.join(dir, `${short.token}.png`))).toBe(false);
  });

  it.each([
    ["an unknown token", `${(T0.getTime() + 1e6).toString(36)}-${"a".repeat(48)}.png`],
    ["a traversal attempt", "../../etc/passwd"],
    ["an encoded traversal", "..%2F..%2Fapp.db"],
    ["a token without extension", `${(T0.getTime() + 1e6).toString(36)}-${"a".repeat(48)}`],
    ["another extension", `${(T0.getTime() + 1e6).toString(36)}-${"a".repeat(48)}.db`],
    ["a short random part", `${(T0.getTime() + 1e6).toString(36)}-abc.png`],
    ["an empty name", ""],
    ["a dot file", ".png"],
  ])("when %s is asked for, then nothing resolves", async (_case, name) => {
    const files = createPublicFiles({ dir, publicUrl: "https://pdx.example.vn", clock });
    await files.publishPng(PNG);
    expect(await files.resolve(name)).toBeNull();
  });

  it("when a report file is published under a download name, then the URL ends in that name and the copy resolves as a spreadsheet", async () => {
    const source = path.join(dir, "report.xlsx");
    writeFileSync(source, "PK");
    const files = createPublicFiles({ dir: path.join(dir, "public"), publicUrl: "https://pdx.example.vn", clock });
    const published = await files.publishFile(source, { downloadName: "Báo cáo Hà Nội.xlsx" });
    expect(published.url).toBe(`https://pdx.example.vn/files/${published.token}.xlsx/${encodeURIComponent("Báo cáo Hà Nội.xlsx")}`);
    expect(await files.resolve(`${published.token}.xlsx`)).toMatchObject({ extension: "xlsx", contentType: expect.stringContaining("spreadsheetml") });
  });

  it("when a file of another type is published, then it is refused", async () => {
    const source = path.join(dir, "page.html");
    writeFileSync(source, "<script>");
    const files = createPublicFiles({ dir: path.join(dir, "public"), publicUrl: "https://pdx.example.vn", clock });
    await expect(files.publishFile(source)).rejects.toThrow(/not published/);
  });

  it.each<[string, string, string | undefined]>([
    ["bao-cao.xlsx", "xlsx", "bao-cao.xlsx"],
    ["Báo cáo", "xlsx", "Báo cáo.xlsx"],
    ["../../etc/passwd", "xlsx", "_.._etc_passwd.xlsx"],
    ['a"b?c#d%e', "pdf", "a_b_c_d_e.pdf"],
    ["...", "png", undefined],
    ["", "png", undefined],
  ])("when the download name is %j, then the safe name is %j", (name, extension, expected) => {
    expect(safeDownloadName(name, extension)).toBe(expected);
  });

  it("when PUBLIC_URL is not configured, then publishing says so", async () => {
    const files = createPublicFiles({ dir, publicUrl: undefined, clock });
    await expect(files.publishPng(PNG)).rejects.toBeInstanceOf(PublicUrlMissingError);
  });
});
