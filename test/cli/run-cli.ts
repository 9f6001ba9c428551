import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stderr split into its non-empty lines */
  readonly errorLines: string[];
}

/**
 * Runs a real command as an operator would, in a clean environment: only PATH, HOME and what the test passes, so a
 * developer's TELEGRAM_* or DATABASE_URL never leaks in. It runs the compiled command (`dist/cli/<script>.js`, built
 * once by the slow lane's set-up): starting it through tsx compiled the TypeScript anew each time, 3–30 s a run.
 */
export function runCli(script: "admin" | "definitions" | "score" | "telegram" | "zalo" | "reminders" | "report", args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--enable-source-maps", path.join(root, "dist", "cli", `${script}.js`), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, errorLines: stderr.split("\n").filter((l) => l !== "") }));
  });
}

/** A user error as the contract wants it: exit 2, nothing on stdout, and no stack trace. */
export function isCleanUserError(run: CliRun): boolean {
  return run.code === 2 && run.stdout === "" && !/^\s+at /m.test(run.stderr);
}
