import { describe, expect, it } from "vitest";
import { parseCommand } from "./input.js";
import { Chat, dataEffects, personOf, replyKeys, sessionOf, tinyDefinition } from "../../../test/support/conversation-engine.js";

const tiny = tinyDefinition();

describe("turning one's own reminders off and on", () => {
  it.each([
    ["/reminders off", "reminders"],
    ["/reminders_off", "reminders_off"],
    ["tắt nhắc", "reminders_off"],
    ["Tắt nhắc hạn", "reminders_off"],
    ["tat nhac", "reminders_off"],
    ["nhac off", "reminders_off"],
    ["reminders off", "reminders_off"],
    ["bật nhắc", "reminders_on"],
    ["BẬT NHẮC HẠN!", "reminders_on"],
    ["nhắc on", "reminders_on"],
    ["/reminders on", "reminders"],
  ])("when someone types %j, then it is the %s command", (typed, name) => {
    expect(parseCommand(typed)).toMatchObject({ name });
  });

  it.each<[string, boolean]>([
    ["/reminders off", false],
    ["tắt nhắc", false],
    ["nhac off", false],
    ["/reminders tắt", false],
    ["/reminders on", true],
    ["bật nhắc", true],
    ["/reminders_on", true],
  ])("when a member answering questions types %j, then reminders are set to %s and the reply confirms it", (typed, enabled) => {
    const chat = new Chat({ person: personOf("member"), session: sessionOf(tiny) });
    chat.send("tiếp tục");
    const effects = chat.send(typed);
    expect(dataEffects(effects)).toEqual([{ kind: "set-reminders", enabled }]);
    expect(replyKeys(effects)).toEqual([enabled ? "reminders.command.on" : "reminders.command.off"]);
  });

  it.each(["/reminders", "/reminders maybe"])("when the command %j has no clear on/off, then it explains how and changes nothing", (typed) => {
    const chat = new Chat({ person: personOf("lead"), session: sessionOf(tiny) });
    const effects = chat.send(typed);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual(["reminders.command.usage"]);
  });

  it("when a supervisor turns reminders off, then their digests stop like anyone's reminders", () => {
    const chat = new Chat({ person: personOf("supervisor"), session: null });
    expect(dataEffects(chat.send("tắt nhắc"))).toEqual([{ kind: "set-reminders", enabled: false }]);
  });

  it("when there is no period open for the agency, then reminders can still be turned off", () => {
    const chat = new Chat({ person: personOf("member"), session: null });
    expect(dataEffects(chat.send("/reminders off"))).toEqual([{ kind: "set-reminders", enabled: false }]);
  });

  it("when a note is being written, then the words are kept as the note rather than taken as a command", () => {
    const chat = new Chat({ person: personOf("member"), session: sessionOf(tiny) });
    chat.send("tiếp tục");
    chat.send("/note");
    expect(dataEffects(chat.send("tắt nhắc"))).toEqual([{ kind: "save-note", criterionId: "P1.1.1", note: "tắt nhắc" }]);
  });
});
