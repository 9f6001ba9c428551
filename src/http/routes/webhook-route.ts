import { Router } from "express";
import type { Logger } from "pino";
import type { ChannelAdapter } from "../../channels/channel.js";
import type { InboundDeps } from "../../app/handle-inbound.js";
import type { Metrics } from "../../app/metrics.js";
import { processUpdates } from "../../app/process-updates.js";

export interface WebhookDeps {
  readonly inbound: InboundDeps;
  readonly logger: Logger;
  /** Called after the response is sent: replies go out from the outbox, never while the platform waits. */
  readonly afterHandled: () => void;
  readonly metrics?: Metrics;
}

/**
 * `POST /webhooks/<channel>`: authenticate, parse, handle each event (committed before we answer), answer 200, and
 * only then send. A slow platform API therefore never makes the platform redeliver an update that was applied.
 * A database failure answers 503, so the platform retries later and nothing is lost.
 */
export function webhookRouter(adapter: ChannelAdapter, deps: WebhookDeps): Router {
  const router = Router();
  router.post(`/webhooks/${adapter.channel}`, async (req, res) => {
    const count = (outcome: string, n = 1): void => void deps.metrics?.inboundUpdates.inc({ channel: adapter.channel, outcome }, n);
    if (!adapter.verify(req.headers)) {
      count("unauthorized");
      res.status(401).json({ error: "unauthorized" });
      return;
    }
    const updates = adapter.parse(req.body);
    const stopTimer = deps.metrics?.inboundSeconds.startTimer({ channel: adapter.channel });
    let callbacks: string[];
    try {
      callbacks = await processUpdates(adapter, updates, deps);
    } catch (error) {
      count("failed");
      deps.logger.error({ err: error, channel: adapter.channel, requestId: res.locals.requestId as unknown }, "webhook handling failed");
      res.status(503).json({ error: "temporarily unavailable" });
      return;
    }
    stopTimer?.();
    const events = updates.filter((u) => u.kind === "event").length;
    if (events > 0) count("handled", events);
    if (updates.length > events) count("ignored", updates.length - events);
    res.status(200).json({ ok: true });
    for (const id of callbacks) void adapter.answerCallback?.(id).catch(() => undefined);
    deps.afterHandled();
  });
  return router;
}
