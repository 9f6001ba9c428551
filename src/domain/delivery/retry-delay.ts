/**
 * Backoff before outbox retry `attempts` (1-based) of a failed send: the platform's retry-after when given, else
 * 2^n × 5 s, capped at ten minutes.
 */
export function retryDelayMs(attempts: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return retryAfterMs;
  return Math.min(2 ** (attempts - 1) * 5000, 10 * 60_000);
}
