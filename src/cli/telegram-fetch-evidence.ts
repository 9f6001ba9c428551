import { fetchTelegramEvidence } from "../app/evidence/fetch-telegram-evidence.js";
import { dataDirFor } from "../app/generated-files.js";
import { createTelegramApi } from "../channels/telegram/telegram-adapter.js";
import { telegramFileFetcher } from "../channels/telegram/telegram-files.js";
import { parseDatabaseUrl } from "../persistence/database-url.js";
import type { Command } from "./command-table.js";
import { OperatorError } from "./operator-text.js";
import { loadCliConfig, withDatabase } from "./with-database.js";

/**
 * `telegram fetch-evidence [--json]`: the one-off fetch of evidence still stored as `telegram:<file_id>` (sent before
 * the service kept its own copies) into the evidence directory, so the files outlive the bot's token and go into
 * dossiers. Safe to run again: only rows still holding a Telegram id are fetched. Exit 1 when some could not be fetched.
 */
export const FETCH_EVIDENCE_COMMAND: Command = {
  words: "fetch-evidence",
  options: {},
  async run(context) {
    const { t } = context;
    if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: t("operator.telegram.fetch-evidence.usage") });
    const config = loadCliConfig();
    const token = config.TELEGRAM_BOT_TOKEN;
    if (!token) throw new OperatorError("operator.telegram.fetchNoToken");
    const apiRoot = config.TELEGRAM_API_ROOT;
    const fetcher = telegramFileFetcher({ api: createTelegramApi(token, apiRoot), token, apiRoot, dataDir: dataDirFor(parseDatabaseUrl(config.DATABASE_URL)) });
    const failures: { id: string; ref: string; message: string | null }[] = [];
    const summary = await withDatabase((db) =>
      fetchTelegramEvidence({
        db,
        fetch: (ref, fileName) => fetcher.fetch(ref, fileName),
        onFailure: (evidence, error) => failures.push({ id: evidence.id, ref: evidence.ref, message: error instanceof Error ? error.message.replaceAll(token, "<token>") : null }),
      }),
    );
    const code = failures.length > 0 ? 1 : 0;
    if (context.json) {
      // Scripts read the same in every language: the failures as the English lines they always were.
      context.emit({ ...summary, failures: failures.map((f) => `evidence ${f.id} (${f.ref}): ${f.message ?? "failed"}`) }, []);
      return code;
    }
    for (const f of failures) context.io.err(t("operator.telegram.fetch.failure", { id: f.id, ref: f.ref, message: f.message ?? t("operator.telegram.fetch.failed") }));
    const refused = Object.entries(summary.refused).map(([why, count]) => `${count} ${why}`);
    const parts = {
      found: summary.found,
      fetched: summary.fetched,
      bytes: String(summary.bytes),
      refused: refused.length === 0 ? t("operator.telegram.fetch.noneRefused") : t("operator.telegram.fetch.refused", { list: refused.join(", ") }),
      failed: summary.failed,
      again: summary.failed > 0 ? t("operator.telegram.fetch.runAgain") : "",
    };
    context.emit(summary, [t("operator.telegram.fetch.summary", parts)]);
    return code;
  },
};
