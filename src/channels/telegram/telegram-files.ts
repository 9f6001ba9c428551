import type { Readable } from "node:stream";
import axios from "axios";
import type { Api } from "grammy";
import { EvidenceRefusedError, storeEvidenceStream, type StoredEvidenceFile } from "../../app/evidence/evidence-file-store.js";
import { EVIDENCE_MAX_FILE_BYTES } from "../../domain/evidence/evidence-policy.js";
import { TELEGRAM_FILE_REF_PREFIX } from "./parse.js";

/** The Bot API serves files of at most 20 MB through getFile (https://core.telegram.org/bots/api#getfile). */
export const TELEGRAM_DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024;
/** One file's download, whatever arrives: 20 MB at ~350 KB/s. */
const DOWNLOAD_DEADLINE_MS = 60_000;

export interface TelegramFileFetcher {
  /** Fetches `telegram:<file_id>` into the evidence directory; throws EvidenceRefusedError for a refused file. */
  fetch(ref: string, fileName: string | undefined): Promise<StoredEvidenceFile>;
}

/**
 * Keeps a Telegram file as the service's own: getFile, then the download from `<apiRoot>/file/bot<token>/<path>`,
 * streamed into the evidence store (hashed, size-limited, type-checked). The download URL holds the token, so it is
 * never logged or stored; errors name only the file id.
 */
export function telegramFileFetcher(config: { readonly api: Api; readonly token: string; readonly apiRoot: string; readonly dataDir: string }): TelegramFileFetcher {
  const root = config.apiRoot.replace(/\/+$/, "");
  return {
    async fetch(ref, fileName) {
      if (!ref.startsWith(TELEGRAM_FILE_REF_PREFIX)) throw new Error("not a Telegram file reference");
      const fileId = ref.slice(TELEGRAM_FILE_REF_PREFIX.length);
      const file = await config.api.getFile(fileId);
      const limit = Math.min(TELEGRAM_DOWNLOAD_MAX_BYTES, EVIDENCE_MAX_FILE_BYTES);
      if (file.file_size !== undefined && file.file_size > limit) throw new EvidenceRefusedError("too-large");
      if (file.file_path === undefined) throw new Error(`getFile gave no path for ${fileId}`);
      const response = await axios.get<Readable>(`${root}/file/bot${config.token}/${file.file_path}`, {
        responseType: "stream",
        timeout: DOWNLOAD_DEADLINE_MS,
        signal: AbortSignal.timeout(DOWNLOAD_DEADLINE_MS),
        proxy: false,
        validateStatus: () => true,
      }).catch((error: unknown) => {
        throw new Error(`download of ${fileId} failed: ${axios.isAxiosError(error) ? (error.code ?? "network") : "network"}`);
      });
      if (response.status !== 200) {
        response.data.destroy();
        throw new Error(`download of ${fileId} failed: HTTP ${response.status}`);
      }
      // A photo has no name; the store names it by its bytes.
      const name = fileName ?? file.file_path.split("/").pop();
      return storeEvidenceStream(response.data, name, { dataDir: config.dataDir, maxBytes: limit });
    },
  };
}
