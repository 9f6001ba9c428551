import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The service's Prometheus metrics, on a registry of its own (not prom-client's global one), so two service
 * instances in one test process do not collide.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly inboundUpdates: Counter<"channel" | "outcome">;
  readonly inboundSeconds: Histogram<"channel">;
  readonly outboundSends: Counter<"channel" | "result">;
  readonly outboxDepth: Gauge;
  readonly remindersDue: Gauge;
  readonly outboxSender: Gauge;
}

/**
 * `isSender`: whether this instance sends the outbox (always on SQLite; on PostgreSQL while it holds the sender's
 * lock), so an operator with several instances — and the benchmark that kills the sender — can tell which one it is.
 */
export function createMetrics(readOutboxDepth: () => Promise<number>, isSender: () => boolean = () => true): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    inboundUpdates: new Counter({
      name: "pdx_inbound_updates_total",
      help: "Inbound platform updates by channel and outcome (handled, duplicate, ignored, unauthorized, failed)",
      labelNames: ["channel", "outcome"],
      registers: [registry],
    }),
    inboundSeconds: new Histogram({
      name: "pdx_inbound_handling_seconds",
      help: "Time to handle one inbound update, from parsed to committed",
      labelNames: ["channel"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    outboundSends: new Counter({
      name: "pdx_outbound_sends_total",
      help: "Outbound sends by channel and result (sent, or the failure reason: network, throttled, rejected, blocked)",
      labelNames: ["channel", "result"],
      registers: [registry],
    }),
    outboxDepth: new Gauge({
      name: "pdx_outbox_depth",
      help: "Outbox messages waiting to be sent",
      registers: [registry],
      async collect() {
        this.set(await readOutboxDepth());
      },
    }),
    remindersDue: new Gauge({
      name: "pdx_reminders_due",
      help: "Reminders found due at the last reminder run",
      registers: [registry],
    }),
    outboxSender: new Gauge({
      name: "pdx_outbox_sender",
      help: "1 while this instance is the one that sends the outbox (several instances on PostgreSQL elect one), else 0",
      registers: [registry],
      collect() {
        this.set(isSender() ? 1 : 0);
      },
    }),
  };
}
