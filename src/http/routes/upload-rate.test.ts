import { describe, expect, it } from "vitest";
import { createUploadRate, UPLOAD_RATE_MAX, UPLOAD_RATE_WINDOW_MS } from "./upload-rate.js";

describe("the upload page's rate limit", () => {
  it("when a link uploads its 20 files in a minute, then the 21st is refused until the oldest leaves the 5-minute window", () => {
    const rate = createUploadRate();
    const start = 1_000_000;
    const allowed = Array.from({ length: UPLOAD_RATE_MAX }, (_, i) => rate.allow("link", start + i * 3000));
    expect(allowed.every(Boolean)).toBe(true);
    expect(rate.allow("link", start + 60_000)).toBe(false);
    expect(rate.allow("link", start + UPLOAD_RATE_WINDOW_MS - 1)).toBe(false);
    // The first upload is now 5 minutes old: one place is free again, and only one.
    expect(rate.allow("link", start + UPLOAD_RATE_WINDOW_MS)).toBe(true);
    expect(rate.allow("link", start + UPLOAD_RATE_WINDOW_MS)).toBe(false);
  });

  it("when refused attempts keep coming, then they do not count: the window frees up as the accepted ones age", () => {
    const rate = createUploadRate({ max: 2, windowMs: 1000 });
    expect([rate.allow("k", 0), rate.allow("k", 10)]).toEqual([true, true]);
    for (let at = 20; at < 1000; at += 20) expect(rate.allow("k", at)).toBe(false);
    expect(rate.allow("k", 1000)).toBe(true);
    expect(rate.allow("k", 1010)).toBe(true);
    expect(rate.allow("k", 1011)).toBe(false);
  });

  it("when one link is at its limit, then another link (another person) still uploads", () => {
    const rate = createUploadRate({ max: 1, windowMs: 60_000 });
    expect(rate.allow("lan", 0)).toBe(true);
    expect(rate.allow("lan", 1)).toBe(false);
    expect(rate.allow("hung", 2)).toBe(true);
  });
});
