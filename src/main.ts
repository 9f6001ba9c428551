import pino from "pino";
import { ConfigError, loadConfig } from "./config.js";
import { buildApp } from "./http/build-app.js";
import { openDatabase } from "./persistence/database.js";
import { DatabaseUrlError } from "./persistence/database-url.js";
import { ensureShippedDefinitions } from "./persistence/definition-store.js";
import { MigrationError } from "./persistence/migrate.js";

/** Composition root: configuration, database (migrated on start), HTTP server. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.LOG_LEVEL, redact: ["*.token", "*.secret", "*.headers.authorization"] });
  let database;
  try {
    database = await openDatabase(config.DATABASE_URL);
  } catch (error) {
    if (error instanceof DatabaseUrlError || error instanceof MigrationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const shipped = await ensureShippedDefinitions(database.db);
  logger.info({ database: database.target.kind, definitionsImported: shipped.imported.length }, "database ready");

  const app = buildApp({ db: database.db, logger });
  const server = app.listen(config.PORT, () => {
    logger.info({ port: config.PORT }, "listening");
    if (!config.TELEGRAM_BOT_TOKEN && !config.ZALO_BOT_TOKEN) {
      process.stdout.write(
        `\nNo chat channel is configured (TELEGRAM_BOT_TOKEN / ZALO_BOT_TOKEN are unset).\n` +
          `Try the assistant in your terminal with: npm run chat\n\n`,
      );
    }
  });

  const shutdown = (signal: string): void => {
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    server.close(() => {
      void database.close().then(() => process.exit(0));
    });
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

await main();
