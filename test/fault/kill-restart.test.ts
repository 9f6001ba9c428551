import type { ChildProcess } from "node:child_process";
import { loadDefinitionFile, SHIPPED_DEFINITIONS_DIR } from "../../src/definitions/definition-files.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listCriteria } from "../../src/domain/questionnaire/definition-index.js";
import type { Criterion } from "../../src/domain/questionnaire/definition-schema.js";
import { openDatabase } from "../../src/persistence/database.js";
import { createInvite } from "../../src/persistence/invite-store.js";
import { seedAgency } from "../app/conversation-fixture.js";
import { startFakeTelegram } from "../support/fake-telegram.js";
import { freePort, START_ARGS, startProduction } from "../support/production-service.js";
import { openSeeded } from "../support/databases.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const TOKEN = "777:kill-test-token";
const SECRET = "kill-test-secret";

const definition = loadDefinitionFile(path.join(SHIPPED_DEFINITIONS_DIR, "press-dx-1827-2024.json"));

/** Typed messages that answer a criterion (several-choice questions take two). */
function typed(criterion: Criterion): string[] {
  switch (criterion.answer.type) {
    case "yesno": return ["có"];
    case "choice": return ["2"];
    case "multi": return ["1 2", "xong"];
    case "number": return ["50"];
  }
}

const dir = mkdtempSync(path.join(tmpdir(), "pdx-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the production start command", () => {
  it("when the Dockerfile and npm start are read, then both run the command the fault test kills", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(path.join(root, "Dockerfile"), "utf8"))?.[1];
    expect(JSON.parse(cmd ?? "null")).toEqual(["node", ...START_ARGS]);
    const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe(`npm run --silent build && node ${START_ARGS.join(" ")}`);
  });
});

describe("a service killed with SIGKILL in the middle of a stream of answers", () => {
  it("when it restarts and the unacknowledged updates are redelivered, then every acknowledged answer is stored exactly once", async () => {
    const fake = await startFakeTelegram();
    const databaseUrl = `file:${path.join(dir, "app.db")}`;
    const seeding = await openSeeded(databaseUrl);
    const { agency } = await seedAgency(seeding);
    const code = (await createInvite(seeding.db, { kind: "agency", agencyId: agency.id, role: "member" })).code;
    // The fixture's period is for November 2024; the service's clock is real, so widen the window around now.
    await seeding.db.assessmentPeriod.updateMany({ data: { entryOpens: new Date(Date.now() - 86_400_000), entryCloses: new Date(Date.now() + 86_400_000) } });
    await seeding.close();

    const port = await freePort();
    const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url };
    const start = (): Promise<ChildProcess> => startProduction(env, port);

    const texts = [code, "tiếp tục", ...listCriteria(definition).slice(0, 20).flatMap((e) => typed(e.criterion))];
    const updates = texts.map((text, i) => ({
      update_id: 5000 + i,
      message: { message_id: 100 + i, date: 1730775600 + i, chat: { id: 42, type: "private" }, from: { id: 42, is_bot: false, first_name: "Lan" }, text },
    }));
    const deliver = (update: (typeof updates)[number]) =>
      fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify(update),
      }).then((r) => r.status, () => 0);

    const acknowledged = new Set<number>();
    let child = await start();
    let killed: Promise<unknown> = Promise.resolve();
    // In order, as Telegram does for one chat; the kill lands while an update is in flight.
    for (const [i, update] of updates.entries()) {
      // A person's pace (flood control drops bursts of more than 10 messages in 3 s from one chat).
      await new Promise((r) => setTimeout(r, 320));
      const pending = deliver(update);
      if (i === 14) {
        await new Promise((r) => setTimeout(r, 2));
        killed = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
      }
      if ((await pending) === 200) acknowledged.add(update.update_id);
      else break;
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(10);
    await killed;

    child = await start();
    // Telegram redelivers everything it did not get a 200 for, in order (and, being at-least-once, may repeat some).
    // A failed connection is retried too, as Telegram does (a keep-alive socket of the killed process can linger).
    const redeliver = async (update: (typeof updates)[number]): Promise<number> => {
      for (let attempt = 1; ; attempt += 1) {
        const status = await deliver(update);
        if (status !== 0 || attempt === 3) return status;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    for (const update of updates.filter((u) => !acknowledged.has(u.update_id) || u.update_id === 5005)) {
      await new Promise((r) => setTimeout(r, 320));
      expect(await redeliver(update)).toBe(200);
    }
    // SIGTERM: stop taking requests, finish what is in flight, close the database, exit 0 within 10 seconds.
    const stopped = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const asked = Date.now();
    child.kill("SIGTERM");
    expect(await stopped).toBe(0);
    expect(Date.now() - asked).toBeLessThan(10_000);
    await fake.close();

    const check = await openDatabase(databaseUrl);
    const processed = await check.db.processedUpdate.findMany({ where: { channel: "telegram" } });
    expect(processed.map((p) => Number(p.externalKey)).sort()).toEqual(updates.map((u) => u.update_id));
    const answers = await check.db.answer.findMany();
    expect(answers.map((a) => a.criterionId).sort()).toEqual(listCriteria(definition).slice(0, 20).map((e) => e.criterion.id).sort());
    // Exactly once: one history row per answer, none repeated by the redelivery.
    expect(await check.db.answerChange.count({ where: { field: "value" } })).toBe(20);
    await check.close();
  }, 120_000);
});
