import { Router } from "express";
import type { Logger } from "pino";
import type { ChannelAdapter } from "../../channels/channel.js";
import type { InboundDeps } from "../../app/handle-inbound.js";
import { processUpdates } from "../../app/process-updates.js";

export interface WebhookDeps {
  readonly inbound: InboundDeps;
  readonly logger: Logger;
  /** Called after the response is sent: replies go out from the outbox, never while the platform waits. */
  readonly afterHandled: () => void;
}

/**
 * `POST /webhooks/<channel>`: authenticate, parse, handle each event (committed before we answer), answer 200, and
 * only then send. A slow platform API therefore never makes the platform redeliver an update that was applied.
 * A database failure answers 503, so the platform retries later and nothing is lost.
 */
export function webhookRouter(adapter: ChannelAdapter, deps: WebhookDeps): Router {
  const router = Router();
  router.post(`/webhooks/${adapter.channel}`, async (req, res) => {
    if (!adapter.verify(req.headers)) {
      res.status(401).json({ error: "unauthorized" });
      return;
    }
    let callbacks: string[];
    try {
      callbacks = await processUpdates(adapter, adapter.parse(req.body), deps);
    } catch (error) {
      deps.logger.error({ err: error, channel: adapter.channel }, "webhook handling failed");
      res.status(503).json({ error: "temporarily unavailable" });
      return;
    }
    res.status(200).json({ ok: true });
    for (const id of callbacks) void adapter.answerCallback?.(id).catch(() => undefined);
    deps.afterHandled();
  });
  return router;
}
