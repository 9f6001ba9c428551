import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db, Store } from "../../src/persistence/database.js";
import { pdfOf } from "../e2e/upload-fixture.js";
import { seedAgency } from "./conversation-fixture.js";

/**
 * An agency with one answer and evidence of every sort for its dossier: three stored PDFs (one under a name that tries
 * to leave its folder), a link, a Telegram file not fetched yet and a ref that points outside the evidence directory.
 */
export interface DossierWorld {
  readonly db: Db;
  readonly dataDir: string;
  readonly agencyId: string;
  readonly periodId: string;
  readonly assessmentId: string;
  readonly provinceId: string;
  readonly files: Record<string, Buffer>;
}

export async function seedDossier(store: Store, dataDir: string): Promise<DossierWorld> {
  const { db } = store;
  const { agency, period } = await seedAgency(store);
  const person = await db.person.create({ data: { displayName: "Nguyễn Thị Lan" } });
  const assessment = await db.assessment.create({ data: { agencyId: agency.id, periodId: period.id } });
  const answeredAt = new Date("2024-11-04T02:30:00Z");
  await db.answer.create({ data: { assessmentId: assessment.id, criterionId: "P1.1.1", value: "true", note: "Ban hành tháng 3/2024", answeredById: person.id, answeredAt } });
  mkdirSync(path.join(dataDir, "evidence"), { recursive: true });
  const files: Record<string, Buffer> = {
    "a1.pdf": pdfOf(300_000),
    "a2.pdf": pdfOf(1_000),
    "a3.pdf": pdfOf(2_000),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dataDir, "evidence", name), bytes);
  const evidence = (criterionId: string, ref: string, fileName: string | null, kind = "document", minute = 0) =>
    db.evidence.create({ data: { assessmentId: assessment.id, criterionId, kind, channel: "web", ref, fileName, addedById: person.id, addedAt: new Date(answeredAt.getTime() + minute * 60_000) } });
  await evidence("P1.1.1", "file:evidence/a1.pdf", "Quyết định CĐS.pdf", "document", 1);
  // A name that tries to leave its folder and hide itself.
  await evidence("P1.1.1", "file:evidence/a2.pdf", "../../.bashrc/..\\x.pdf", "document", 2);
  await evidence("P1.1.2", "file:evidence/a3.pdf", null, "document", 3);
  await evidence("P1.1.2", "https://example.vn/ke-hoach", null, "link", 4);
  await evidence("P1.1.2", "telegram:AgADBAAD", "chua-tai.pdf", "document", 5);
  // A ref that would climb out of the evidence directory is never followed.
  await evidence("P1.1.2", "file:../../etc/passwd", "passwd.pdf", "document", 6);
  return { db, dataDir, agencyId: agency.id, periodId: period.id, assessmentId: assessment.id, provinceId: agency.provinceId, files };
}

