import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createService, type Service } from "../../src/service.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { linkPerson, seedAgencies, silent, vn } from "./reminder-fixture.js";
import { openSeeded } from "../support/databases.js";

/** Waits (briefly, for real I/O) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

describe("the service's own reminder loop", () => {
  let dir: string;
  let telegram: FakeTelegram;
  let service: Service | null = null;

  beforeEach(async () => {
    // Only the intervals are faked: the database and HTTP keep their real timers.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    dir = mkdtempSync(path.join(tmpdir(), "pdx-reminder-loop-"));
    telegram = await startFakeTelegram();
  });
  afterEach(async () => {
    await service?.close();
    service = null;
    vi.useRealTimers();
    await telegram.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when the service runs, then every minute it queues and sends what is due; after close() it sends nothing more", async () => {
    const url = `file:${path.join(dir, "app.db")}`;
    const seeded = await openSeeded(url);
    try {
      const { agencies } = await seedAgencies(seeded, ["Báo Hà Nội Mới"]);
      await linkPerson(seeded.db, { name: "Trần Minh", role: "lead", agencyId: agencies[0]?.id ?? "" });
    } finally {
      await seeded.close();
    }
    let now = vn("2027-11-01T08:30:00");
    const config = loadConfig({ DATABASE_URL: url, TELEGRAM_BOT_TOKEN: "123456:TEST-token", TELEGRAM_WEBHOOK_SECRET: "test-secret-123", TELEGRAM_API_ROOT: telegram.url });
    service = await createService(config, { logger: silent, clock: () => now });
    service.start();
    const sends = () => telegram.sent("sendMessage").length;

    await vi.advanceTimersByTimeAsync(59_000);
    expect(sends()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => sends() === 1);
    expect(String(telegram.sent("sendMessage")[0]?.body.text)).toContain("(còn 14 ngày)");

    now = vn("2027-11-01T08:31:00");
    await vi.advanceTimersByTimeAsync(60_000);
    now = vn("2027-11-08T08:30:00");
    // A minute's tick is skipped while the previous run is still finishing its writes; the next minute catches up.
    for (let minute = 0; minute < 10 && sends() < 2; minute += 1) {
      await vi.advanceTimersByTimeAsync(60_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await until(() => sends() === 2);
    expect(String(telegram.sent("sendMessage")[1]?.body.text)).toContain("(còn 7 ngày)");

    await service.close();
    service = null;
    now = vn("2027-11-12T08:30:00");
    await vi.advanceTimersByTimeAsync(120_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sends()).toBe(2);
  });
});
