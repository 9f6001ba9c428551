/** The outbox deliverer moved to app/outbox/ (deliverer, one send attempt, per-chat queues, proactive dispatcher). */
export { createOutboxDeliverer, type DelivererDeps, type OutboxDeliverer, type SendDecision, type SendOutcome } from "./outbox/deliverer.js";
