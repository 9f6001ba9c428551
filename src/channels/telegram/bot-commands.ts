import type { BotCommand } from "grammy/types";
import type { Locale } from "../../domain/questionnaire/definition-schema.js";
import type { Translator } from "../../i18n/translator.js";

/**
 * The commands shown in Telegram's command menu (setMyCommands), in menu order, with the locale key of each
 * description. Keys are spelled out rather than built, so the locale check finds every one of them.
 */
export const TELEGRAM_MENU_COMMANDS = [
  ["start", "telegram.commands.start"],
  ["continue", "telegram.commands.continue"],
  ["score", "telegram.commands.score"],
  ["progress", "telegram.commands.progress"],
  ["review", "telegram.commands.review"],
  ["help", "telegram.commands.help"],
  ["menu", "telegram.commands.menu"],
  ["skip", "telegram.commands.skip"],
  ["back", "telegram.commands.back"],
  ["goto", "telegram.commands.goto"],
  ["note", "telegram.commands.note"],
  ["plan", "telegram.commands.plan"],
  ["submit", "telegram.commands.submit"],
  ["invite", "telegram.commands.invite"],
  ["team", "telegram.commands.team"],
  ["assign", "telegram.commands.assign"],
  ["unassign", "telegram.commands.unassign"],
  ["remove", "telegram.commands.remove"],
  ["addagency", "telegram.commands.addagency"],
  ["overview", "telegram.commands.overview"],
  ["nudge", "telegram.commands.nudge"],
  ["export", "telegram.commands.export"],
  ["reminders_off", "telegram.commands.reminders_off"],
  ["reminders_on", "telegram.commands.reminders_on"],
  ["lang", "telegram.commands.lang"],
] as const;

/** Telegram's limit for a command description (https://core.telegram.org/bots/api#botcommand). */
export const TELEGRAM_COMMAND_DESCRIPTION_LIMIT_CHARS = 256;

/** The command menu in one language. */
export function botCommands(translator: Translator, locale: Locale): BotCommand[] {
  return TELEGRAM_MENU_COMMANDS.map(([command, key]) => ({ command, description: translator.text(locale, { kind: "key", key }) }));
}
