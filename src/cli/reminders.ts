import pino from "pino";
import { z } from "zod";
import type { ReminderPreview } from "../app/send-reminders.js";
import { isMainModule, runProgram, type CliIo, type Command, type CommandContext } from "./command-table.js";
import { checkFlags } from "./flag-check.js";
import { OperatorError, operatorKey, type Tr } from "./operator-text.js";
import { loadCliConfig, withDatabase } from "./with-database.js";

/**
 * `reminders preview --now <ISO>` and `reminders run-once --now <ISO>` (docs/operator-commands.md, the reminders issue):
 * the same work the service does every minute, for one moment, for tests and for deployments that prefer cron.
 * - preview shows, person by person, what is due at that moment and not queued yet, with the exact text each would
 *   receive (`--json`: the same as a list), changing nothing; when nobody would get anything it says why in words.
 *   It does not look at which channels are configured, but it words the text as the service would (buttons on
 *   Telegram, a word to type elsewhere).
 * - run-once queues what is due (each reminder once: a second run at the same moment queues and sends nothing),
 *   sends through the configured channels and prints { sent, skipped, failed, dropped, … }. Reminders to people on
 *   a channel that is not configured (and to the terminal chat) are counted as skipped and not queued, so they do
 *   not pile up to be sent late once the channel is turned on.
 */

const nowFlag = z.object({
  now: z.iso.datetime({
    offset: true,
    error: (issue) => (issue.input === undefined ? "operator.reasons.nowRequired" : "operator.reasons.nowInvalid"),
  }),
});

function momentOf(context: CommandContext, usageKey: string): Date {
  if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t(usageKey) });
  return new Date(checkFlags(nowFlag, { now: context.values.now }, context.t).now);
}

/** Person by person: who, through which channel, for which agency and deadline, then the text as they would read it. */
function previewLines(items: readonly ReminderPreview[], now: Date, t: Tr): string[] {
  const lines = [t("operator.reminders.preview.heading", { count: items.length, nowTime: now })];
  for (const item of items) {
    lines.push(
      "",
      t("operator.reminders.preview.person", {
        name: item.recipient.name,
        role: t(operatorKey("common", "roles", item.recipient.role)),
        where: item.agency?.name ?? item.province ?? "",
        channel: item.channel,
        period: item.period.name,
        deadline: item.deadline.label,
        dueTime: new Date(item.deadline.dueAt),
        offset: item.offset,
      }),
    );
    lines.push(...(item.text ?? t("operator.reminders.preview.noText")).split("\n").map((line) => `    ${line}`));
  }
  return lines;
}

const COMMANDS: readonly Command[] = [
  {
    words: "preview",
    options: { now: { type: "string" } },
    async run(context) {
      const now = momentOf(context, "operator.reminders.preview.usage");
      const config = loadCliConfig();
      const logger = pino({ level: "warn" }, pino.destination(2));
      const { items, linked } = await withDatabase(async (db) => {
        const { createTranslator } = await import("../i18n/translator.js");
        const { createReminders } = await import("../app/send-reminders.js");
        // The service's wording: Telegram shows buttons (see createService), other channels a word to type.
        const reminders = createReminders({ db, translator: await createTranslator(), defaultLocale: config.DEFAULT_LOCALE, clock: () => now, logger, channels: [], buttonChannels: ["telegram"] });
        return { items: await reminders.preview(now), linked: await db.chatIdentity.count({ where: { personId: { not: null } } }) };
      });
      if (context.json) return context.emit(items, []);
      if (items.length > 0) return context.emit(items, previewLines(items, now, context.t));
      context.emit(items, [context.t(linked === 0 ? "operator.reminders.preview.nobodyLinked" : "operator.reminders.preview.nothingDue", { nowTime: now })]);
    },
  },
  {
    words: "run-once",
    options: { now: { type: "string" } },
    async run(context) {
      const now = momentOf(context, "operator.reminders.run-once.usage");
      const config = loadCliConfig();
      const logger = pino({ level: "warn" }, pino.destination(2));
      // The whole service minus listen(): the configured channels, the deliverer with the reminder checks, a fixed clock.
      const { createService } = await import("../service.js");
      const { DatabaseUrlError } = await import("../persistence/database-url.js");
      const { MigrationError } = await import("../persistence/migrate.js");
      let service;
      try {
        service = await createService(config, { logger, clock: () => now });
      } catch (error) {
        if (error instanceof DatabaseUrlError || error instanceof MigrationError) throw new OperatorError("operator.common.lines", { text: error.message });
        throw error;
      }
      try {
        const summary = await service.reminders.runOnce(service.deliverer, now);
        const { sent, skipped, failed, dropped, queued } = summary;
        context.emit(summary, [context.t("operator.reminders.run-once.result", { sent, skipped, failed, dropped, queued, nowTime: now })]);
      } finally {
        await service.close();
      }
    },
  },
];

/** Runs `reminders` with these arguments; the exit code is returned (tests run it in-process). */
export function reminders(argv: string[], io?: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  return runProgram("reminders", COMMANDS, argv, io, env);
}

if (isMainModule(import.meta.url)) process.exitCode = await reminders(process.argv.slice(2));
