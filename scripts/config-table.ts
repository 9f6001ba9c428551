/**
 * Prints the configuration table built from src/config.ts, or with --write puts it into README.md and
 * docs/operator-commands.md between their markers (see src/config-table.ts).
 *
 *   npx tsx scripts/config-table.ts [--write]
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configTable, withConfigTable } from "../src/config-table.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const table = configTable();
if (!process.argv.includes("--write")) {
  console.log(table);
} else {
  for (const name of ["README.md", "docs/operator-commands.md"]) {
    const file = path.join(root, name);
    const before = readFileSync(file, "utf8");
    const after = withConfigTable(before, table);
    if (after !== before) writeFileSync(file, after);
    console.log(`${name}: ${after === before ? "unchanged" : "updated"}`);
  }
}
