import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The house rule of docs/architecture.md: no import circle in src (type imports included — a circle of types is still
 * a knot a reader must untie), and each file in src stays small enough to read in one sitting.
 */

const root = path.resolve(import.meta.dirname, "..", "..", "src");
const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+["'](\.{1,2}\/[^"']+)["']/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => path.resolve(path.dirname(file), (m[1] as string).replace(/\.js$/, ".ts")));
}

/** The first circle found by a depth-first walk, as the files in it; null when there is none. */
function findCircle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const trail: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === "done") return null;
    if (state.get(file) === "open") return [...trail.slice(trail.indexOf(file)), file];
    state.set(file, "open");
    trail.push(file);
    for (const next of graph.get(file) ?? []) {
      const circle = visit(next);
      if (circle) return circle;
    }
    trail.pop();
    state.set(file, "done");
    return null;
  };
  for (const file of graph.keys()) {
    const circle = visit(file);
    if (circle) return circle;
  }
  return null;
}

describe("the shape of src", () => {
  const files = sourceFiles(root);
  const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => files.includes(target))]));

  it("when every relative import in src is followed, then no file comes back to itself", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
    expect(findCircle(graph)?.map((file) => path.relative(root, file)) ?? null).toBeNull();
  });

  it("when the walk is given a circle, then it finds it (the check can fail)", () => {
    expect(findCircle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]]))).toEqual(["a", "b", "c", "a"]);
  });

  it("when the files in src are counted, then none is over 350 lines", () => {
    const long = files.map((file) => ({ file: path.relative(root, file), lines: readFileSync(file, "utf8").split("\n").length })).filter((f) => f.lines > 350);
    expect(long).toEqual([]);
  });
});
