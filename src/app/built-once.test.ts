import { describe, expect, it } from "vitest";
import type { Effect } from "../domain/conversation/effects.js";
import type { OutboundMessage } from "../domain/delivery/outbound-message.js";
import { buildOnce, type BuiltReplies } from "./built-once.js";

const effects = (text: string): Effect[] => [{ kind: "reply", reply: { paragraphs: [{ key: text }] } } as unknown as Effect];
const message = (text: string): OutboundMessage => ({ kind: "reply", reply: { text, choices: [], questionId: undefined } });

describe("buildOnce", () => {
  it("when a retry asks for the same replies, then the first build is reused; when it asks for others, they are built", async () => {
    const memo: BuiltReplies = {};
    let builds = 0;
    const build = (text: string) => async () => [message(`${text} #${(builds += 1)}`)];
    expect(await buildOnce(memo, effects("report"), "vi", build("report"))).toEqual([message("report #1")]);
    expect(await buildOnce(memo, effects("report"), "vi", build("report"))).toEqual([message("report #1")]);
    expect(await buildOnce(memo, effects("report"), "en", build("report"))).toEqual([message("report #2")]);
    expect(await buildOnce(memo, effects("other"), "en", build("other"))).toEqual([message("other #3")]);
    expect(builds).toBe(3);
  });

  it("when a build fails, then the next attempt builds again", async () => {
    const memo: BuiltReplies = {};
    await expect(buildOnce(memo, effects("card"), "vi", () => Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
    expect(await buildOnce(memo, effects("card"), "vi", async () => [message("card")])).toEqual([message("card")]);
  });
});
