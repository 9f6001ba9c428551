import { beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../domain/conversation/input.js";
import { createTranslator, type Translator } from "../../i18n/translator.js";
import { botCommands, TELEGRAM_COMMAND_DESCRIPTION_LIMIT_CHARS, TELEGRAM_MENU_COMMANDS } from "./bot-commands.js";

describe("the Telegram command menu", () => {
  let translator: Translator;
  beforeAll(async () => {
    translator = await createTranslator();
  });

  it.each(TELEGRAM_MENU_COMMANDS.map(([command]) => command))("when /%s is tapped in the menu, then the engine knows the command", (command) => {
    expect(parseCommand(`/${command}`)).toMatchObject({ name: command, slash: true });
  });

  it.each(["vi", "en"] as const)("when the menu is built in %s, then every description is translated and within Telegram's limits", (locale) => {
    const commands = botCommands(translator, locale);
    expect(commands.map((c) => c.command)).toEqual(TELEGRAM_MENU_COMMANDS.map(([command]) => command));
    for (const { command, description } of commands) {
      expect(command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(description.length).toBeGreaterThanOrEqual(1);
      expect(description.length).toBeLessThanOrEqual(TELEGRAM_COMMAND_DESCRIPTION_LIMIT_CHARS);
      expect(description).not.toMatch(/^telegram\./);
    }
  });

  it("when the two languages are compared, then the descriptions differ (the English menu is not Vietnamese)", () => {
    const vi = botCommands(translator, "vi");
    const en = botCommands(translator, "en");
    expect(vi.map((c) => c.description)).not.toEqual(en.map((c) => c.description));
    expect(vi.find((c) => c.command === "score")?.description).toContain("điểm");
  });
});
