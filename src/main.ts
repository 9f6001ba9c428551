import pino from "pino";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { DatabaseUrlError } from "./persistence/database-url.js";
import { MigrationError } from "./persistence/migrate.js";
import { createService } from "./service.js";

/** How long a stop may take (README: "exits 0 within 10 seconds"); past it the process exits 1. */
const SHUTDOWN_LIMIT_MS = 10_000;

/** `npm start`: configuration, database (migrated on start), channels, HTTP server; a clean stop on SIGTERM. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.LOG_LEVEL });
  let service;
  try {
    service = await createService(config, { logger });
  } catch (error) {
    if (error instanceof DatabaseUrlError || error instanceof MigrationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  logger.info({ database: service.database.target.kind, channels: service.adapters.map((a) => a.channel) }, "service ready");
  // Express 5 hands a failed listen (port taken, no permission) to this callback instead of throwing.
  const server = service.app.listen(config.PORT, (error?: Error) => {
    if (error) {
      process.stderr.write(`${listenFailure(config.PORT, error)}\n`);
      void service.close().finally(() => process.exit(1));
      return;
    }
    logger.info({ port: config.PORT }, "listening");
    // Reminders and the outbox only once the service is really up: a process that cannot listen sends nothing.
    service.start();
    if (service.adapters.length === 0) {
      process.stdout.write(
        `\nNo chat channel is configured (TELEGRAM_BOT_TOKEN / ZALO_BOT_TOKEN are unset).\n` +
          `Try the assistant in your terminal with: npm run chat\n\n`,
      );
    }
  });

  const shutdown = (signal: string): void => {
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS);
    timer.unref();
    // Stop taking requests; requests in flight finish (their updates commit), idle keep-alive sockets close now.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A request still open by then is cut: its update was not acknowledged, so the platform sends it again.
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_LIMIT_MS / 2).unref();
    // Every queued message not on its way goes back to the table at once, for the next instance to send without delay.
    const handedBack = service.deliverer.stop();
    void Promise.all([closed, handedBack])
      .then(() => service.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

/** One line an operator can act on. */
function listenFailure(port: number, error: NodeJS.ErrnoException): string {
  if (error.code === "EADDRINUSE") return `cannot start: port ${port} is already in use (another instance or program is listening there; set PORT to another port)`;
  if (error.code === "EACCES") return `cannot start: no permission to listen on port ${port} (ports below 1024 need privileges; set PORT to another port)`;
  return `cannot start: listening on port ${port} failed (${error.code ?? error.message})`;
}

await main();
