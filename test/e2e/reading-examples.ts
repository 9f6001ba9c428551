import { expect } from "vitest";
import type { Db } from "../../src/persistence/db-client.js";
import { runCase, type Outcome } from "../support/reply-corpus.js";
import { loadDefinitionFile, SHIPPED_DEFINITIONS_DIR } from "../../src/definitions/definition-files.js";
import path from "node:path";

/**
 * Replies from issue 21's examples, each typed on the question it answers. Over a platform's webhook they must be read
 * exactly as the terminal chat (the engine alone) reads them.
 */
export const READING_EXAMPLES: readonly (readonly [string, string])[] = [
  ["P1.1.1", "ban hành rồi em"],
  ["P2.2.2", "chưa kiểm tra"],
  ["P1.1.2", "số 3"],
  ["P1.1.3", "được 60% ạ"],
  ["P1.2.2", "tăng khoảng 25%"],
  ["P1.2.3", "tất cả"],
  ["P2.1.2", "chỉ có zalo"],
  ["P2.1.3", "đám mây"],
  ["P2.1.5", "1 đến 4"],
  ["P2.2.1", "cấp độ 4"],
  ["P2.2.4", "không biết"],
  ["P3.1.2", "toàn cơ quan"],
  ["P4.2.1", "chỉ xem lượt view"],
  ["P5.1.2", "chưa dùng AI"],
];

const definition = loadDefinitionFile(path.join(SHIPPED_DEFINITIONS_DIR, "press-dx-1827-2024.json"));

/** What the terminal chat does with the reply: the engine alone, on the same question. */
export function terminalReading(at: string, reply: string): Outcome {
  return runCase({ file: "e2e", definition, at, reply, expect: { kind: "none" } });
}

/**
 * Sends each example on its question through `say` (a platform's webhook) and checks the stored answer against the
 * terminal's reading: the same value saved, or nothing saved when the terminal saves nothing.
 */
export async function expectSameReadings(db: Db, agencyId: string, say: (text: string) => Promise<string>): Promise<void> {
  for (const [at, reply] of READING_EXAMPLES) {
    expect(await say(at), `going to ${at}`).toContain(at);
    await say(reply);
    const row = await db.answer.findFirst({ where: { criterionId: at, assessment: { agencyId } } });
    const stored: unknown = row?.value === null || row?.value === undefined ? null : JSON.parse(row.value);
    const terminal = terminalReading(at, reply);
    expect(stored, `${at} ${JSON.stringify(reply)}`).toEqual(terminal.kind === "answer" ? terminal.value : null);
  }
}
