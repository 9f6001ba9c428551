import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin } from "../../src/cli/admin.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { runInProcess } from "./in-process.js";
import { isCleanUserError } from "./run-cli.js";

/**
 * `admin invite --agency <name>` when the name is shared, and `admin agency import` run again with `--update`, on
 * every database: in Vietnamese (the default) and in English (--lang en).
 */

interface AgencyJson {
  id: string;
  name: string;
  province: string;
  group: string;
  type: string;
}

describe.each(databaseKinds)("admin agencies and invites by name on $name", (kind) => {
  let database: TestDatabase;
  let dir: string;
  let csv: string;
  const run = (...args: string[]) => runInProcess(admin, args, { DATABASE_URL: database.url });

  beforeAll(async () => {
    database = await kind.open();
    dir = mkdtempSync(path.join(tmpdir(), "pdx-admin-agencies-"));
    csv = path.join(dir, "co-quan.csv");
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.close();
  });

  it("when a CSV names an unknown province and repeats a row, then every refused row is told in Vietnamese (English with --lang en) and nothing is imported", async () => {
    const bad = path.join(dir, "sai.csv");
    writeFileSync(bad, "name,province,group,type\nBáo Sai Tỉnh,Atlantis,local-newspaper,newspaper\nBáo Lặp,Nghệ An,local-newspaper,newspaper\nBáo Lặp,Nghệ An,local-newspaper,newspaper\n");
    const vi = await run("agency", "import", bad);
    expect(isCleanUserError(vi)).toBe(true);
    expect(vi.errorLines).toContainEqual(expect.stringMatching(/^dòng 2: province: Không có tỉnh\/thành tên "Atlantis"; có phải là ".+"\?/));
    expect(vi.errorLines).toContainEqual('dòng 4: name: trùng với dòng 3 ("Báo Lặp" ở Nghệ An)');
    const en = await run("agency", "import", bad, "--lang", "en");
    expect(en.errorLines).toContainEqual(expect.stringMatching(/^line 2: province: no province named "Atlantis"; did you mean ".+"\?/));
    expect(en.errorLines).toContainEqual('line 4: name: duplicate of line 3 ("Báo Lặp" in Nghệ An)');
    expect(await database.db.agency.count({ where: { name: { in: ["Báo Sai Tỉnh", "Báo Lặp"] } } })).toBe(0);
  });

  it("when a CSV is imported twice, the second time with another group and --update, then the rows are updated and the summary counts them", async () => {
    writeFileSync(csv, "name,province,group,type\nBáo Kiểm Thử,Nghệ An,local-newspaper,newspaper\nBáo Kiểm Thử,Huế,local-newspaper,newspaper\nTạp chí Thử,Nghệ An,magazine,magazine\n");
    const first = await run("agency", "import", csv);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Tổng kết: thêm mới 3, giữ nguyên 0, cập nhật 0, khác với tệp nhưng giữ nguyên 0.");

    writeFileSync(csv, "name,province,group,type\nBáo Kiểm Thử,Nghệ An,local-newspaper,newspaper\nBáo Kiểm Thử,Huế,local-newspaper,newspaper\nTạp chí Thử,Nghệ An,science-journal,science-journal\n");
    const differs = await run("agency", "import", csv);
    expect(differs.code).toBe(0);
    expect(differs.stdout).toContain("dòng 4: Tạp chí Thử đã có với magazine/magazine, tệp ghi science-journal/science-journal: giữ nguyên");
    expect(differs.stdout).toContain("Tổng kết: thêm mới 0, giữ nguyên 2, cập nhật 0, khác với tệp nhưng giữ nguyên 1.");
    expect(differs.stdout).toContain(`Để cập nhật khối/loại hình theo tệp: admin agency import ${csv} --update`);

    const updated = await run("agency", "import", csv, "--update");
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/^đã cập nhật: \S+ {2}Nghệ An {2}Tạp chí Thử → science-journal\/science-journal$/m);
    expect(updated.stdout).toContain("Tổng kết: thêm mới 0, giữ nguyên 2, cập nhật 1, khác với tệp nhưng giữ nguyên 0.");
    const stored = await database.db.agency.findFirstOrThrow({ where: { name: "Tạp chí Thử" } });
    expect([stored.group, stored.type]).toEqual(["science-journal", "science-journal"]);

    const again = await run("agency", "import", csv, "--update", "--lang", "en");
    expect(again.stdout.trim()).toBe("Summary: 0 added, 3 unchanged, 0 updated, 0 differing from the file but left as they are.");
  });

  it("when a CSV has bad rows, then each problem is a line naming its line and column, in Vietnamese (English with --lang en)", async () => {
    const bad = path.join(dir, "sai.csv");
    writeFileSync(bad, "name,province,group,type\nBáo Sai,Nghệ An,weekly,newspaper\nBáo Thiếu,Nghệ An\n");
    const vi = await run("agency", "import", bad);
    expect(isCleanUserError(vi)).toBe(true);
    expect(vi.errorLines).toEqual([
      'dòng 2: group: phải là một trong các giá trị central-newspaper, local-newspaper, magazine, science-journal, radio-tv (nhận được "weekly")',
      "dòng 3: row: cần 4 cột (name,province,group,type), dòng này có 2",
    ]);
    const en = await run("agency", "import", bad, "--lang", "en");
    expect(en.errorLines).toEqual([
      'line 2: group: must be one of central-newspaper, local-newspaper, magazine, science-journal, radio-tv (got "weekly")',
      "line 3: row: expected 4 fields (name,province,group,type), found 2",
    ]);
    writeFileSync(bad, "name;province;group;type\n");
    expect((await run("agency", "import", bad)).errorLines).toEqual([
      'dòng 1: header: phải đúng là name,province,group,type (tệp ghi "name;province;group;type"); tệp dùng dấu ; giữa các cột, hãy lưu lại với dấu phẩy',
    ]);
  });

  it("when an invite names an agency whose name two provinces share, then the candidates are listed with their ids and no invite is made", async () => {
    const agencies = JSON.parse((await run("list", "agencies", "--json")).stdout) as AgencyJson[];
    const shared = agencies.filter((a) => a.name === "Báo Kiểm Thử").sort((a, b) => a.province.localeCompare(b.province, "vi"));
    expect(shared).toHaveLength(2);

    const vi = await run("invite", "--agency", "báo kiểm thử", "--role", "lead");
    expect(isCleanUserError(vi)).toBe(true);
    expect(vi.errorLines[0]).toBe('--agency: có nhiều cơ quan tên "báo kiểm thử"; hãy chọn một bằng id:');
    for (const a of shared) expect(vi.errorLines).toContain(`  Báo Kiểm Thử (${a.province}): --agency ${a.id}`);

    const en = await run("invite", "--agency", "Báo Kiểm Thử", "--role", "lead", "--lang", "en");
    expect(isCleanUserError(en)).toBe(true);
    expect(en.errorLines[0]).toBe('--agency: several agencies are named "Báo Kiểm Thử"; choose one by its id:');
    expect(en.errorLines).toHaveLength(3);
    expect(await database.db.invite.count()).toBe(0);

    const chosen = await run("invite", "--agency", shared[0]?.id ?? "", "--role", "lead");
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain(`Dành cho: trưởng nhóm của Báo Kiểm Thử (${shared[0]?.province ?? ""})`);
  });
});
