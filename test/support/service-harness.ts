import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { loadConfig } from "../../src/config.js";
import { createService, type Service, type ServiceOptions } from "../../src/service.js";

/** Everything the service logged, as text, to search for secrets. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(chunk.toString("utf8"));
    done();
  }
  text(): string {
    return this.lines.join("");
  }
}

export interface RunningService {
  readonly service: Service;
  readonly url: string;
  readonly logs: LogCapture;
  close(): Promise<void>;
}

/** The real service on 127.0.0.1 and a random port, with its own SQLite file unless DATABASE_URL is given. */
export async function startService(
  env: Record<string, string>,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const dir = mkdtempSync(path.join(tmpdir(), "pdx-svc-"));
  const logs = new LogCapture();
  const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, "app.db")}`, LOG_LEVEL: "debug", PORT: "0", ...env });
  const service = await createService(config, { ...options, logger: options.logger ?? pino({ level: "debug" }, logs) });
  const server: Server = await new Promise((resolve) => {
    const s = service.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    service,
    url: `http://127.0.0.1:${port}`,
    logs,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of the test's HTTP client would otherwise hold close() open for seconds.
        server.closeAllConnections();
      });
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
