import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shippedDefinitionFiles } from "../../src/definitions/definition-files.js";
import { readJsonFile } from "../../src/shared/read-json-file.js";
import { definitions as definitionsMain } from "../../src/cli/definitions.js";
import { runInProcess } from "./in-process.js";
import { isCleanUserError } from "./run-cli.js";

describe("definitions command", () => {
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string): string => path.join(dir, name);
  const definitions = (...args: string[]) => runInProcess(definitionsMain, args, env);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "pdx-definitions-cli-"));
    env = { DATABASE_URL: `file:${file("app.db")}`, DEFAULT_LOCALE: "en" };
    const shipped = readJsonFile(shippedDefinitionFiles().find((f) => f.endsWith("press-dx-1827-2024.json")) ?? "") as {
      id: string;
      title: { vi: string };
      pillars: { maxScore: number }[];
    };
    writeFileSync(file("copy.json"), JSON.stringify({ ...shipped, id: "test-copy-2024" }));
    writeFileSync(file("conflict.json"), JSON.stringify({ ...shipped, id: "test-copy-2024", title: { ...shipped.title, vi: "Khác" } }));
    const broken = structuredClone(shipped);
    (broken.pillars[0] as { maxScore: number }).maxScore += 1;
    writeFileSync(file("broken.json"), JSON.stringify(broken, null, 2));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("when files are validated, then a valid one passes and every problem of a broken one is a path-named line", async () => {
    const [asJson, asText, broken] = await Promise.all([
      definitions("validate", file("copy.json"), "--json"),
      definitions("validate", file("copy.json")),
      definitions("validate", file("broken.json")),
    ]);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toEqual({ valid: true, id: "test-copy-2024", criteria: 43, maxScore: 100 });
    expect(asText).toMatchObject({ code: 0, stdout: "OK test-copy-2024 (43 criteria, max score 100)\n" });

    expect(isCleanUserError(broken)).toBe(true);
    expect(broken.errorLines).toHaveLength(2);
    expect(broken.errorLines[0]).toMatch(new RegExp(`^${file("broken.json")}: pillars\\[0\\]\\.maxScore: must equal the sum of its criteria's maxScore`));
    expect(broken.errorLines[1]).toMatch(new RegExp(`^${file("broken.json")}: maxScore: must equal the sum of the pillars' maxScore`));
  });

  it("when a file is imported twice and then changed under the same id, then it is imported, unchanged, then refused", async () => {
    const first = await definitions("import", file("copy.json"), "--json");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: "imported", id: "test-copy-2024", criteria: 43, maxScore: 100 });

    const again = await definitions("import", file("copy.json"), "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ status: "unchanged", id: "test-copy-2024" });

    const conflict = await definitions("import", file("conflict.json"));
    expect(isCleanUserError(conflict)).toBe(true);
    expect(conflict.errorLines).toEqual(["a different definition with id test-copy-2024 is already stored; give the new file a new id"]);

    const list = await definitions("list", "--json");
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { id: string; title: string; official: boolean; criteria: number; importedAt: string }[];
    expect(listed.map((d) => d.id).sort()).toEqual(["press-dx-1827-2024", "press-dx-951-2023", "test-copy-2024"]);
    expect(listed.find((d) => d.id === "test-copy-2024")).toMatchObject({ official: false, criteria: 43, title: expect.stringContaining("1827") });
    expect(listed.every((d) => !Number.isNaN(Date.parse(d.importedAt)))).toBe(true);
  });

  it("when an operator works in Vietnamese (the default), then the template says where it wrote and how to check it", async () => {
    const vi = { DATABASE_URL: env.DATABASE_URL ?? "" };
    const written = await runInProcess(definitionsMain, ["template", "--out", file("mau.xlsx")], vi);
    expect(written.stdout).toBe(`Đã ghi bảng tính mẫu vào ${file("mau.xlsx")}. Điền xong, kiểm tra bằng: npm run --silent definitions -- validate "${file("mau.xlsx")}"\n`);
    const valid = await runInProcess(definitionsMain, ["validate", file("copy.json")], vi);
    expect(valid.stdout).toBe("Hợp lệ: test-copy-2024 (43 tiêu chí, tổng điểm tối đa 100)\n");
    const help = await runInProcess(definitionsMain, ["export", "--help"], vi);
    expect(help.stdout).toContain("--format  xlsx hoặc json (không bắt buộc khi --out có đuôi .xlsx/.json)");
  });

  it("when the command or a flag is wrong, then one line explains it and the exit code is 2", async () => {
    const runs = await Promise.all([definitions("frobnicate"), definitions("list", "--verbose"), definitions("validate"), definitions("validate", file("missing.json"))]);
    for (const run of runs) {
      expect(isCleanUserError(run)).toBe(true);
      expect(run.errorLines).toHaveLength(1);
    }
    expect(runs.map((r) => r.errorLines[0])).toEqual([
      'unknown command "definitions frobnicate"; see the commands: definitions --help',
      "unknown flag --verbose; see the flags: definitions list --help",
      "usage: definitions validate <file.json|file.xlsx>",
      `${file("missing.json")}: file not found`,
    ]);
  });

  it("when the file to read is missing or is not JSON, then the one line says so in Vietnamese", async () => {
    writeFileSync(file("hong.json"), '{ "id": ');
    const runs = await Promise.all([
      definitions("validate", file("khong-co.json"), "--lang", "vi"),
      definitions("validate", file("hong.json"), "--lang", "vi"),
      definitions("validate", file("khong-co.xlsx"), "--lang", "vi"),
    ]);
    for (const run of runs) expect(isCleanUserError(run)).toBe(true);
    expect(runs[0]?.errorLines).toEqual([`${file("khong-co.json")}: không tìm thấy tệp`]);
    expect(runs[1]?.errorLines).toHaveLength(1);
    expect(runs[1]?.errorLines[0]?.startsWith(`${file("hong.json")}: không phải JSON hợp lệ (`)).toBe(true);
    expect(runs[2]?.errorLines).toEqual([`${file("khong-co.xlsx")}: không tìm thấy tệp`]);
  });
});
