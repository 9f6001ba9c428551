import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TELEGRAM_SECRET_HEADER } from "../../src/channels/telegram/telegram-adapter.js";
import { startService, type RunningService } from "../support/service-harness.js";

const SECRET = "s3cret-value";
const METRICS_TOKEN = "metrics-token-0123456789";

describe("the HTTP surface's edges", () => {
  let running: RunningService;
  let open: RunningService;
  beforeAll(async () => {
    // No platform is called: the API root is never reached by these requests.
    const telegram = { TELEGRAM_BOT_TOKEN: "123:TEST", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: "http://127.0.0.1:9" };
    running = await startService({ ...telegram, METRICS_TOKEN });
    open = await startService(telegram);
  });
  afterAll(async () => {
    await running.close();
    await open.close();
  });

  it("when a webhook body comes in a charset JSON is never sent in, then the answer is 415, not an internal error", async () => {
    const res = await fetch(`${running.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=latin1", [TELEGRAM_SECRET_HEADER]: SECRET },
      body: "{}",
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: "unsupported media type" });
    expect(running.logs.text()).not.toContain("request failed");
  });

  it.each([
    ["no token", {}],
    ["a wrong token", { authorization: "Bearer wrong-token-0123456789" }],
    ["the token without the scheme", { authorization: METRICS_TOKEN }],
  ])("when METRICS_TOKEN is set and /metrics is asked with %s, then it answers 401 and shows nothing", async (_label, headers: Record<string, string>) => {
    const res = await fetch(`${running.url}/metrics`, { headers });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain("pdx_");
  });

  it("when METRICS_TOKEN is set and /metrics is asked with it, then the metrics are served", async () => {
    const res = await fetch(`${running.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("pdx_inbound_updates_total");
    // One instance on SQLite always sends its own outbox (several on PostgreSQL elect one: test/app/sender-election).
    expect(text).toMatch(/^pdx_outbox_sender 1$/m);
  });

  it("when METRICS_TOKEN is unset, then /metrics stays open (a private network or a scraper beside the service)", async () => {
    const res = await fetch(`${open.url}/metrics`);
    expect(res.status).toBe(200);
  });
});
