import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import express, { type Express, type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import type { Metrics } from "../app/metrics.js";
import type { Db } from "../persistence/db-client.js";
import { isReady } from "../persistence/readiness.js";
import { secretEquals } from "../shared/secret-equals.js";

export interface AppDeps {
  readonly db: Db;
  readonly databaseKind: "sqlite" | "postgres";
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** Channel webhooks and other feature routes, mounted after the health checks. */
  readonly routers?: readonly Router[];
}


/** A constant-time check of `Bearer <token>`; everything passes when no token is configured. */
function bearerCheck(token: string | undefined): (header: string | undefined) => boolean {
  if (token === undefined) return () => true;
  return (header) => secretEquals(header === undefined ? undefined : /^Bearer (.+)$/i.exec(header)?.[1], token);
}

/** The HTTP surface: routes only, no listen and no globals, so tests start it on port 0. */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // Nothing here is fetched twice by a cache: an ETag would only hash every webhook answer for nobody.
  app.disable("etag");

  // A request id on every response and log line; never bodies or message text.
  app.use((req, res, next) => {
    const header = req.get("x-request-id");
    const requestId = header && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
    res.setHeader("x-request-id", requestId);
    res.locals.requestId = requestId;
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.debug({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) }, "request");
    });
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.get("/readyz", async (_req, res) => {
    try {
      const ready = await isReady(deps.db, deps.databaseKind);
      res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not migrated" });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });

  if (deps.metrics) {
    const { registry } = deps.metrics;
    const allowed = bearerCheck(deps.metricsToken);
    app.get("/metrics", async (req, res) => {
      if (!allowed(req.get("authorization"))) {
        res.status(401).set("www-authenticate", "Bearer").json({ error: "unauthorized" });
        return;
      }
      try {
        res.type(registry.contentType).send(await registry.metrics());
      } catch {
        res.status(503).type("text/plain").send("metrics unavailable\n");
      }
    });
  }

  for (const router of deps.routers ?? []) app.use(router);

  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });

  // express answers 400 (malformed JSON), 413 (too large) and 415 (a charset or encoding it cannot read) through here.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const raw = typeof error === "object" && error !== null && "status" in error ? Number((error as { status: unknown }).status) : 500;
    const status = Number.isInteger(raw) && raw >= 400 && raw < 600 ? raw : 500;
    if (status >= 500) deps.logger.error({ err: error, requestId: res.locals.requestId as unknown }, "request failed");
    res.status(status).json({ error: status >= 500 ? "internal error" : (STATUS_CODES[status] ?? "bad request").toLowerCase() });
  });
  return app;
}
