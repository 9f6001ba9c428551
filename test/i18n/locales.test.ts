import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { dossierQuery, parseCommand } from "../../src/domain/conversation/input.js";
import { t } from "../../src/domain/conversation/text.js";
import { createTranslator, loadMessages, type Translator } from "../../src/i18n/translator.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SRC = path.join(ROOT, "src");

type Messages = Readonly<Record<string, string>>;

/** `{ a: { b: "x" } }` → `{ "a.b": "x" }`. */
function flatten(value: unknown, prefix = ""): Record<string, string> {
  if (typeof value === "string") return { [prefix]: value };
  if (typeof value !== "object" || value === null) return { [prefix]: String(value) };
  return Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, prefix === "" ? k : `${prefix}.${k}`))) as Record<string, string>;
}

function readLocale(locale: "vi" | "en"): Messages {
  return flatten(loadMessages(locale));
}

/** Keys in `a` missing from `b`. */
const missingFrom = (a: Messages, b: Messages): string[] => Object.keys(a).filter((k) => !(k in b));

const vi = readLocale("vi");
const en = readLocale("en");

/** Non-test TypeScript under src/, generated Prisma code excluded. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(SRC, "generated") ? [] : sourceFiles(full);
    if (!entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) return [];
    return [full];
  });
}

const parse = (file: string, source: string): ts.SourceFile => ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** Every quoted or back-ticked text in a file (comments and regular expressions are not strings). */
function stringsIn(file: string, source: string): { text: string; line: number }[] {
  const sf = parse(file, source);
  const found: { text: string; line: number }[] = [];
  walk(sf, (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      found.push({ text: node.text, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  });
  return found;
}

const VIETNAMESE = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;

function vietnameseLiterals(file: string, source: string): string[] {
  return stringsIn(file, source)
    .filter((s) => VIETNAMESE.test(s.text))
    .map((s) => `${path.relative(ROOT, file)}:${s.line}: ${JSON.stringify(s.text)}`);
}

/**
 * The values a template-literal key can take, by the expression inside `${…}`. A new template key must be listed
 * here, so the test can check every key it expands to.
 */
const EXPANSIONS: Readonly<Record<string, readonly string[]>> = {
  "spec.unit": ["percent", "count", "vnd"],
  "spec.type": ["yesno", "choice", "multi"],
  "ctx.invite.role": ["member", "lead", "supervisor"],
  "ctx.invite.status": ["expired", "used", "unknown"],
  item: ["continue", "score", "progress", "review", "help", "submit", "lang"],
  "evidence.kind": ["photo", "document", "link"],
};

/** The keys a template such as `answer.notANumber.${spec.unit}` expands to, or an error naming the expression. */
function expandTemplate(node: ts.TemplateExpression): { keys: string[]; unknown: string[] } {
  let keys = [node.head.text];
  const unknown: string[] = [];
  for (const span of node.templateSpans) {
    const expression = span.expression.getText();
    const values = EXPANSIONS[expression];
    if (values === undefined) unknown.push(expression);
    keys = keys.flatMap((k) => (values ?? ["?"]).map((v) => `${k}${v}${span.literal.text}`));
  }
  return { keys, unknown };
}

const NAMESPACES = new Set(Object.keys(vi).map((k) => k.split(".")[0]));

/**
 * Message keys the code can emit: the first argument of every `t(…)` call (string literals, both branches of a
 * `?:`, templates expanded), plus any string or template elsewhere that starts with a locale namespace — keys
 * passed through helpers such as linking.ts's `reply("link.slowDown")`.
 */
function emittedKeys(): { keys: Map<string, string>; problems: string[] } {
  const keys = new Map<string, string>();
  const problems: string[] = [];
  const add = (key: string, where: string) => {
    if (!keys.has(key)) keys.set(key, where);
  };
  for (const file of sourceFiles()) {
    const sf = parse(file, readFileSync(file, "utf8"));
    const where = (node: ts.Node) => `${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const collect = (node: ts.Expression, fromT: boolean): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (fromT || (NAMESPACES.has(node.text.split(".")[0]) && /^[a-z]+(\.[A-Za-z]+)+$/.test(node.text))) add(node.text, where(node));
      } else if (ts.isTemplateExpression(node)) {
        if (!fromT && !NAMESPACES.has(node.head.text.split(".")[0])) return;
        if (!fromT && !node.head.text.includes(".")) return;
        const { keys: expanded, unknown } = expandTemplate(node);
        for (const u of unknown) problems.push(`${where(node)}: add the values of \${${u}} to EXPANSIONS`);
        if (unknown.length === 0) for (const k of expanded) add(k, where(node));
      } else if (ts.isConditionalExpression(node)) {
        collect(node.whenTrue, fromT);
        collect(node.whenFalse, fromT);
      } else if (ts.isParenthesizedExpression(node)) {
        collect(node.expression, fromT);
      }
    };
    walk(sf, (node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "t" && node.arguments[0]) {
        collect(node.arguments[0], true);
      } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
        collect(node, false);
      }
    });
  }
  return { keys, problems };
}

describe("locale files", () => {
  it.each<["vi" | "en", Messages, "vi" | "en", Messages]>([
    ["vi", vi, "en", en],
    ["en", en, "vi", vi],
  ])("when a key exists in %s, then it exists in %s too", (_a, a, _b, b) => {
    expect(missingFrom(a, b)).toEqual([]);
  });

  it("when one language lacks a key, then the comparison names it (the check itself works)", () => {
    const { ["menu.score"]: _dropped, ...withoutOne } = en;
    expect(missingFrom(vi, withoutOne)).toEqual(["menu.score"]);
    expect(missingFrom({ "a.b": "x" }, flatten({ a: { c: "y" } }))).toEqual(["a.b"]);
  });

  it.each(Object.keys(vi))("when %s is translated, then both languages use the same {{placeholders}} and neither is empty", (key) => {
    const placeholders = (s: string | undefined) => [...(s ?? "").matchAll(/\{\{([^}]+)\}\}/g)].map((m) => (m[1] ?? "").replace(/\s/g, "")).sort();
    expect(vi[key]?.trim()).not.toBe("");
    expect(en[key]?.trim()).not.toBe("");
    expect(placeholders(en[key])).toEqual(placeholders(vi[key]));
  });
});

describe("message keys used in src", () => {
  const { keys, problems } = emittedKeys();

  it("when a key is built from a template, then every expression in it has known values", () => {
    expect(problems).toEqual([]);
  });

  it("when the sources are scanned, then the well-known keys are found (the scan itself works)", () => {
    for (const key of ["welcome.unlinked", "answer.allDoneLead", "answer.allDoneMember", "link.slowDown", "link.invalid", "menu.lang", "answer.notANumber.vnd", "evidence.saved.link"]) {
      expect(keys.has(key), key).toBe(true);
    }
  });

  it.each(["vi", "en"] as const)("when the engine or app emits a key, then it exists in %s", (locale) => {
    const messages = locale === "vi" ? vi : en;
    const missing = [...keys].filter(([key]) => !(key in messages)).map(([key, where]) => `${key} (${where})`);
    expect(missing).toEqual([]);
  });
});

describe("user-facing text written directly in src", () => {
  it.each<[string, string, number]>([
    ["a Vietnamese string", `const greeting = "Xin chào";`, 1],
    ["a Vietnamese template", "const x = `Điểm: ${n}`;", 1],
    ["Vietnamese in a line comment", `// Gõ “điểm” để xem\nconst a = 1;`, 0],
    ["Vietnamese in a doc comment", `/** "có"/"không" */\nconst a = 1;`, 0],
    ["a regular expression with đ", `const folded = s.replace(/[đĐ]/g, "d");`, 0],
    ["plain ASCII words", `const WORDS = { "tiep tuc": "continue" };`, 0],
  ])("when a file holds %s, then the check reports %d finding(s) (the check itself works)", (_case, source, count) => {
    expect(vietnameseLiterals("sample.ts", source)).toHaveLength(count);
  });

  it("when the non-test sources under src/ are scanned, then no string literal holds Vietnamese text", () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((file) => vietnameseLiterals(file, readFileSync(file, "utf8")))).toEqual([]);
  });
});

describe("Vietnamese wording", () => {
  it.each<[string, string]>([
    ["welcome.unlinked", "tự động"],
    ["welcome.unlinked", "chatbot"],
    ["answer.yes", "Có"],
    ["answer.no", "Không"],
    ["question.progress", "{{number}}/{{count}} · {{id}} · {{max}} điểm"],
    ["question.currentAnswer", "Câu trả lời hiện tại:"],
    ["menu.score", "Xem điểm"],
    ["link.next", "“tiếp tục”"],
    ["window.closed", "Thời hạn nhập liệu đã kết thúc"],
  ])("when %s is read in Vietnamese, then it contains %j with its diacritics", (key, phrase) => {
    expect(vi[key]).toContain(phrase);
  });

  it.each([
    ...Object.entries(vi).map(([key, value]) => ["vi", key, value] as const),
    ...Object.entries(en).map(([key, value]) => ["en", key, value] as const),
  ].flatMap(([locale, key, value]) =>
    [...value.matchAll(/“([^”]+)”/g)]
      .map((m) => m[1] ?? "")
      .filter((word) => !word.includes("{{") && !/^[\d\s]+$/.test(word))
      .map((word) => [locale, key, word] as const),
  ))("when the %s text %s tells people to type %j, then the engine understands it as a command", (_locale, _key, word) => {
    // A supervisor's "hồ sơ 3" is read by dossierQuery (for everyone else "hồ sơ …" is more likely an answer).
    const parsed = parseCommand(word) ?? (dossierQuery(word) === null ? null : { name: "dossier" });
    expect(parsed).not.toBeNull();
    expect(parsed?.name).not.toBe("unknown");
  });

  it.each(["vi", "en"] as const)("when the %s help is read, then each command is listed once (the plan no longer twice)", (locale) => {
    const help = (locale === "vi" ? vi : en)["help.commands"] ?? "";
    const commands = [...help.matchAll(/\((\/\w+)/g)].map((m) => m[1]);
    expect(commands.filter((c) => c === "/plan")).toHaveLength(1);
    expect(new Set(commands).size).toBe(commands.length);
  });

  it.each(["vi", "en"] as const)("when the period's name starts with “Kỳ” (or “Period”), then no %s text says it twice", (locale) => {
    // Period names are the operator's (“Kỳ đánh giá 2025”, “Năm 2025”): texts name the period as it is, reminders too.
    const doubled = Object.entries(locale === "vi" ? vi : en).filter(([, value]) => /(kỳ|period) \{\{period\}\}/i.test(value));
    expect(doubled).toEqual([]);
  });

  it.each(["vi", "en"] as const)("when the %s supervisor help is read, then it names every supervisor command, adding agencies and inviting their leads too", (locale) => {
    const help = (locale === "vi" ? vi : en)["results.supervisor.help"] ?? "";
    const commands = [...help.matchAll(/\((\/\w+)[ )]/g)].map((m) => m[1]);
    expect(commands).toEqual(["/overview", "/nudge", "/export", "/dossier", "/addagency", "/invite", "/lang"]);
    const pairs = [...help.matchAll(/• ([^(\n]+?) \((\/\w+)/g)].map((m) => [(m[1] ?? "").trim().replace(/ \d+$/, ""), m[2] ?? ""] as const);
    for (const [word, command] of pairs) expect(parseCommand(word)?.name, `${word} → ${command}`).toBe(parseCommand(command)?.name);
  });

  it.each(["vi", "en"] as const)("when the %s help lists “word (/command)”, then each word means the same as its command", (locale) => {
    const help = (locale === "vi" ? vi : en)["help.commands"] ?? "";
    const pairs = [...help.matchAll(/([^•,:\n()]+?) \((\/\w+)\)/g)].map((m) => [(m[1] ?? "").trim(), m[2] ?? ""] as const);
    expect(pairs.length).toBeGreaterThanOrEqual(10);
    for (const [word, command] of pairs) expect(parseCommand(word)?.name, `${word} → ${command}`).toBe(parseCommand(command)?.name);
  });
});

describe("rendering with the translator", () => {
  let translator: Translator;
  beforeAll(async () => {
    translator = await createTranslator();
  });

  const endOfEntry = new Date("2024-11-15T16:59:59Z");

  it.each<[string, string, string]>([
    ["window.closed", "closed", "23:59 15/11/2024"],
    ["window.notOpen", "opens", "23:59 15/11/2024"],
    ["progress.window", "closes", "23:59 15/11/2024"],
    ["reopen.windowClosed", "closed", "23:59 15/11/2024"],
    ["window.submitted", "when", "23:59 15/11/2024"],
    ["window.submittedLead", "when", "23:59 15/11/2024"],
  ])("when %s gets a Date, then it reads dd/mm/yyyy in Vietnam time in both languages", (key, name, expected) => {
    for (const locale of ["vi", "en"] as const) {
      const rendered = translator.text(locale, t(key, { [name]: endOfEntry }));
      expect(rendered).toContain(expected);
      expect(rendered).not.toMatch(/GMT|2024-11-15|\{\{/);
    }
  });

  it("when a date falls after 17:00 UTC, then the Vietnamese day is the next day", () => {
    expect(translator.text("vi", t("window.closed", { closed: new Date("2024-12-31T17:30:00Z") }))).toContain("00:30 01/01/2025");
  });

  it.each<["vi" | "en", string]>([
    ["vi", "73,5/100"],
    ["en", "73.5/100"],
  ])("when a score of 73.5 is rendered in %s, then it reads %s", (locale, expected) => {
    expect(translator.text(locale, t("score.total", { total: 73.5, max: 100, level: "L" }))).toContain(expected);
  });

  it.each<["vi" | "en", string]>([
    ["vi", "✓ 45,5% (1,5/3)"],
    ["en", "✓ 45.5% (1.5/3)"],
  ])("when an answer confirmation with a nested text is rendered in %s, then it reads %j", (locale, expected) => {
    const saved = t("answer.saved", { id: "P1.1.3", answer: t("answer.number.percent", { value: 45.5 }), score: 1.5, max: 3 });
    expect(translator.text(locale, saved)).toBe(expected);
  });

  it("when a reply with choices is rendered, then the paragraphs are joined by a blank line and choice labels are translated", () => {
    const rendered = translator.reply("vi", {
      paragraphs: [t("menu.title"), { kind: "literal", text: "x" }],
      choices: [{ value: "yes", label: t("answer.yes") }, { value: "no", label: t("answer.no"), selected: true }],
      questionId: "confirm",
    });
    expect(rendered).toEqual({
      text: `${vi["menu.title"]}\n\nx`,
      choices: [
        { value: "yes", label: "Có", selected: false },
        { value: "no", label: "Không", selected: true },
      ],
      questionId: "confirm",
    });
  });
});
