import pino from "pino";
import { z } from "zod";
import { UserError, checkFlags, parseFlags, printJson, runCli } from "./cli-support.js";
import { loadCliConfig, withDatabase } from "./with-database.js";

/**
 * `reminders preview --now <ISO>` and `reminders run-once --now <ISO>` (docs/operator-commands.md, the reminders issue):
 * the same work the service does every minute, for one moment, for tests and for deployments that prefer cron.
 * - preview prints what is due at that moment and not queued yet (recipient, channel, agency, deadline, offset),
 *   changing nothing. It does not look at which channels are configured.
 * - run-once queues what is due (each reminder once: a second run at the same moment queues and sends nothing),
 *   sends through the configured channels and prints { sent, skipped, failed, dropped, … }. Reminders to people on
 *   a channel that is not configured (and to the terminal chat) are counted as skipped and not queued, so they do
 *   not pile up to be sent late once the channel is turned on.
 */

const USAGE = "reminders preview --now <ISO time> | reminders run-once --now <ISO time>";
const ACTIONS = ["preview", "run-once"] as const;

const flagsSchema = z.object({
  now: z.iso.datetime({
    offset: true,
    error: (issue) => (issue.input === undefined ? "is required (an ISO time such as 2027-11-08T08:30:00+07:00)" : "must be an ISO time with its UTC offset, such as 2027-11-08T08:30:00+07:00"),
  }),
});

await runCli(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), { now: { type: "string" }, json: { type: "boolean" } });
  const [action, ...rest] = positionals;
  const known = ACTIONS.find((a) => a === action);
  if (known === undefined) throw new UserError(`${action === undefined ? "missing command" : `unknown command "reminders ${action}"`}; usage: ${USAGE}`);
  if (rest.length > 0) throw new UserError(`unexpected "${rest.join(" ")}"; usage: ${USAGE}`);
  const now = new Date(checkFlags(flagsSchema, { now: values.now }).now);
  const config = loadCliConfig();
  const logger = pino({ level: "warn" }, pino.destination(2));

  if (known === "preview") {
    const items = await withDatabase(async (db) => {
      const { createTranslator } = await import("../i18n/translator.js");
      const { createReminders } = await import("../app/send-reminders.js");
      const reminders = createReminders({
        db,
        translator: await createTranslator(),
        defaultLocale: config.DEFAULT_LOCALE,
        clock: () => now,
        logger,
        channels: [],
        buttonChannels: [],
      });
      return reminders.preview(now);
    });
    return printJson(items);
  }

  // The whole service minus listen(): the configured channels, the deliverer with the reminder checks, a fixed clock.
  const { createService } = await import("../service.js");
  const { DatabaseUrlError } = await import("../persistence/database-url.js");
  const { MigrationError } = await import("../persistence/migrate.js");
  let service;
  try {
    service = await createService(config, { logger, clock: () => now });
  } catch (error) {
    if (error instanceof DatabaseUrlError || error instanceof MigrationError) throw new UserError(error.message);
    throw error;
  }
  try {
    printJson(await service.reminders.runOnce(service.deliverer, now));
  } finally {
    await service.close();
  }
});
