import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** One webhook body gathered from a public source (test/fixtures/payloads/<channel>/), with its origin file beside it. */
export interface RecordedPayload {
  readonly name: string;
  readonly body: unknown;
  readonly origin: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/payloads");

/** Every recorded payload of a channel, sorted by name; a payload without its `.origin.md` is an error, not skipped. */
export function recordedPayloads(channel: "telegram" | "zalo"): RecordedPayload[] {
  const dir = path.join(ROOT, channel);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => {
      const name = file.slice(0, -".json".length);
      const originFile = path.join(dir, `${name}.origin.md`);
      if (!existsSync(originFile)) throw new Error(`${channel}/${file} has no ${name}.origin.md beside it`);
      return { name, body: JSON.parse(readFileSync(path.join(dir, file), "utf8")) as unknown, origin: readFileSync(originFile, "utf8") };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
