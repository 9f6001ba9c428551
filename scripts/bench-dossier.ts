/**
 * The dossier's target (issue 23): a whole assessment with 43 files, 100 MB in all, built in ≤ 10 s with ≤ 100 MB
 * more memory. `npm run --silent bench:dossier [-- --json]` prints the figures.
 *
 * The parent seeds a SQLite database (43 stored files of random bytes across the criteria, which no compressor
 * shrinks) and forks a child that loads everything the build needs (Prisma, exceljs, archiver) first, then measures
 * only the build: wall-clock time, and the peak resident memory above what it held before (getrusage's maxRSS, which
 * sees every peak, not samples of it). The ZIP is then read back: entry count and size.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, closeSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeDossier } from "../src/app/evidence/dossier.js";
import { listCriteria } from "../src/domain/questionnaire/definition-index.js";
import { createTranslator } from "../src/i18n/translator.js";
import { addAgency } from "../src/persistence/agency-store.js";
import { openDatabase } from "../src/persistence/database.js";
import { getDefinition } from "../src/persistence/definition-store.js";
import { seed } from "../src/persistence/seed.js";
import { addPeriod } from "../src/persistence/period-store.js";

const FILES = 43;
const TOTAL_BYTES = 100 * 1024 * 1024;
const TARGET_MS = 10_000;
const TARGET_EXTRA_MB = 100;

interface ChildReport {
  readonly ms: number;
  readonly baselineMb: number;
  readonly peakMb: number;
  readonly sizeBytes: number;
  readonly files: number;
}

const { values } = parseArgs({ options: { json: { type: "boolean" }, child: { type: "string" } } });

if (values.child !== undefined) {
  const job = JSON.parse(values.child) as { url: string; agencyId: string; periodId: string; dataDir: string; out: string };
  const database = await openDatabase(job.url);
  const translator = await createTranslator();
  // Load the lazily imported libraries before the baseline: the target is about the build, not about module code.
  await Promise.all([import("exceljs"), import("archiver")]);
  const rss = (): number => process.resourceUsage().maxRSS / 1024;
  const baselineMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  const summary = await writeDossier(database.db, { agencyId: job.agencyId, periodId: job.periodId, locale: "vi", render: (t) => translator.text("vi", t), dataDir: job.dataDir, now: new Date() }, job.out);
  const ms = performance.now() - started;
  const report: ChildReport = { ms, baselineMb: Math.max(baselineMb, 0), peakMb: rss(), sizeBytes: summary.sizeBytes, files: summary.files };
  await database.close();
  process.send?.(report);
  process.exit(0);
}

const dir = mkdtempSync(path.join(tmpdir(), "pdx-bench-dossier-"));
try {
  const url = `file:${path.join(dir, "app.db")}`;
  const database = await openDatabase(url);
  await seed(database.db);
  const { agency } = await addAgency(database.db, { name: "Báo Đo Hiệu Năng", province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
  const period = await addPeriod(database, {
    definition: "press-dx-1827-2024",
    name: "Năm 2024",
    referenceFrom: "2023-10-01",
    referenceTo: "2024-10-31",
    entryOpens: new Date("2024-11-01T00:00:00+07:00"),
    entryCloses: new Date("2024-11-15T23:59:59+07:00"),
    deadlines: [],
  });
  const definition = await getDefinition(database.db, "press-dx-1827-2024");
  if (definition === null) throw new Error("definition missing");
  const person = await database.db.person.create({ data: { displayName: "Người đo" } });
  const assessment = await database.db.assessment.create({ data: { agencyId: agency.id, periodId: period.id } });
  const criteria = listCriteria(definition);
  mkdirSync(path.join(dir, "evidence"));
  const each = Math.floor(TOTAL_BYTES / FILES);
  for (let i = 0; i < FILES; i += 1) {
    const criterion = criteria[i % criteria.length]?.criterion;
    if (criterion === undefined) throw new Error("no criteria");
    const name = `f${i}.pdf`;
    writeFileSync(path.join(dir, "evidence", name), Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(each - 9)]));
    await database.db.evidence.create({ data: { assessmentId: assessment.id, criterionId: criterion.id, kind: "document", channel: "web", ref: `file:evidence/${name}`, fileName: `Minh chứng số ${i + 1}.pdf`, addedById: person.id } });
  }
  await database.close();

  const out = path.join(dir, "hoso.zip");
  const script = fileURLToPath(import.meta.url);
  const report = await new Promise<ChildReport>((resolve, reject) => {
    const child = fork(script, ["--child", JSON.stringify({ url, agencyId: agency.id, periodId: period.id, dataDir: dir, out })], { execArgv: ["--import", "tsx"] });
    child.once("message", (message) => resolve(message as ChildReport));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`child exited ${code}`))));
  });
  // The ZIP's central directory ends with its entry count: read back from the end of the file.
  const size = statSync(out).size;
  const tail = Buffer.alloc(22);
  const fd = openSync(out, "r");
  readSync(fd, tail, 0, 22, size - 22);
  closeSync(fd);
  const entries = tail.readUInt32LE(0) === 0x06054b50 ? tail.readUInt16LE(10) : -1;
  const extraMb = report.peakMb - report.baselineMb;
  const result = {
    files: report.files,
    inputMb: Math.round((each * FILES) / 1024 / 1024),
    zipMb: Math.round((size / 1024 / 1024) * 10) / 10,
    zipEntries: entries,
    buildMs: Math.round(report.ms),
    baselineRssMb: Math.round(report.baselineMb),
    peakRssMb: Math.round(report.peakMb),
    extraMb: Math.round(extraMb),
    withinTime: report.ms <= TARGET_MS,
    withinMemory: extraMb <= TARGET_EXTRA_MB,
  };
  if (values.json === true) console.log(JSON.stringify(result));
  else {
    console.log(`dossier of ${result.files} files, ${result.inputMb} MB: built in ${result.buildMs} ms (target ≤ ${TARGET_MS}), ${result.extraMb} MB above ${result.baselineRssMb} MB resident (target ≤ ${TARGET_EXTRA_MB})`);
    console.log(`ZIP: ${result.zipMb} MB, ${result.zipEntries} entries`);
  }
  if (!result.withinTime || !result.withinMemory || entries !== FILES + 1) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
