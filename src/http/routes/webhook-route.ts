import express, { Router, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import type { ChannelAdapter } from "../../channels/channel.js";
import type { InboundDeps } from "../../app/handle-inbound.js";
import type { Metrics } from "../../app/metrics.js";
import { processUpdates } from "../../app/process-updates.js";
import type { OutboxEntry } from "../../persistence/outbox-store.js";

/** Body limit for webhooks: platform updates are a few kilobytes; anything near this is not one. */
export const JSON_BODY_LIMIT = "1mb";

export interface WebhookDeps {
  readonly inbound: InboundDeps;
  readonly logger: Logger;
  /** Called after the response is sent with the replies queued: they go out then, never while the platform waits. */
  readonly afterHandled: (outbox: readonly OutboxEntry[]) => void;
  readonly metrics?: Metrics;
}

/**
 * `POST /webhooks/<channel>`: authenticate, parse, handle each event (committed before we answer), answer 200, and
 * only then send. A slow platform API therefore never makes the platform redeliver an update that was applied.
 * A database failure answers 503, so the platform retries later and nothing is lost.
 */
export function webhookRouter(adapter: ChannelAdapter, deps: WebhookDeps): Router {
  const router = Router();
  const count = (outcome: string, n = 1): void => void deps.metrics?.inboundUpdates.inc({ channel: adapter.channel, outcome }, n);
  // The secret is checked before the body is read: an unauthenticated caller gets 401 whatever it sends.
  const authenticate = (req: Request, res: Response, next: NextFunction): void => {
    if (adapter.verify(req.headers)) return next();
    count("unauthorized");
    res.status(401).json({ error: "unauthorized" });
  };
  router.post(`/webhooks/${adapter.channel}`, authenticate, express.json({ limit: JSON_BODY_LIMIT }), async (req, res) => {
    const updates = adapter.parse(req.body);
    const stopTimer = deps.metrics?.inboundSeconds.startTimer({ channel: adapter.channel });
    let handled: Awaited<ReturnType<typeof processUpdates>>;
    try {
      handled = await processUpdates(adapter, updates, deps);
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
    // Telegram sends one update per request: its callback query is answered in the response when the adapter can.
    const [first, ...rest] = handled.callbacks;
    const inReply = first !== undefined && adapter.capabilities.tapAnswerInWebhookReply ? adapter.callbackWebhookReply(first) : undefined;
    res.status(200).json(inReply ?? { ok: true });
    if (adapter.capabilities.tapAnswers) for (const tap of inReply ? rest : handled.callbacks) void adapter.answerCallback(tap).catch(() => undefined);
    deps.afterHandled(handled.outbox);
  });
  return router;
}
