import http from "node:http";
import https from "node:https";
import { HttpError, type Transformer } from "grammy";

/**
 * How long a kept-alive connection to the Bot API may sit idle before we close it; a server that announces a shorter
 * `Keep-Alive: timeout=` is left a second earlier than it says (Node's agent does that, but only when a timeout of
 * its own is set — grammY's default agent sets none and keeps idle connections forever, until the server closes one
 * just as it is reused). Above the long-poll wait of getUpdates (25 s), so a poll never looks idle.
 */
const IDLE_CLOSE_MS = 30_000;

/** The keep-alive agent for one Bot API root, given to grammY as its fetch agent. */
export function botApiAgent(apiRoot: string): http.Agent {
  const options = { keepAlive: true, timeout: IDLE_CLOSE_MS };
  return apiRoot.startsWith("https:") ? new https.Agent(options) : new http.Agent(options);
}

/** A connection reset or a write into a closed connection: the request was not read. */
function isStaleConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNRESET" || code === "EPIPE";
}

/**
 * Sends a request once more, at once, when the kept-alive connection it went out on turned out closed by the server
 * (Node's documented keep-alive race). grammY's auto-retry would wait 3 s first — a reply 3 s late for a connection
 * that was merely stale. A second failure goes on to auto-retry and the outbox as any network failure.
 */
export const retryStaleConnection: Transformer = async (prev, method, payload, signal) => {
  try {
    return await prev(method, payload, signal);
  } catch (error) {
    if (!(error instanceof HttpError) || !isStaleConnection(error.error) || signal?.aborted === true) throw error;
    return prev(method, payload, signal);
  }
};
