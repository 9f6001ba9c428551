import express, { type Express, type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import type { Db } from "../persistence/database.js";

export interface AppDeps {
  readonly db: Db;
  readonly logger: Logger;
  /** Channel webhooks and other feature routes, mounted after the health checks. */
  readonly routers?: readonly Router[];
}

/** Body limit for webhooks: platform updates are a few kilobytes; anything near this is not one. */
export const JSON_BODY_LIMIT = "1mb";

/** The HTTP surface: routes only, no listen and no globals, so tests start it on port 0. */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: JSON_BODY_LIMIT }));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.get("/readyz", async (_req, res) => {
    try {
      await deps.db.$queryRawUnsafe("SELECT 1");
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "unavailable" });
    }
  });

  for (const router of deps.routers ?? []) app.use(router);

  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });

  // express answers 413 for oversized bodies and 400 for malformed JSON through this handler.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error === "object" && error !== null && "status" in error ? Number((error as { status: unknown }).status) : 500;
    if (status >= 500) deps.logger.error({ err: error }, "request failed");
    res.status(Number.isInteger(status) && status >= 400 && status < 600 ? status : 500).json({ error: status === 413 ? "payload too large" : status === 400 ? "bad request" : "internal error" });
  });
  return app;
}
