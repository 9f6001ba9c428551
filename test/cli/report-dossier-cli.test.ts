import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAgency } from "../../src/persistence/agency-store.js";
import { seedDossier, type DossierWorld } from "../app/dossier-fixture.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { report as reportMain } from "../../src/cli/report.js";
import { runInProcess } from "./in-process.js";
import { isCleanUserError } from "./run-cli.js";

// The evidence directory is beside the SQLite file; a PostgreSQL deployment keeps it in ./data (the working directory).
const sqlite = databaseKinds.filter((kind) => kind.name === "sqlite");

describe.each(sqlite)("npm run report -- dossier on $name", (kind) => {
  let database: TestDatabase;
  let world: DossierWorld;
  let dir: string;
  const report = (...args: string[]) => runInProcess(reportMain, args, { DATABASE_URL: database.url });

  beforeAll(async () => {
    database = await kind.open();
    dir = path.dirname(database.url.replace(/^file:/, ""));
    world = await seedDossier(database, dir);
    await addAgency(database.db, { name: "Báo Kiểm Thử", province: "Đà Nẵng", group: "local-newspaper", type: "newspaper" });
  });
  afterAll(async () => {
    await database.close();
  });

  it("when given the agency's id, then it writes the ZIP with the summary and the stored files, and says what it wrote", async () => {
    const out = path.join(dir, "hoso.zip");
    const run = await report("dossier", "--agency", world.agencyId, "--period", world.periodId, "--out", out, "--json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ file: out, agencyName: "Báo Kiểm Thử", files: 3, notIncluded: 3 });
    const zip = await JSZip.loadAsync(readFileSync(out));
    // archiver reads the files' sizes side by side, so entries may land in another order under load: compared sorted.
    expect(Object.keys(zip.files).filter((name) => !zip.files[name]?.dir).sort()).toEqual(["00-tong-hop.xlsx", "P1.1.1/01-Quyết định CĐS.pdf", "P1.1.1/02-_.._.bashrc_.._x.pdf", "P1.1.2/01-tep.pdf"]);
    expect(await zip.file("P1.1.1/01-Quyết định CĐS.pdf")?.async("nodebuffer")).toEqual(world.files["a1.pdf"]);
    expect(readdirSync(dir).filter((name) => name.endsWith(".part"))).toEqual([]);
  });

  it.each<[string, string[], RegExp]>([
    ["no agency", ["--period", "p", "--out", "x.zip"], /^--agency: is required/],
    ["an output that is not a ZIP", ["--agency", "a", "--period", "p", "--out", "x.xlsx"], /^--out: must name a \.zip file/],
    ["a name two provinces share", ["--agency", "Báo Kiểm Thử", "--period", "p", "--out", "x.zip"], /^--agency: "Báo Kiểm Thử" names 2 agencies \(.*Đà Nẵng.*\)/],
    ["an unknown agency", ["--agency", "Báo Không Có", "--period", "p", "--out", "x.zip"], /^--agency: no agency with id or name "Báo Không Có"/],
  ])("when given %s (in English), then it exits 2 with one line and writes nothing", async (_case, args, message) => {
    const run = await report("dossier", ...args.map((arg) => (arg.endsWith(".zip") || arg.endsWith(".xlsx") ? path.join(dir, arg) : arg)), "--lang", "en");
    expect(isCleanUserError(run)).toBe(true);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toMatch(message);
    expect(existsSync(path.join(dir, "x.zip"))).toBe(false);
  });

  it("when the period does not exist, then it exits 2 and writes no file", async () => {
    const out = path.join(dir, "none.zip");
    rmSync(out, { force: true });
    const run = await report("dossier", "--agency", world.agencyId, "--period", "no-such-period", "--out", out);
    expect(isCleanUserError(run)).toBe(true);
    expect(run.errorLines[0]).toMatch(/no-such-period/);
    expect(existsSync(out)).toBe(false);
  });

  it("when it writes a dossier without --json, then it says so in Vietnamese (and in English with --lang en)", async () => {
    const out = path.join(dir, "hoso-vi.zip");
    const run = await report("dossier", "--agency", world.agencyId, "--period", world.periodId, "--out", out);
    expect(run.stdout).toMatch(new RegExp(`^Đã ghi hồ sơ của Báo Kiểm Thử \\(.+\\): 3 tệp, \\d+ byte, vào ${out.replaceAll("/", "\\/")}; 3 minh chứng có trong danh sách nhưng không nằm trong tệp ZIP`));
    const english = await report("dossier", "--agency", world.agencyId, "--period", world.periodId, "--out", out, "--lang", "en");
    expect(english.stdout).toMatch(/^wrote the dossier of Báo Kiểm Thử \(.+\): 3 files, \d+ bytes, to .+; 3 pieces of evidence listed but not in the ZIP/);
  });

  it.each<[string, string[], string]>([
    ["no agency", ["--period", "p", "--out", "x.zip"], "--agency: bắt buộc (mã hoặc đúng tên cơ quan, xem: admin list agencies)"],
    ["an output that is not a ZIP", ["--agency", "a", "--period", "p", "--out", "x.xlsx"], "--out: phải là tên một tệp .zip"],
    ["a name two provinces share", ["--agency", "Báo Kiểm Thử", "--period", "p", "--out", "x.zip"], '--agency: "Báo Kiểm Thử" là tên của 2 cơ quan ('],
    ["an unknown agency", ["--agency", "Báo Không Có", "--period", "p", "--out", "x.zip"], '--agency: không có cơ quan nào có mã hoặc tên "Báo Không Có" (xem: admin list agencies)'],
    ["a mistyped flag", ["--agnecy", "a", "--period", "p", "--out", "x.zip"], "Không có tham số --agnecy; có phải ý anh/chị là --agency? Xem các tham số: report dossier --help"],
  ])("when given %s, then the one error line is in Vietnamese", async (_case, args, line) => {
    const run = await report("dossier", ...args.map((arg) => (arg.endsWith(".zip") || arg.endsWith(".xlsx") ? path.join(dir, arg) : arg)));
    expect(isCleanUserError(run)).toBe(true);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(line);
  });

  it.each<["vi" | "en", string[], string]>([
    ["vi", [], "  --agency  mã hoặc đúng tên cơ quan"],
    ["en", ["--lang", "en"], "  --agency  the agency's id or its exact name"],
  ])("when report dossier --help is asked in %s, then its flags and an example are shown", async (_lang, lang, flagLine) => {
    const run = await report("dossier", "--help", ...lang);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(flagLine);
    expect(run.stdout).toContain('  npm run --silent report -- dossier --agency "Báo Nghệ An"');
  });
});
