import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin } from "../../src/cli/admin.js";
import { definitions } from "../../src/cli/definitions.js";
import { reminders } from "../../src/cli/reminders.js";
import { runInProcess } from "./in-process.js";

/**
 * The operator's first hour, as the README walks it, in Vietnamese (the default): agencies from a CSV (twice),
 * a lead's invite by the agency's name, the example period, the official table from a workbook edited and saved in
 * LibreOffice, the example period closed and a period for the official table added, and the reminders preview.
 * Each step's output is read as the officer would read it: no English line, and every refusal says what to do.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SOFFICE = ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"].find((p) => existsSync(p));
if (SOFFICE === undefined && process.env.CI) throw new Error("LibreOffice is required in CI (apt-get install libreoffice-calc-nogui)");

describe.skipIf(SOFFICE === undefined)("the operator's first hour", { timeout: 120_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string) => path.join(dir, name);
  const run = (main: Parameters<typeof runInProcess>[0], ...args: string[]) => runInProcess(main, args, env);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "pdx-first-hour-"));
    env = { DATABASE_URL: `file:${file("app.db")}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("when the README is followed step by step, then every step answers in Vietnamese and no step is a dead end", async () => {
    writeFileSync(file("co-quan.csv"), "name,province,group,type\nBáo Nghệ An,Nghệ An,local-newspaper,newspaper\nBáo Hà Tây,Hà Tây,local-newspaper,newspaper\nTạp chí Sông Lam,Nghệ An,magazine,magazine\n");
    const imported = await run(admin, "agency", "import", file("co-quan.csv"));
    expect(imported.stdout).toContain("Tổng kết: thêm mới 3, giữ nguyên 0, cập nhật 0");
    expect(imported.stdout).toMatch(/thêm mới: \S+ {2}Hà Nội {2}Báo Hà Tây/);
    const again = await run(admin, "agency", "import", file("co-quan.csv"));
    expect([again.code, again.stdout.trim()]).toEqual([0, "Tổng kết: thêm mới 0, giữ nguyên 3, cập nhật 0, khác với tệp nhưng giữ nguyên 0."]);

    const invite = await run(admin, "invite", "--agency", "báo nghệ an", "--role", "lead");
    expect(invite.stdout).toMatch(/^Mã mời: \S+ {2}\(chỉ hiện lần này/);
    expect(invite.stdout).toContain("Dành cho: trưởng nhóm của Báo Nghệ An (Nghệ An)");

    const example = await run(admin, "period", "add", path.join(ROOT, "examples", "period-2027.json"), "--json");
    const exampleId = (JSON.parse(example.stdout) as { id: string }).id;

    // The official table: the shipped one exported, given its own id, marked official, saved by LibreOffice.
    await run(definitions, "export", "press-dx-1827-2024", "--out", file("bang-tieu-chi.xlsx"));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file("bang-tieu-chi.xlsx"));
    const general = workbook.getWorksheet("Thông tin chung");
    if (!general) throw new Error("no general sheet");
    general.getCell("B2").value = "press-dx-3560-2025";
    general.getCell("B7").value = "có";
    await workbook.xlsx.writeFile(file("edited.xlsx"));
    execFileSync(SOFFICE ?? "soffice", [`-env:UserInstallation=file://${file("lo-profile")}`, "--headless", "--convert-to", "xlsx", "--outdir", file("lo"), file("edited.xlsx")], { stdio: "ignore", timeout: 100_000 });
    const checked = await run(definitions, "validate", file("lo/edited.xlsx"));
    expect(checked.stdout).toBe("Hợp lệ: press-dx-3560-2025 (43 tiêu chí, tổng điểm tối đa 100)\n");
    expect((await run(definitions, "import", file("lo/edited.xlsx"))).stdout).toBe("Đã nạp: press-dx-3560-2025 (43 tiêu chí, tổng điểm tối đa 100)\n");

    const official = JSON.parse(readFileSync(path.join(ROOT, "examples", "period-2027.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(file("official-2027.json"), JSON.stringify({ ...official, definition: "press-dx-3560-2025", name: "Năm 2027 (bộ chính thức)" }));
    const refused = await run(admin, "period", "add", file("official-2027.json"));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`trùng thời gian nhập liệu với kỳ "Năm 2027" (00:00 01/11/2027 → 23:59 15/11/2027, id ${exampleId})`);
    expect(refused.stderr).toContain(`admin period close ${exampleId}`);
    expect((await run(admin, "period", "close", exampleId)).stdout).toMatch(/^Đã đóng kỳ \(mọi câu trả lời được giữ nguyên\)/);
    const added = await run(admin, "period", "add", file("official-2027.json"));
    expect(added.stdout).toMatch(/^Đã thêm kỳ: \S+ {2}Năm 2027 \(bộ chính thức\) {2}\(press-dx-3560-2025\) {2}nhập liệu 00:00 01\/11\/2027 → 23:59 15\/11\/2027/);
    expect((await run(admin, "period", "check")).stdout).toContain("Không có kỳ nào trùng thời gian nhập liệu");

    const preview = await run(reminders, "preview", "--now", "2027-11-08T08:30:00+07:00");
    expect(preview.stdout).toMatch(/^Không có ai nhận lời nhắc lúc 08:30 08\/11\/2027: chưa có ai liên kết tài khoản trò chuyện với một cơ quan\. Tạo mã mời bằng: admin invite/);

    const help = await run(admin, "invite", "--help");
    const typo = await run(admin, "invite", "--agnecy", "Báo Nghệ An", "--role", "lead");
    expect(typo.stderr).toContain("có phải ý anh/chị là --agency?");
    const missing = await run(reminders, "preview");
    expect(missing.stderr).toContain("--now: bắt buộc");

    // Read as the officer reads it: no line in English once file paths, ids, codes and flags are set aside.
    const outputs = [imported, again, invite, checked, refused, added, preview, help, typo, missing];
    const words = (line: string) => line.replace(/\S*[/\\]\S*/g, " ").replace(/--?[\w-]+/g, " ").replace(/\b(?=\S*\d)[\w-]+\b/g, " ");
    const ENGLISH = /\b(the|is|are|not|required|unknown|usage|added|refused|overlaps|nobody|imported)\b/i;
    for (const line of outputs.flatMap((o) => `${o.stdout}${o.stderr}`.split("\n"))) expect(words(line), line).not.toMatch(ENGLISH);
    // The check itself works: the same step in English is caught.
    const english = await run(reminders, "preview", "--lang", "en");
    expect(words(english.stderr)).toMatch(ENGLISH);
  });
});
