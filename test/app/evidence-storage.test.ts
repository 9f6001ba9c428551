import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EVIDENCE_GRACE_MS, removeUnreferencedEvidence } from "../../src/app/evidence-cleanup.js";
import type { InboundDeps } from "../../src/app/handle-inbound.js";
import { processUpdates } from "../../src/app/process-updates.js";
import { createZaloAdapter, type ZaloAdapter } from "../../src/channels/zalo/zalo-adapter.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { TINY_JPEG } from "../support/fake-zalo.js";
import { GENERATED_DIR, inviteCode, NOW, seedAgency, typingClock } from "./conversation-fixture.js";
import { inboundStore } from "../../src/persistence/inbound-store.js";

const logger = pino({ level: "silent" });
let images: Server;
let imageUrl: string;
let imageRequests = 0;

beforeAll(async () => {
  images = createServer((_req, res) => {
    imageRequests += 1;
    res.writeHead(200, { "content-type": "image/jpeg" }).end(TINY_JPEG);
  });
  await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
  imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/anh.jpg`;
});
afterAll(async () => {
  await new Promise((resolve) => images.close(resolve));
});

describe.each(databaseKinds)("evidence files on $name", (kind) => {
  let database: TestDatabase;
  let dir: string;
  let zalo: ZaloAdapter;
  let inbound: InboundDeps;
  beforeEach(async () => {
    database = await kind.open();
    dir = mkdtempSync(path.join(tmpdir(), "pdx-evidence-"));
    zalo = createZaloAdapter({ token: "1:z", webhookSecret: "secret-123", apiBase: "http://127.0.0.1:9", evidenceDir: dir, download: { allowPrivateNetwork: true } });
    inbound = { port: inboundStore(database), db: database.db, translator: await createTranslator(), defaultLocale: "vi", clock: typingClock(), dataDir: GENERATED_DIR };
    imageRequests = 0;
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let messageId = 0;
  const send = (sender: string, fields: Record<string, unknown>) =>
    processUpdates(zalo, zalo.parse({ message: { message_id: `m${(messageId += 1)}`, from: { id: sender }, chat: { id: sender, chat_type: "PRIVATE" }, ...fields } }), { inbound, logger });

  it("when strangers send photos, then nothing is downloaded; when a linked member sends one for the current question, then it is kept", async () => {
    for (const stranger of ["s1", "s2", "s3"]) await send(stranger, { photo_url: imageUrl });
    expect(imageRequests).toBe(0);
    expect(readdirSync(dir)).toEqual([]);

    const { agency } = await seedAgency(database);
    await send("lan", { text: await inviteCode(database.db, agency.id, "member") });
    await send("lan", { text: "tiếp tục" });
    await send("lan", { photo_url: imageUrl });
    expect(imageRequests).toBe(1);
    const [evidence] = await database.db.evidence.findMany();
    expect(readdirSync(dir)).toEqual([path.basename(evidence?.ref ?? "")]);
  });

  it("when evidence files are older than the grace period and no row names them, then the clean-up removes them and only them", async () => {
    const { agency } = await seedAgency(database);
    const person = await database.db.person.create({ data: { displayName: "Lan" } });
    const assessment = await database.db.assessment.create({ data: { agencyId: agency.id, periodId: (await database.db.assessmentPeriod.findFirstOrThrow()).id } });
    const old = new Date(NOW.getTime() - EVIDENCE_GRACE_MS - 60_000);
    for (const name of ["kept.jpg", "orphan.jpg", "fresh.jpg"]) {
      writeFileSync(path.join(dir, name), TINY_JPEG);
      if (name !== "fresh.jpg") utimesSync(path.join(dir, name), old, old);
    }
    await database.db.evidence.create({ data: { assessmentId: assessment.id, criterionId: "P1.1.1", kind: "photo", channel: "zalo", ref: "file:evidence/kept.jpg", addedById: person.id } });
    utimesSync(path.join(dir, "fresh.jpg"), NOW, NOW);
    expect(await removeUnreferencedEvidence(database.db, dir, NOW)).toEqual(["orphan.jpg"]);
    expect(readdirSync(dir).sort()).toEqual(["fresh.jpg", "kept.jpg"]);
  });
});
