import type { Effect } from "./effects.js";
import type { CommandName, ParsedCommand } from "./input.js";
import { foldText, t } from "./text.js";

const OFF = new Set(["off", "tat", "0", "khong", "no"]);
const ON = new Set(["on", "bat", "1", "co", "yes"]);

/** `/reminders off|on`, `/reminders_off`, “tắt nhắc”, “bật nhắc”, “nhac off”…: a person's own reminders. */
export function isRemindersCommand(name: CommandName): boolean {
  return name === "reminders" || name === "reminders_off" || name === "reminders_on";
}

/**
 * What a reminders command does, for any linked person (members, leads, supervisors), with or without an open
 * period: turn this chat account's reminders off or on, or explain how when the argument is missing or unclear.
 */
export function remindersCommandEffects(command: ParsedCommand): Effect[] {
  const wanted = command.name === "reminders_off" ? false : command.name === "reminders_on" ? true : onOff(command.arg);
  if (wanted === null) return [{ kind: "reply", reply: { paragraphs: [t("reminders.command.usage")] } }];
  return [
    { kind: "set-reminders", enabled: wanted },
    { kind: "reply", reply: { paragraphs: [t(wanted ? "reminders.command.on" : "reminders.command.off")] } },
  ];
}

function onOff(arg: string): boolean | null {
  const word = foldText(arg);
  if (OFF.has(word)) return false;
  if (ON.has(word)) return true;
  return null;
}
