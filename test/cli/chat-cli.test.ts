import { spawnSync } from "node:child_process";
import { loadDefinitionFile } from "../../src/definitions/definition-files.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
    const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, "app.db")}` };
    const chat = spawnSync("npm", ["run", "--silent", "chat"], { cwd: root, env, input: `${lines.join("\n")}\n`, encoding: "utf8", timeout: 120_000 });
    expect(chat.stderr).not.toMatch(/Error|at .*\.ts/);
    expect(chat.status).toBe(0);
    expect(chat.stdout).toContain("Đã tạo dữ liệu dùng thử");
    expect(chat.stdout).toContain("Đơn vị đã trả lời tất cả các tiêu chí");
    expect(chat.stdout).not.toContain("Chưa rõ phương án");

    const answersFile = path.join(dir, "answers.json");
    writeFileSync(answersFile, JSON.stringify(answers));
    const score = spawnSync("npm", ["run", "--silent", "score", "--", "--definition", definitionFile, "--answers", answersFile], {
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
