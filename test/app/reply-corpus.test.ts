import { describe, expect, it } from "vitest";
import { loadCorpus, runCorpus } from "../support/reply-corpus.js";

/**
 * The corpus of natural replies (test/fixtures/replies/README.md): how officials type, written apart from the reader,
 * over both shipped definitions and a made-up one whose wording the reader was never tuned on.
 */
describe("replies as people type them", () => {
  const cases = loadCorpus();

  it("when the corpus is loaded, then it holds at least 400 replies over three definitions", () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
    expect(new Set(cases.map((c) => c.definition.id)).size).toBe(3);
  });

  it("when every reply is sent to the engine, then at least 97 % are understood and none is misread", () => {
    const figures = runCorpus(cases);
    const failures = figures.failures.map((f) => `${f.case.definition.id} ${f.case.at} ${JSON.stringify(f.case.reply)}: want ${JSON.stringify(f.case.expect)}, got ${JSON.stringify(f.outcome)}`);
    console.info(`reply corpus: ${figures.understood}/${figures.cases} understood (${(figures.share * 100).toFixed(1)} %), ${figures.misread} misread`);
    expect(figures.misread, failures.join("\n")).toBe(0);
    expect(figures.share, failures.join("\n")).toBeGreaterThanOrEqual(0.97);
  });
});
