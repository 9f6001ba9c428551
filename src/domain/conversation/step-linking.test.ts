import { describe, expect, it } from "vitest";
import type { InviteLookup, PersonView } from "./context.js";
import type { Input } from "./input.js";
import { CODE_LOCK_MS, inviteCandidate, MAX_CODE_FAILURES } from "./linking.js";
import { initialState, parseState } from "./state.js";
import { step } from "./step.js";
import { Chat, contextOf, dataEffects, NOW, personOf, pick, replyKeys, sessionOf, shippedDefinition, text, varsOf, onlyReply } from "../../../test/support/conversation-engine.js";

const CODE = "K7M2Q-9XWDA";
const valid = (role: PersonView["role"] = "member"): InviteLookup => ({ status: "valid", inviteId: "invite-1", role, targetName: "Bao Thu Nghiem" });
const wrong: InviteLookup = { status: "unknown" };

describe("a person who is not linked yet", () => {
  it.each<[string, Input]>([
    ["a greeting", text("xin chào")],
    ["a command", text("điểm")],
    ["/start with no code", text("/start")],
    ["a button", pick("P1.1.1", "yes")],
    ["a photo", { kind: "attachment", attachment: { kind: "photo", ref: "f" } }],
    ["a sticker", { kind: "unsupported" }],
  ])("when they send %s, then the greeting says it is an automated assistant and how to link, and nothing else happens", (_case, input) => {
    const result = step(initialState(), input, contextOf({ person: null }));
    expect(result.effects).toEqual([
      { kind: "reply", reply: { paragraphs: [{ kind: "key", key: "welcome.unlinked" }, { kind: "key", key: "welcome.howToLink" }] } },
    ]);
  });

  it.each<[string, PersonView["role"], string, string]>([
    [CODE, "member", "link.done.member", "link.next"],
    [`/start ${CODE.replace("-", "")}`, "lead", "link.done.lead", "link.next"],
    ["k7m2q 9xwda", "supervisor", "link.done.supervisor", "link.nextSupervisor"],
  ])("when a valid code is sent as %j for a %s, then the invite is redeemed and they are told what comes next", (message, role, doneKey, nextKey) => {
    const result = step(initialState(), text(message), contextOf({ person: null, invite: valid(role) }));
    expect(dataEffects(result.effects)).toEqual([{ kind: "redeem-invite", inviteId: "invite-1" }]);
    const reply = onlyReply(result.effects);
    expect(replyKeys(result.effects)).toEqual([doneKey, nextKey]);
    expect(varsOf(reply, doneKey)).toEqual({ target: "Bao Thu Nghiem" });
  });

  it.each<[InviteLookup["status"], string]>([
    ["unknown", "link.invalid"],
    ["expired", "link.invalid"],
    ["used", "link.invalid"],
  ])("when the code is %s, then the reply is %s (one answer for all three) and the failure is counted", (status, key) => {
    const result = step(initialState(), text(CODE), contextOf({ person: null, invite: { status } as InviteLookup }));
    expect(result.effects).toEqual([{ kind: "reply", reply: { paragraphs: [{ kind: "key", key }] } }]);
    expect(result.state.codeFailures).toBe(1);
  });

  it.each<[string, string | null]>([
    [CODE, "K7M2Q9XWDA"],
    [`/start ${CODE}`, "K7M2Q9XWDA"],
    ["  k7m2q-9xwda ", "K7M2Q9XWDA"],
    ["xin chào", null],
    ["K7M2Q-9XWD", null],
    ["/start", null],
  ])("when %j is typed, then the code the app must look up is %j", (message, code) => {
    expect(inviteCandidate(text(message))).toBe(code);
  });

  it(`when ${MAX_CODE_FAILURES} wrong codes are sent, then the chat is locked — even a valid code is refused — until the lock passes`, () => {
    const chat = new Chat({ person: null, invite: wrong });
    const replies = Array.from({ length: MAX_CODE_FAILURES }, () => replyKeys(chat.send(CODE)));
    expect(replies.slice(0, -1)).toEqual(Array(MAX_CODE_FAILURES - 1).fill(["link.invalid"]));
    expect(replies.at(-1)).toEqual(["link.invalid", "link.slowDown"]);

    chat.invite = valid();
    chat.now = new Date(NOW.getTime() + CODE_LOCK_MS - 60_000);
    const locked = chat.send(CODE);
    expect(dataEffects(locked)).toEqual([]);
    expect(replyKeys(locked)).toEqual(["link.slowDown"]);
    expect(varsOf(onlyReply(locked), "link.slowDown")).toEqual({ minutes: 1 });

    chat.now = new Date(NOW.getTime() + CODE_LOCK_MS + 1000);
    const unlocked = chat.send(CODE);
    expect(dataEffects(unlocked)).toEqual([{ kind: "redeem-invite", inviteId: "invite-1" }]);
    expect(chat.state.codeLockedUntil).toBeUndefined();
    expect(chat.state.codeFailures).toBe(0);
  });

  it("when a chat is locked and the stored state is read back (a restart), then it is still locked", () => {
    const chat = new Chat({ person: null, invite: wrong });
    for (let i = 0; i < MAX_CODE_FAILURES; i += 1) chat.send(CODE);
    const restored = parseState(JSON.stringify(chat.state));
    const result = step(restored, text(CODE), contextOf({ person: null, invite: valid(), now: new Date(NOW.getTime() + 60_000) }));
    expect(replyKeys(result.effects)).toEqual(["link.slowDown"]);
  });

  it("when an unlinked person sends /lang en, then the language is set even before linking", () => {
    const result = step(initialState(), text("/lang en"), contextOf({ person: null }));
    expect(result.effects).toEqual([
      { kind: "set-locale", locale: "en" },
      { kind: "reply", reply: { paragraphs: [{ kind: "key", key: "lang.changed" }] } },
    ]);
    expect(result.state.locale).toBe("en");
  });
});

describe("a person who is already linked", () => {
  it("when they send /start with a code, then they are told they are linked already and nothing is redeemed", () => {
    const result = step(initialState(), text(`/start ${CODE}`), contextOf({ session: sessionOf(shippedDefinition()), invite: valid() }));
    expect(dataEffects(result.effects)).toEqual([]);
    expect(replyKeys(result.effects)).toEqual(["link.already"]);
  });

  it.each<[string, string, string]>([
    ["anything", "xin chào", "session.none"],
    ["help", "trợ giúp", "help.commands"],
    ["a score request", "điểm", "session.none"],
  ])("when their agency has no open period and they send %s, then %s is the answer", (_case, message, key) => {
    const result = step(initialState(), text(message), contextOf({ session: null }));
    expect(replyKeys(result.effects)).toEqual([key]);
  });

  it.each(["tiếp tục", "điểm", "có"])("when a supervisor sends %j, then they are told their account is read-only for their province", (message) => {
    const result = step(initialState(), text(message), contextOf({ person: personOf("supervisor"), session: null }));
    const reply = onlyReply(result.effects);
    expect(replyKeys(result.effects)).toEqual(["results.supervisor.readOnly", "results.supervisor.help"]);
    expect(varsOf(reply, "results.supervisor.readOnly")).toEqual({ province: "Tinh Thu Nghiem" });
    expect(dataEffects(result.effects)).toEqual([]);
  });
});

describe("parseState (the stored conversation document)", () => {
  it.each<[string, string | null | undefined]>([
    ["null", null],
    ["undefined", undefined],
    ["an empty string", ""],
    ["not JSON", "{oops"],
    ["a JSON array", "[1,2]"],
    ["an empty object", "{}"],
    ["another version", JSON.stringify({ ...initialState(), version: 2 })],
    ["an unknown pending kind", JSON.stringify({ ...initialState(), pending: { kind: "teleport" } })],
    ["a negative failure count", JSON.stringify({ ...initialState(), codeFailures: -1 })],
    ["an unknown language", JSON.stringify({ ...initialState(), locale: "fr" })],
  ])("when the stored state is %s, then it parses to the initial state", (_case, json) => {
    expect(parseState(json)).toEqual(initialState());
  });

  it("when a valid state is stored, then it reads back unchanged", () => {
    const state = {
      ...initialState(),
      locale: "en" as const,
      assessmentId: "a",
      criterionId: "P2.1.3",
      pending: { kind: "multi" as const, criterionId: "P2.1.2", selected: ["a", "c"] },
    };
    expect(parseState(JSON.stringify(state))).toEqual(state);
  });
});
