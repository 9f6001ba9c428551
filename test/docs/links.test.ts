import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DOCUMENTS = ["README.md", ...readdirSync(path.join(ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

/** Markdown links and images: `[text](target)`, without the `#anchor`. */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => (match[1] ?? "").split("#")[0] ?? "").filter((target) => target !== "");
}

describe("README and docs", () => {
  it.each(DOCUMENTS)("when %s is read from a fresh clone, then every link points to a file of the repository", (document) => {
    const text = readFileSync(path.join(ROOT, document), "utf8");
    const targets = linkTargets(text);
    for (const target of targets) {
      expect(target, `${document} links outside the repository`).not.toMatch(/^[a-z]+:/i);
      expect(existsSync(path.resolve(ROOT, path.dirname(document), target)), `${document} → ${target}`).toBe(true);
    }
    expect(text).not.toMatch(/shared\/(spec|notes)|\/work\//);
  });

  it("when the README is read, then it links the definition format, the workbook, the answers file and the command reference", () => {
    const targets = linkTargets(readFileSync(path.join(ROOT, "README.md"), "utf8"));
    expect(targets).toEqual(expect.arrayContaining(["docs/definition-format.md", "docs/definition-workbook.md", "docs/answers-file.md", "docs/operator-commands.md"]));
  });
});
