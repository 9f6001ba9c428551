import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { handleInbound, type InboundDeps } from "../../src/app/handle-inbound.js";
import { renderNumbered } from "../../src/channels/numbered-render.js";
import { loadDefinitionFile, SHIPPED_DEFINITIONS_DIR } from "../../src/definitions/definition-files.js";
import { listCriteria } from "../../src/domain/questionnaire/definition-index.js";
import type { Criterion } from "../../src/domain/questionnaire/definition-schema.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { loadCorpus } from "../support/reply-corpus.js";
import { GENERATED_DIR, inviteCode, seedAgency, typingClock } from "./conversation-fixture.js";
import { inboundStore } from "../../src/persistence/inbound-store.js";

/**
 * What a whole assessment costs a person in the terminal chat (numbered choices, as on Zalo), measured on the
 * transcript of a scripted lead: link, "tiếp tục", one reply per question, submit. Figures, not timings:
 * - messages per question: assistant messages from the first question to the last answer, per question;
 * - words per question: words of assistant text (whitespace-separated tokens holding a letter) per question;
 * - minutes: all assistant words read at 200 words a minute, plus 5 s per message the person sends.
 */
export const READING_WORDS_PER_MINUTE = 200;
export const SECONDS_PER_ANSWER = 5;

const definition = loadDefinitionFile(path.join(SHIPPED_DEFINITIONS_DIR, "press-dx-1827-2024.json"));

/** The happy path: a plain reply per question, as most people type it. */
function reply(criterion: Criterion, i: number): string {
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return i % 3 === 0 ? "không" : "có";
    case "choice":
      return String((i % spec.options.length) + 1);
    case "multi":
      return "1 3";
    case "number":
      return "60";
  }
}

/**
 * A person who types in their own words: every third reply is one the corpus gives for that question (an answer, as
 * people type it); when it is not understood they retype the plain answer, as a person would after the refusal.
 */
const ownWords = new Map<string, string>();
for (const c of loadCorpus()) {
  if (c.definition.id === definition.id && c.expect.kind === "answer" && !ownWords.has(c.at)) ownWords.set(c.at, c.reply);
}

export const wordsOf = (text: string): number => text.split(/\s+/).filter((token) => /\p{L}/u.test(token)).length;

describe.each(databaseKinds)("the effort of a whole assessment in the terminal chat on $name", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await kind.open();
  });
  afterAll(async () => {
    await database.close();
  });

  it("when a lead answers all 43 questions, then it takes ≤ 1.05 messages and ≤ 45 words per question (whole transcript) and ≤ 15 minutes", async () => {
    const { agency } = await seedAgency(database);
    const deps: InboundDeps = { port: inboundStore(database), db: database.db, translator: await createTranslator(), defaultLocale: "vi", clock: typingClock(), dataDir: GENERATED_DIR };
    let sent = 0;
    const say = async (text: string): Promise<string[]> => {
      sent += 1;
      const result = await handleInbound(deps, { channel: "console", eventKey: randomUUID(), externalUserId: "lead", chatId: "lead", displayName: "Lead", input: { kind: "text", text } });
      if (result.kind !== "handled") throw new Error("unexpected duplicate");
      return result.outbox.map((e) => (e.message.kind === "reply" ? renderNumbered(e.message.reply) : e.message.kind === "photo" || e.message.kind === "document" ? e.message.caption : ""));
    };
    const linking = await say(await inviteCode(database.db, agency.id, "lead"));
    const questions: string[] = [...(await say("tiếp tục"))];
    const criteria = listCriteria(definition);
    for (const [i, { criterion }] of criteria.entries()) questions.push(...(await say(reply(criterion, i))));
    const submitting = [...(await say("nộp")), ...(await say("có"))];

    expect(questions.at(-1)).toContain("Đơn vị đã trả lời tất cả các tiêu chí");
    expect(submitting.at(-1)).toMatch(/Đã nộp kết quả — .*: [\d,]+\/100 điểm, mức /);
    expect(await database.db.answer.count({ where: { value: { not: null } } })).toBe(43);

    const count = criteria.length;
    const messagesPerQuestion = questions.length / count;
    const questionWords = wordsOf(questions.join("\n")) / count;
    const allWords = wordsOf([...linking, ...questions, ...submitting].join("\n"));
    const minutes = allWords / READING_WORDS_PER_MINUTE + (sent * SECONDS_PER_ANSWER) / 60;
    // The figures the README quotes; printed so a change in them is seen.
    console.info(
      `${kind.name}: ${messagesPerQuestion.toFixed(3)} messages/question, ${questionWords.toFixed(1)} words/question ` +
        `(${(allWords / count).toFixed(1)} with linking and submitting), ${minutes.toFixed(1)} minutes`,
    );
    expect(messagesPerQuestion).toBeLessThanOrEqual(1.05);
    expect(questionWords).toBeLessThanOrEqual(45);
    // Over the whole transcript too, the welcome, pillar headings, linking and submitting included.
    expect(allWords / count).toBeLessThanOrEqual(45);
    expect(minutes).toBeLessThanOrEqual(15);
    // 90 messages through the whole inbound path: generous on a busy machine (figures, not speed, are under test).
  }, 120_000);

  it("when a lead types a third of the answers in their own words, then the whole assessment still takes ≤ 15 minutes", async () => {
    // A database of its own: the period of the first case must not be added twice.
    const own = await kind.open();
    onTestFinished(() => own.close());
    const { agency } = await seedAgency(own, "Báo Lời Tự Nhiên");
    const deps: InboundDeps = { port: inboundStore(own), db: own.db, translator: await createTranslator(), defaultLocale: "vi", clock: typingClock(), dataDir: GENERATED_DIR };
    let sent = 0;
    const transcript: string[] = [];
    const say = async (text: string): Promise<void> => {
      sent += 1;
      const result = await handleInbound(deps, { channel: "console", eventKey: randomUUID(), externalUserId: "own-words", chatId: "own-words", displayName: "Lan", input: { kind: "text", text } });
      if (result.kind !== "handled") throw new Error("unexpected duplicate");
      transcript.push(...result.outbox.map((e) => (e.message.kind === "reply" ? renderNumbered(e.message.reply) : "")));
    };
    await say(await inviteCode(own.db, agency.id, "lead"));
    await say("tiếp tục");
    const criteria = listCriteria(definition);
    let ownCount = 0;
    let retyped = 0;
    for (const [i, { criterion }] of criteria.entries()) {
      const mine = i % 3 === 0 ? ownWords.get(criterion.id) : undefined;
      const before = await own.db.answer.count({ where: { value: { not: null } } });
      await say(mine ?? reply(criterion, i));
      if (mine !== undefined) ownCount += 1;
      if ((await own.db.answer.count({ where: { value: { not: null } } })) === before) {
        retyped += 1;
        await say(reply(criterion, i));
      }
    }
    await say("nộp");
    await say("có");
    expect(ownCount).toBeGreaterThanOrEqual(Math.floor(criteria.length / 3) - 2);
    expect(await own.db.answer.count({ where: { value: { not: null } } })).toBe(43);
    const minutes = wordsOf(transcript.join("\n")) / READING_WORDS_PER_MINUTE + (sent * SECONDS_PER_ANSWER) / 60;
    console.info(`${kind.name}: own words ${ownCount}/${criteria.length}, retyped ${retyped}, ${sent} messages, ${minutes.toFixed(1)} minutes`);
    expect(minutes).toBeLessThanOrEqual(15);
  }, 120_000);
});
