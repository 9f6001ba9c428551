import { spawnSync } from "node:child_process";
import { loadDefinitionFile } from "../../src/definitions/definition-files.js";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AnswerValue } from "../../src/domain/questionnaire/answer-value.js";
import { listCriteria } from "../../src/domain/questionnaire/definition-index.js";
import type { Criterion } from "../../src/domain/questionnaire/definition-schema.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const definitionFile = path.join(root, "definitions", "press-dx-1827-2024.json");
const definition = loadDefinitionFile(definitionFile);

/** What a person types for a criterion, and the value the scoring command should receive for it. */
function scripted(criterion: Criterion, i: number): { lines: string[]; value: AnswerValue } {
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return i % 3 === 0 ? { lines: ["không"], value: false } : { lines: ["Có"], value: true };
    case "choice": {
      const n = (i % spec.options.length) + 1;
      return { lines: [String(n)], value: spec.options[n - 1]?.id ?? "" };
    }
    case "multi":
      // A typed list saves at once; "xong" at its end changes nothing.
      return { lines: [i % 2 === 0 ? "1 3" : "1, 3 xong"], value: [spec.options[0]?.id ?? "", spec.options[2]?.id ?? ""] };
    case "number":
      return spec.unit === "percent" ? { lines: ["45,5%"], value: 45.5 } : { lines: ["1.000"], value: 1000 };
  }
}

const dir = mkdtempSync(path.join(tmpdir(), "pdx-chat-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run chat with piped input", () => {
  it("when a whole assessment is piped in, then it reaches the end and the score equals the scoring command's", () => {
    const answers: Record<string, AnswerValue> = {};
    const lines = ["tiếp tục"];
    listCriteria(definition).forEach(({ criterion }, i) => {
      const step = scripted(criterion, i);
      lines.push(...step.lines);
      answers[criterion.id] = step.value;
    });
    lines.push("điểm");
    const chat = spawnSync("npm", ["run", "--silent", "chat", "--", "--database", `file:${path.join(dir, "app.db")}`], {
      cwd: root,
      input: `${lines.join("\n")}\n`,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(chat.stderr).not.toMatch(/Error|at .*\.ts/);
    expect(chat.status).toBe(0);
    expect(chat.stdout).toContain("Đã tạo dữ liệu dùng thử");
    expect(chat.stdout).toContain("Dữ liệu dùng thử được đánh dấu riêng");
    expect(chat.stdout).toContain("Đơn vị đã trả lời tất cả các tiêu chí");
    expect(chat.stdout).not.toContain("Chưa rõ phương án");

    const answersFile = path.join(dir, "answers.json");
    writeFileSync(answersFile, JSON.stringify(answers));
    const score = spawnSync(process.execPath, [path.join(root, "dist", "cli", "score.js"), "--definition", definitionFile, "--answers", answersFile], {
      cwd: root,
      encoding: "utf8",
    });
    expect(score.status).toBe(0);
    const expected = JSON.parse(score.stdout) as { total: number; answered: number; level: { name: { vi: string } } };
    expect(expected.answered).toBe(43);
    const total = /Tổng điểm: ([\d,]+)\/100 · Mức: (.+)/.exec(chat.stdout);
    expect(total?.[1]).toBe(String(expected.total).replace(".", ","));
    expect(total?.[2]).toBe(expected.level.name.vi);
  }, 180_000);
});

/** The compiled commands (built once by the slow lane's set-up): tsx would compile the TypeScript for every run. */
const ADMIN = path.join(root, "dist", "cli", "admin.js");

/** The terminal chat run as a newcomer would, from `cwd`, with only PATH, HOME and the given variables. */
function chatIn(cwd: string, input: string, env: Record<string, string>, args: readonly string[] = []) {
  return spawnSync(process.execPath, [path.join(root, "dist", "cli", "chat.js"), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    input,
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("the terminal chat's demo stays apart from the service's data", () => {
  it("when no database is named, then the chat uses its own file even with DATABASE_URL set, and prints its texts in the person's language", () => {
    const cwd = mkdtempSync(path.join(dir, "fresh-"));
    const service = path.join(cwd, "service.db");
    const chat = chatIn(cwd, "/lang en\nđiểm\n", { DATABASE_URL: `file:${service}` });
    expect(chat.stderr).toBe("");
    expect(chat.status).toBe(0);
    expect(chat.stdout).toContain(`Dữ liệu dùng thử được lưu riêng trong tệp ${path.join(cwd, "data", "chat.db")}`);
    expect(existsSync(path.join(cwd, "data", "chat.db"))).toBe(true);
    expect(existsSync(service)).toBe(false);
    // The picture's line follows the person's language, not the service's default.
    expect(chat.stdout).toMatch(/Score card picture saved to: .+\.png/);
    expect(chat.stdout).not.toContain("Ảnh kết quả đã được lưu tại");
  }, 180_000);

  it("when the service's database is named, then the demo is flagged, listed as such, and admin demo remove deletes it only when confirmed", () => {
    const cwd = mkdtempSync(path.join(dir, "named-"));
    const url = `file:${path.join(cwd, "app.db")}`;
    const chat = chatIn(cwd, "1\n", {}, ["--database", url]);
    expect(chat.status).toBe(0);
    const admin = (...args: string[]) =>
      spawnSync(process.execPath, [ADMIN, ...args], { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: url, DEFAULT_LOCALE: "en" }, encoding: "utf8", timeout: 120_000 });

    const agencies = admin("list", "agencies");
    expect(agencies.stdout).toMatch(/Báo Điện tử Dùng thử {2}\[demo\]\n/);
    const unconfirmed = admin("demo", "remove");
    expect(unconfirmed.status).toBe(2);
    expect(unconfirmed.stderr).toMatch(/^the demo holds 1 province, 1 agency, 1 period, 1 assessment, \d+ answers?, 1 person; nothing removed: run "admin demo remove --yes" to delete it\n$/);
    expect(admin("list", "agencies").stdout).toContain("Dùng thử");

    const removed = admin("demo", "remove", "--yes", "--json");
    expect(removed.status).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ removed: { provinces: 1, agencies: 1, periods: 1, people: 1 } });
    expect(admin("list", "agencies").stdout).toBe("no agencies\n");
    const again = admin("demo", "remove", "--yes");
    expect([again.status, again.stdout]).toEqual([0, "no demo data: nothing to remove\n"]);
  }, 240_000);
});

describe("the terminal chat's own messages: Vietnamese by default, --lang en", () => {
  it("when started with --lang en, then the demo is introduced in English", () => {
    const cwd = mkdtempSync(path.join(dir, "english-"));
    const chat = chatIn(cwd, "", {}, ["--lang", "en"]);
    expect([chat.status, chat.stderr]).toEqual([0, ""]);
    expect(chat.stdout).toContain("Demo data created: the press agency “Demo Online Newspaper”");
    expect(chat.stdout).toContain(`The demo data is kept apart, in the file ${path.join(cwd, "data", "chat.db")}`);
  }, 180_000);

  it.each<[string, string[], string]>([
    ["a mistyped flag", ["--databse", "file:x.db"], "Không có tham số --databse; có phải ý anh/chị là --database? Xem các tham số: chat --help"],
    ["an empty database", ["--database", " "], "--database: không được để trống (file:<đường dẫn> hoặc một địa chỉ postgresql://)"],
    ["a mistyped flag in English", ["--databse", "file:x.db", "--lang", "en"], "unknown flag --databse; did you mean --database? See the flags: chat --help"],
  ])("when given %s, then one line says so and nothing is created", (_case, args, line) => {
    const cwd = mkdtempSync(path.join(dir, "wrong-"));
    const chat = chatIn(cwd, "", {}, args);
    expect([chat.status, chat.stdout, chat.stderr]).toEqual([2, "", `${line}\n`]);
    expect(existsSync(path.join(cwd, "data"))).toBe(false);
  }, 60_000);

  it.each<["vi" | "en", string[], string]>([
    ["vi", [], "  --database  cơ sở dữ liệu (mặc định file:./data/chat.db"],
    ["en", ["--lang", "en"], "  --database  the database (default file:./data/chat.db"],
  ])("when --help is asked in %s, then the flags and an example are shown", (_lang, lang, line) => {
    const chat = chatIn(dir, "", {}, ["--help", ...lang]);
    expect(chat.status).toBe(0);
    expect(chat.stdout).toContain(line);
    expect(chat.stdout).toContain("  npm run chat -- --lang en");
  }, 60_000);
});
