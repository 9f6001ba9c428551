import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const dir = mkdtempSync(path.join(tmpdir(), "pdx-port-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the production start command on a port another process holds", () => {
  it("when it cannot listen, then it ends with one clear line and a non-zero exit, never claiming to listen", async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, () => resolve((holder.address() as net.AddressInfo).port)));
    try {
      const child = spawn(process.execPath, ["dist/main.js"], {
        cwd: root,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(port), DATABASE_URL: `file:${path.join(dir, "app.db")}` },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(1);
      expect(stderr).toBe(`cannot start: port ${port} is already in use (another instance or program is listening there; set PORT to another port)\n`);
      expect(stdout).not.toContain('"msg":"listening"');
      expect(stdout).not.toContain("npm run chat");
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
