import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { z } from "zod";
import { handleInbound, type InboundDeps } from "../app/handle-inbound.js";
import { inboundStore } from "../persistence/inbound-store.js";
import { ensureDemo } from "../app/demo-setup.js";
import { dataDirFor } from "../app/generated-files.js";
import { renderNumbered } from "../channels/numbered-render.js";
import { loadConfig } from "../config.js";
import { t } from "../domain/conversation/text.js";
import { createTranslator } from "../i18n/translator.js";
import { openDatabase } from "../persistence/database.js";
import { DatabaseUrlError } from "../persistence/database-url.js";
import { seed } from "../persistence/seed.js";
import { markSent } from "../persistence/outbox-store.js";
import { isMainModule, runProgram, type CliIo, type Command, type CommandContext } from "./command-table.js";
import { checkFlags } from "./flag-check.js";
import { OperatorError, reason } from "./operator-text.js";

/**
 * The terminal chat's own database: trying the assistant never writes into the service's (DATABASE_URL is not
 * read here). `--database <url>` names another one, the service's included; a demo set up there is flagged.
 */
const CHAT_DATABASE_URL = "file:./data/chat.db";
const chatFlags = z.object({ database: z.string().trim().min(1, "operator.reasons.databaseNotEmpty").default(CHAT_DATABASE_URL) });

/**
 * The terminal chat: the same engine as Telegram and Zalo, with choices numbered as on Zalo, on a database of its own.
 * Interactive on a terminal; with piped standard input, one message per line and the replies on standard output.
 */
async function chatSession(context: CommandContext): Promise<void> {
  const { values, io } = context;
  if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t("operator.chat.usage") });
  const flags = checkFlags(chatFlags, values, context.t);
  // The conversation's language for new people: `--lang` when given, else DEFAULT_LOCALE (context.locale says both).
  const locale = context.locale;
  // A wrong configuration (DEFAULT_LOCALE=fr, say) is refused as before, though the chat opens its own database.
  loadConfig();
  const database = await openDatabase(flags.database).catch((error: unknown) => {
    if (error instanceof DatabaseUrlError) throw new OperatorError("operator.common.flagProblem", { flag: "--database", reason: reason("operator.common.lines", { text: error.message }) });
    throw error;
  });
  try {
    const { db } = database;
    await seed(db);
    const translator = await createTranslator();
    const user = { externalUserId: userInfo().username || "local", displayName: userInfo().username || "local" };
    const deps: InboundDeps = { port: inboundStore(database), db, translator, defaultLocale: locale, clock: () => new Date(), dataDir: dataDirFor(database.target) };
    if (await ensureDemo(database, translator, user, new Date())) {
      const agency = translator.text(locale, t("demo.agency"));
      const where = values.database === undefined ? t("demo.ownDatabase", { file: database.target.kind === "sqlite" ? database.target.file : flags.database }) : t("demo.flagged");
      io.out(`${translator.text(locale, t("demo.ready", { agency }))}\n${translator.text(locale, where)}\n`);
    }
    const interactive = process.stdin.isTTY === true;
    const lines = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
    if (interactive) lines.setPrompt("> ");
    if (interactive) lines.prompt();
    for await (const line of lines) {
      const result = await handleInbound(deps, {
        channel: "console",
        eventKey: randomUUID(),
        externalUserId: user.externalUserId,
        chatId: user.externalUserId,
        displayName: user.displayName,
        input: { kind: "text", text: line },
      });
      if (result.kind === "handled") {
        for (const entry of result.outbox) {
          const message = entry.message;
          if (message.kind === "reply") io.out(`${renderNumbered(message.reply)}\n`);
          // No pictures or files in a terminal: the caption, then where the file was saved.
          if (message.kind === "photo" || message.kind === "document") {
            const saved = t(message.kind === "photo" ? "results.card.saved" : "results.export.saved", { file: message.file });
            io.out(`${message.caption}\n${translator.text(result.locale, saved)}\n`);
          }
        }
        await markSent(database.sql, result.outbox.map((e) => e.id), new Date());
      }
      if (interactive) lines.prompt();
    }
  } finally {
    await database.close();
  }
}

const COMMANDS: readonly Command[] = [{ words: "", options: { database: { type: "string" } }, run: chatSession }];

/** Runs the terminal chat with these arguments; the exit code is returned. */
export function chat(argv: string[], io?: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  return runProgram("chat", COMMANDS, argv, io, env);
}

if (isMainModule(import.meta.url)) process.exitCode = await chat(process.argv.slice(2));
