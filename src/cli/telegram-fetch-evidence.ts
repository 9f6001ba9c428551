import { fetchTelegramEvidence } from "../app/evidence/fetch-telegram-evidence.js";
import { dataDirFor } from "../app/generated-files.js";
import { createTelegramApi } from "../channels/telegram/telegram-adapter.js";
import { telegramFileFetcher } from "../channels/telegram/telegram-files.js";
import { parseDatabaseUrl } from "../persistence/database-url.js";
import { printJson, UserError } from "./cli-support.js";
import { loadCliConfig, withDatabase } from "./with-database.js";

/**
 * `telegram fetch-evidence [--json]`: the one-off fetch of evidence still stored as `telegram:<file_id>` (sent before
 * the service kept its own copies) into the evidence directory, so the files outlive the bot's token and go into
 * dossiers. Safe to run again: only rows still holding a Telegram id are fetched. Exit 1 when some could not be fetched.
 */
export async function runFetchEvidence(json: boolean): Promise<void> {
  const config = loadCliConfig();
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new UserError("TELEGRAM_BOT_TOKEN is not set: the files are fetched with the bot that received them");
  const apiRoot = config.TELEGRAM_API_ROOT;
  const fetcher = telegramFileFetcher({ api: createTelegramApi(token, apiRoot), token, apiRoot, dataDir: dataDirFor(parseDatabaseUrl(config.DATABASE_URL)) });
  const failures: string[] = [];
  const summary = await withDatabase((db) =>
    fetchTelegramEvidence({
      db,
      fetch: (ref, fileName) => fetcher.fetch(ref, fileName),
      onFailure: (evidence, error) => failures.push(`evidence ${evidence.id} (${evidence.ref}): ${error instanceof Error ? error.message.replaceAll(token, "<token>") : "failed"}`),
    }),
  );
  if (failures.length > 0) process.exitCode = 1;
  if (json) return printJson({ ...summary, failures });
  for (const failure of failures) console.error(failure);
  const refused = Object.entries(summary.refused).map(([reason, count]) => `${count} ${reason}`);
  console.log(
    `${summary.found} Telegram files on record: ${summary.fetched} fetched (${summary.bytes} bytes), ${refused.length === 0 ? "0 refused" : `refused: ${refused.join(", ")}`}, ${summary.failed} failed${summary.failed > 0 ? " (run again later)" : ""}`,
  );
}
