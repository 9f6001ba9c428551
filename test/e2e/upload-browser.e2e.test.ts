import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdfOf, startUploadWorld, type UploadWorld } from "./upload-fixture.js";

/**
 * The upload page in a real browser: Debian's Chromium driven by playwright-core (no browser download), on a
 * 360-pixel phone screen, with JavaScript off — the form must work without it. In CI (CI=true) a missing Chromium
 * fails the test; elsewhere it is skipped with a message.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === "true") throw new Error(`Chromium is required in CI at ${CHROMIUM} (apt-get install -y chromium)`);
if (!available) console.warn(`upload-browser: skipped, no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

let world: UploadWorld;
let browser: Browser;
let temp: string;

beforeAll(async () => {
  if (!available) return;
  temp = mkdtempSync(path.join(tmpdir(), "pdx-browser-"));
  world = await startUploadWorld();
  // playwright-core starts Chromium with a new, empty --user-data-dir of its own (and refuses one in args).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

async function phonePage() {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: "vi-VN" });
  const page = await context.newPage();
  const outside: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(world.running.url)) outside.push(request.url());
  });
  return { context, page, outside };
}

describe.skipIf(!available)("the upload page in headless Chromium", () => {
  it("when a lead opens the link on a phone and uploads a PDF, then it is listed and the chat confirms it", async () => {
    const link = await world.linkFor(world.lan);
    const { context, page, outside } = await phonePage();
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    // Nothing wider than the screen: no sideways scrolling on a 360-pixel phone.
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    const pdf = path.join(temp, "Kế hoạch CĐS 2024.pdf");
    writeFileSync(pdf, pdfOf(300_000));
    const form = page.locator("#c-P1\\.1\\.1 form");
    await form.locator('input[type="file"]').setInputFiles(pdf);
    await Promise.all([page.waitForLoadState("load"), form.locator('button[type="submit"]').click()]);
    await expect.poll(() => page.locator("#c-P1\\.1\\.1").textContent()).toContain("Kế hoạch CĐS 2024.pdf");
    expect(await page.locator("[role=status]").textContent()).toContain("P1.1.1");
    await expect
      .poll(() => world.fake.sent("sendMessage").filter((c) => c.body.chat_id === world.lan).map((c) => String(c.body.text)).join("\n"), { timeout: 5000 })
      .toContain("Đã nhận tệp “Kế hoạch CĐS 2024.pdf” cho P1.1.1");
    const shot = path.join(temp, "upload-page.png");
    await page.screenshot({ path: shot, fullPage: false });
    expect(statSync(shot).size).toBeGreaterThan(1000);
    expect(outside).toEqual([]);
    await context.close();
  });

  it("when the file is 30 MB, then the page says it is refused and nothing is stored", async () => {
    const link = await world.linkFor(world.lan);
    const { context, page } = await phonePage();
    await page.goto(link);
    const big = path.join(temp, "qua-lon.pdf");
    writeFileSync(big, pdfOf(30 * 1024 * 1024));
    const before = world.evidenceFiles();
    const form = page.locator("#c-P1\\.1\\.2 form");
    await form.locator('input[type="file"]').setInputFiles(big);
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), form.locator('button[type="submit"]').click()]);
    expect(answer.status()).toBe(413);
    await expect.poll(() => page.locator("body").textContent()).toContain("20 MB");
    expect(world.evidenceFiles()).toEqual(before);
    expect(await world.db.evidence.count({ where: { fileName: "qua-lon.pdf" } })).toBe(0);
    await context.close();
  });

  it("when a link is forged, expired or another agency's, then the browser shows the refusal", async () => {
    const mine = await world.linkFor(world.lan);
    const theirs = await world.linkFor(world.hung);
    const { context, page } = await phonePage();
    const forged = await page.goto(mine.replace(/\/u\/[A-Za-z0-9_-]+$/, `/u/${"x".repeat(43)}`));
    expect(forged?.status()).toBe(404);
    expect(await page.textContent("body")).toContain("không hợp lệ");
    // Another agency's link shows that agency only: none of this agency's files.
    await page.goto(theirs);
    expect(await page.textContent("body")).not.toContain("Kế hoạch CĐS 2024.pdf");
    world.advance(25 * 60 * 60 * 1000);
    const expired = await page.goto(mine);
    expect(expired?.status()).toBe(404);
    await context.close();
  });
});
