import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicFiles } from "../../src/app/public-files.js";
import { createTelegramAdapter } from "../../src/channels/telegram/telegram-adapter.js";
import { startFakeTelegram, type FakeTelegram, type UploadedFile } from "../support/fake-telegram.js";

/**
 * The Bot API takes uploads up to 50 MB: a larger document (a dossier full of scans) goes out as the caption and an
 * expiring link to the same file; a smaller one as the file. The limit is lowered here so the test stays small.
 */
describe("Telegram documents over the upload limit", () => {
  let fake: FakeTelegram;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeTelegram();
    dir = mkdtempSync(path.join(tmpdir(), "pdx-tg-large-"));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when a document is over the limit, then a link to its published copy is sent; under it, the file itself", async () => {
    const publicFiles = createPublicFiles({ dir: path.join(dir, "public"), publicUrl: "https://bot.example.vn" });
    const adapter = createTelegramAdapter({ token: "1:LARGE", apiRoot: fake.url, publicFiles, documentMaxBytes: 1000 });
    const big = path.join(dir, "big.zip");
    const small = path.join(dir, "small.zip");
    writeFileSync(big, Buffer.alloc(1001, 0x50));
    writeFileSync(small, Buffer.alloc(1000, 0x50));

    await adapter.send("42", { kind: "document", file: big, fileName: "ho-so-Báo Mẫu.zip", caption: "Hồ sơ" });
    expect(fake.sent("sendDocument")).toEqual([]);
    const text = String(fake.sent("sendMessage").at(-1)?.body.text);
    const token = /^Hồ sơ\n\nhttps:\/\/bot\.example\.vn\/files\/([0-9a-z]+-[0-9a-f]{48}\.zip)\/ho-so-B%C3%A1o%20M%E1%BA%ABu\.zip$/.exec(text)?.[1];
    expect(token).toBeDefined();
    expect((await publicFiles.resolve(token ?? ""))?.contentType).toBe("application/zip");

    await adapter.send("42", { kind: "document", file: small, fileName: "ho-so.zip", caption: "Hồ sơ" });
    expect((fake.sent("sendDocument")[0]?.body.document as UploadedFile).bytes).toBe(1000);
  });

  it("when there is no public file store, then the send is refused rather than tried and failed by Telegram", async () => {
    const adapter = createTelegramAdapter({ token: "1:LARGE", apiRoot: fake.url, documentMaxBytes: 10 });
    const file = path.join(dir, "x.zip");
    writeFileSync(file, Buffer.alloc(11));
    await expect(adapter.send("42", { kind: "document", file, fileName: "x.zip", caption: "" })).rejects.toMatchObject({ name: "SendError", reason: "rejected" });
  });
});
