import { loadDefinitionFile } from "../../src/definitions/definition-files.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerValue } from "../../src/domain/questionnaire/answer-value.js";
import { scoreAssessment, scoreToJson } from "../../src/domain/questionnaire/scoring.js";
import { score as scoreMain } from "../../src/cli/score.js";
import { runInProcess } from "./in-process.js";
import type { CliRun } from "./run-cli.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DEFINITION_2024 = path.join(ROOT, "definitions", "press-dx-1827-2024.json");
const INVALID_DEFINITION = path.join(ROOT, "test", "fixtures", "definitions", "invalid-option-above-max.json");

/** Runs the real `score` command in this process, as an operator would run it (only DEFAULT_LOCALE unset). */
async function score(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runInProcess(scoreMain, args, env);
}

const stderrLines = (run: CliRun): string[] => run.errorLines;

let dir = "";
const file = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "score-cli-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeAnswers(name: string, answers: unknown): string {
  writeFileSync(file(name), JSON.stringify(answers));
  return file(name);
}

describe("score command", () => {
  it("when the answers are valid, then it prints one JSON object equal to the library's result and exits 0", async () => {
    // Hand-computed on press-dx-1827-2024: P1.1.1 yes 3, P1.1.2 "b" 1.5, P1.1.3 70% → band 70 = 2,
    // P2.1.2 a + c = 1 + 0.5, P2.1.4 linear 45.5% of 2 = 0.91, P5.1.4 no = 0. Total 8.91, 6 answered.
    const answers: Record<string, AnswerValue> = {
      "P1.1.1": true,
      "P1.1.2": "b",
      "P1.1.3": 70,
      "P2.1.2": ["a", "c"],
      "P2.1.4": 45.5,
      "P5.1.4": false,
    };
    const run = await score(["--definition", DEFINITION_2024, "--answers", writeAnswers("valid.json", answers)]);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const printed: unknown = JSON.parse(run.stdout);

    const definition = loadDefinitionFile(DEFINITION_2024);
    expect(printed).toEqual(scoreToJson(definition, scoreAssessment(definition, new Map(Object.entries(answers)))));

    expect(printed).toMatchObject({
      definition: "press-dx-1827-2024",
      total: 8.91,
      maxScore: 100,
      level: { id: "weak", name: { vi: "Yếu", en: "Weak" } },
      answered: 6,
      criteria: 43,
    });
    expect(printed).toHaveProperty("pillars.0", {
      id: "P1",
      score: 6.5,
      maxScore: 18,
      indicators: [
        { id: "P1.1", score: 6.5, maxScore: 9 },
        { id: "P1.2", score: 0, maxScore: 9 },
      ],
    });
    expect(printed).toHaveProperty("pillars.1.indicators.0", { id: "P2.1", score: 2.41, maxScore: 12 });
    expect(Object.keys(printed as object).sort()).toEqual(["answered", "criteria", "definition", "level", "maxScore", "pillars", "total"]);
  });

  it("when an answers file has several problems, then every one is a line naming its criterion, in the file's order", async () => {
    const answers = { "P1.1.1": "có", "P1.1.2": "b", "P9.9.9": true, "P2.1.4": 120, "P3.2.3": null, "P2.1.2": ["a", "a"] };
    const run = await score(["--definition", DEFINITION_2024, "--answers", writeAnswers("several.json", answers), "--lang", "en"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(stderrLines(run)).toEqual([
      "P1.1.1: expected true or false",
      "P9.9.9: unknown criterion in press-dx-1827-2024",
      "P2.1.4: 120 is above the maximum 100",
      "P2.1.2: an option is chosen more than once",
    ]);
  });

  // [situation, what the stderr line must mention, the command's arguments]
  it.each<[string, string[], () => string[]]>([
    [
      "an answer names an unknown criterion",
      ["P9.9.9", "unknown criterion"],
      () => ["--definition", DEFINITION_2024, "--answers", writeAnswers("unknown.json", { "P1.1.1": true, "P9.9.9": 1 })],
    ],
    [
      "an answer has the wrong kind",
      ["P1.1.1", "expected true or false"],
      () => ["--definition", DEFINITION_2024, "--answers", writeAnswers("kind.json", { "P1.1.1": "yes" })],
    ],
    [
      "a number answer is out of range",
      ["P2.1.4", "above the maximum 100"],
      () => ["--definition", DEFINITION_2024, "--answers", writeAnswers("range.json", { "P2.1.4": 120 })],
    ],
    [
      "the definition file breaks a rule",
      ["pillars[0].indicators[0].criteria[1].answer.options[1].score", "greater than the criterion's maxScore (3 > 2)"],
      () => ["--definition", INVALID_DEFINITION, "--answers", writeAnswers("empty.json", {})],
    ],
    ["the --answers flag is missing", ["--answers", "required"], () => ["--definition", DEFINITION_2024]],
    [
      "the answers file is not JSON",
      ["broken.json", "not valid JSON"],
      () => {
        writeFileSync(file("broken.json"), '{ "P1.1.1": tru');
        return ["--definition", DEFINITION_2024, "--answers", file("broken.json")];
      },
    ],
    [
      "the definition file does not exist",
      ["missing.json", "file not found"],
      () => ["--definition", file("missing.json"), "--answers", writeAnswers("empty.json", {})],
    ],
  ])("when %s (in English), then it exits 2 with one stderr line mentioning %j and no stack trace", async (_case, mentions, args) => {
    const run = await score([...args(), "--lang", "en"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = stderrLines(run);
    expect(lines).toHaveLength(1);
    for (const mention of mentions) expect(lines[0]).toContain(mention);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("when an answers file has several problems and no language is given, then every reason is in Vietnamese (DEFAULT_LOCALE=en gives English)", async () => {
    const answers = { "P1.1.1": "có", "P9.9.9": true, "P2.1.4": 120.5, "P2.1.2": ["a", "a"], "P1.1.2": "z", "P1.1.3": "x" };
    const args = ["--definition", DEFINITION_2024, "--answers", writeAnswers("vi.json", answers)];
    const run = await score(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(stderrLines(run)).toEqual([
      "P1.1.1: cần true hoặc false",
      "P9.9.9: không có tiêu chí này trong press-dx-1827-2024",
      "P2.1.4: 120,5 lớn hơn mức tối đa 100",
      "P2.1.2: có phương án được chọn nhiều lần",
      'P1.1.2: không có phương án "z" (chỉ có: a, b, c)',
      "P1.1.3: cần một số",
    ]);
    const english = await score(args, { DEFAULT_LOCALE: "en" });
    expect(stderrLines(english)[2]).toBe("P2.1.4: 120.5 is above the maximum 100");
    expect(stderrLines(english)[4]).toBe('P1.1.2: unknown option "z" (expected one of a, b, c)');
  });

  it.each<[string, () => string[], () => string]>([
    ["the --answers flag is missing", () => ["--definition", DEFINITION_2024], () => "--answers: bắt buộc (tệp câu trả lời)"],
    ["the answers file is not an object", () => ["--definition", DEFINITION_2024, "--answers", writeAnswers("list.json", [1])], () => `${file("list.json")}: cần một đối tượng JSON ghép mã tiêu chí với câu trả lời`],
    ["the answers file does not exist", () => ["--definition", DEFINITION_2024, "--answers", file("none.json")], () => `${file("none.json")}: không tìm thấy tệp`],
    [
      "the definition file breaks a rule",
      () => ["--definition", INVALID_DEFINITION, "--answers", writeAnswers("empty.json", {})],
      () => `${INVALID_DEFINITION}: pillars[0].indicators[0].criteria[1].answer.options[1].score: lớn hơn điểm tối đa của tiêu chí (3 > 2)`,
    ],
    ["a flag is mistyped", () => ["--definition", DEFINITION_2024, "--answer", "x.json"], () => "Không có tham số --answer; có phải ý anh/chị là --answers? Xem các tham số: score --help"],
    ["an extra word is given", () => ["now", "--definition", DEFINITION_2024], () => 'Thừa "now". Cách dùng: score --definition <tệp.json|tệp.xlsx> --answers <tệp-trả-lời.json>'],
  ])("when %s, then the one error line is in Vietnamese", async (_case, args, line) => {
    const run = await score(args());
    expect([run.code, run.stdout, stderrLines(run)]).toEqual([2, "", [line()]]);
  });

  it("when a flag is mistyped with --lang en, then the suggestion is in English", async () => {
    const run = await score(["--definition", DEFINITION_2024, "--answer", "x.json", "--lang", "en"]);
    expect(stderrLines(run)).toEqual(["unknown flag --answer; did you mean --answers? See the flags: score --help"]);
  });

  it.each<["vi" | "en", string[], string[]]>([
    ["vi", ["--help"], ["Tính điểm một tệp câu trả lời", "Cách dùng: score --definition", "  --answers  tệp câu trả lời", "Ví dụ:", "  npm run --silent score -- --definition"]],
    ["en", ["--help", "--lang", "en"], ["Scores an answers file", "Usage: score --definition", "  --answers  the answers file", "Example:", "  npm run --silent score -- --definition"]],
  ])("when --help is asked in %s, then it lists the flags and one example and exits 0", async (_lang, args, parts) => {
    const run = await score(args);
    expect([run.code, run.stderr]).toEqual([0, ""]);
    for (const part of parts) expect(run.stdout).toContain(part);
  });
});
