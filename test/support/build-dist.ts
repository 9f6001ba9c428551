import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Vitest global set-up: compiles src into dist once per run (incremental, seconds when nothing changed), so tests that
 * start the service exactly as production does (`node dist/main.js`) run the code under test, never a stale build.
 */
export default function buildDist(): void {
  const root = path.resolve(import.meta.dirname, "..", "..");
  execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
}
