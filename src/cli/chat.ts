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
import { UserError, checkFlags, parseFlags, runCli } from "./cli-support.js";

/**
 * The terminal chat's own database: trying the assistant never writes into the service's (DATABASE_URL is not
 * read here). `--database <url>` names another one, the service's included; a demo set up there is flagged.
 */
const CHAT_DATABASE_URL = "file:./data/chat.db";
const USAGE = "npm run chat [-- --database <url>]";

const chatFlags = z.object({ database: z.string().trim().min(1, "must not be empty (file:<path> or a postgresql:// URL)").default(CHAT_DATABASE_URL) });

/**
 * The terminal chat: the same engine as Telegram and Zalo, with choices numbered as on Zalo, on a database of its own.
 * Interactive on a terminal; with piped standard input, one message per line and the replies on standard output.
 */
await runCli(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), { database: { type: "string" } });
  if (positionals.length > 0) throw new UserError(`unexpected "${positionals.join(" ")}"; usage: ${USAGE}`);
  const flags = checkFlags(chatFlags, values);
  const config = loadConfig();
  const database = await openDatabase(flags.database).catch((error: unknown) => {
    if (error instanceof DatabaseUrlError) throw new UserError(`--database: ${error.message}`);
    throw error;
  });
  try {
    const { db } = database;
    await seed(db);
    const translator = await createTranslator();
    const user = { externalUserId: userInfo().username || "local", displayName: userInfo().username || "local" };
    const deps: InboundDeps = { port: inboundStore(database), db, translator, defaultLocale: config.DEFAULT_LOCALE, clock: () => new Date(), dataDir: dataDirFor(database.target) };
    if (await ensureDemo(database, translator, user, new Date())) {
      const agency = translator.text(config.DEFAULT_LOCALE, t("demo.agency"));
      const where = values.database === undefined ? t("demo.ownDatabase", { file: database.target.kind === "sqlite" ? database.target.file : flags.database }) : t("demo.flagged");
      process.stdout.write(`${translator.text(config.DEFAULT_LOCALE, t("demo.ready", { agency }))}\n${translator.text(config.DEFAULT_LOCALE, where)}\n\n`);
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
          if (message.kind === "reply") process.stdout.write(`${renderNumbered(message.reply)}\n\n`);
          // No pictures or files in a terminal: the caption, then where the file was saved.
          if (message.kind === "photo" || message.kind === "document") {
            const saved = t(message.kind === "photo" ? "results.card.saved" : "results.export.saved", { file: message.file });
            process.stdout.write(`${message.caption}\n${translator.text(result.locale, saved)}\n\n`);
          }
        }
        await markSent(database.sql, result.outbox.map((e) => e.id), new Date());
      }
      if (interactive) lines.prompt();
    }
  } finally {
    await database.close();
  }
});
