import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramAdapter } from "./telegram-adapter.js";

/**
 * A Bot API whose connections each serve one request: the next request on a kept-alive connection finds it closed
 * (the server's idle timeout firing just as the client reuses it — Node's documented keep-alive race, met in the
 * benchmark as a reply 3 s late).
 */
let server: http.Server;
let url: string;
const served = new WeakMap<Socket, number>();
let accepted = 0;
let cut = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const before = served.get(req.socket) ?? 0;
    served.set(req.socket, before + 1);
    req.resume();
    req.on("end", () => {
      if (before > 0) {
        cut += 1;
        req.socket.destroy();
        return;
      }
      accepted += 1;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, result: { message_id: accepted, date: 0, chat: { id: 42, type: "private" }, text: "ok" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("connections to the Bot API", () => {
  it("when the server has closed a kept-alive connection as it is reused, then the message goes at once on a new one", async () => {
    // A deadline shorter than auto-retry's first backoff (3 s): only an immediate second try delivers in time.
    const adapter = createTelegramAdapter({ token: "7:stale", apiRoot: url, sendDeadlineMs: 2_000 });
    const reply = (text: string) => ({ kind: "reply" as const, reply: { text, choices: [], questionId: undefined } });
    await adapter.send("42", reply("câu 1/43"));
    await adapter.send("42", reply("câu 2/43"));
    await adapter.send("42", reply("câu 3/43"));
    expect(accepted).toBe(3);
    expect(cut).toBeGreaterThanOrEqual(1);
  });
});
