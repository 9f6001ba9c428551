import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "../../src/config.js";
import { TABLE_END, TABLE_START, configTable, withConfigTable } from "../../src/config-table.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The configuration table of a document: what sits between its markers. */
function tableIn(document: string): string | null {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  return start < 0 || end < start ? null : document.slice(start + TABLE_START.length, end).trim();
}

describe("the configuration table", () => {
  it("when it is built from the schema, then it has one row per variable, METRICS_TOKEN included", () => {
    const rows = configTable().split("\n").slice(2);
    expect(rows.map((r) => /^\| `([A-Z_]+)` \|/.exec(r)?.[1])).toEqual(CONFIG_VARIABLES);
    expect(configTable()).toContain("| `PORT` | `3000` | HTTP port |");
    expect(configTable()).toContain("| `METRICS_TOKEN` | — (open) |");
  });

  it.each(["README.md", "docs/operator-commands.md"])("when %s is read, then its table is the generated one (else: npx tsx scripts/config-table.ts --write)", (name) => {
    const document = readFileSync(path.join(ROOT, name), "utf8");
    expect(tableIn(document)).toBe(configTable());
  });

  it("when a document's table has drifted, then the check sees it and the writer mends it", () => {
    const drifted = `intro\n${TABLE_START}\n| variable | default | meaning |\n|---|---|---|\n| \`PORT\` | \`8080\` | old |\n${TABLE_END}\nafter`;
    expect(tableIn(drifted)).not.toBe(configTable());
    expect(tableIn(withConfigTable(drifted, configTable()))).toBe(configTable());
    expect(withConfigTable(drifted, configTable())).toMatch(/^intro\n[\s\S]*\nafter$/);
  });
});
