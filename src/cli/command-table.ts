import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest, distance } from "fastest-levenshtein";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { UserError } from "../shared/user-error.js";
import { OperatorError, operatorKey, operatorLocale, operatorText, type Tr } from "./operator-text.js";
import { userErrorText } from "./user-error-text.js";

/**
 * A program of sub-commands (`admin period add …`) with `--help` on every level, Vietnamese or English texts, and an
 * unknown flag or command answered with the nearest known one. Commands get their output sink, so tests run them
 * in-process and read what an operator would see.
 */

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Where a command writes: lines for people on `out`, problems on `err`. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
};

/** What a command runs with. */
export interface CommandContext {
  readonly values: FlagValues;
  readonly args: readonly string[];
  readonly json: boolean;
  readonly locale: Locale;
  readonly t: Tr;
  readonly io: CliIo;
  /** Prints the JSON value with `--json`, else the lines. */
  emit(value: unknown, lines: readonly string[]): void;
}

/**
 * One command. Its texts are keys below `operator.<program>.<words>` (`operator.admin.period.add`): `summary` (one
 * line), `usage`, `example`, and `flags.<flag>` for its own flags. A program of one command (`score`) gives it the
 * words "": its texts are then the program's own keys.
 */
export interface Command {
  /** The words after the program: "period add". */
  readonly words: string;
  readonly options: Options;
  /** Nothing when it went well, or the exit code (1 when part of the work failed and was reported). */
  run(context: CommandContext): Promise<void | number>;
}

/** The exit code of an operator's mistake (a bug exits 1). */
export const EXIT_USER_ERROR = 2;

const COMMON: Options = { json: { type: "boolean" }, lang: { type: "string" }, help: { type: "boolean", short: "h" } };
const COMMON_FLAGS = ["json", "lang", "help"];

/** The nearest of `known` to `given`, when it is near enough to be a typo (or a prefix). */
export function nearest(given: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(given, [...known]);
  return distance(given, best) <= Math.max(2, Math.floor(best.length / 3)) || best.startsWith(given) ? best : undefined;
}

const wordsOf = (command: Command): string[] => (command.words === "" ? [] : command.words.split(" "));

function helpOf(program: string, command: Command, t: Tr): string[] {
  const own = (...parts: string[]) => operatorKey(program, ...wordsOf(command), ...parts);
  const flags = [...Object.keys(command.options), ...COMMON_FLAGS].map((flag) => `  --${flag}  ${t(t.has(own("flags", flag)) ? own("flags", flag) : operatorKey("common", "flags", flag))}`);
  return [t(own("summary")), "", `${t("operator.common.usage")}: ${t(own("usage"))}`, "", `${t("operator.common.flagsTitle")}:`, ...flags, "", `${t("operator.common.example")}:`, `  ${t(own("example"))}`];
}

function programHelp(program: string, commands: readonly Command[], t: Tr): string[] {
  const lines = commands.map((c) => `  ${program} ${c.words}  —  ${t(operatorKey(program, ...wordsOf(c), "summary"))}`);
  return [t(operatorKey(program, "summary")), "", `${t("operator.common.commandsTitle")}:`, ...lines, "", t("operator.common.helpHint", { program })];
}

/** Finds the command from the leading words: the longest run of words that names one. */
function findCommand(commands: readonly Command[], positionals: readonly string[]): Command | undefined {
  return [...commands].sort((a, b) => wordsOf(b).length - wordsOf(a).length).find((c) => wordsOf(c).every((w, i) => positionals[i] === w));
}

function parseStrict(argv: string[], options: Options, program: string, command: Command): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(message);
    if (unknown?.[2] !== undefined) {
      const suggestion = nearest(unknown[2], [...Object.keys(options), ...COMMON_FLAGS]);
      throw new OperatorError(suggestion ? "operator.common.unknownFlagSuggest" : "operator.common.unknownFlag", { flag: `${unknown[1]}${unknown[2]}`, suggestion: `--${suggestion ?? ""}`, help: `${[program, ...wordsOf(command)].join(" ")} --help` });
    }
    const missingValue = /Option '(?:-\w, )?--([\w-]+) <value>' argument missing/.exec(message);
    if (missingValue?.[1] !== undefined) throw new OperatorError("operator.common.flagNeedsValue", { flag: `--${missingValue[1]}` });
    throw new UserError(message.split("\n")[0] ?? message);
  }
}

/** Runs one program's command line; returns the exit code (0, 1 for a bug, 2 for the operator's mistake). */
export async function runProgram(program: string, commands: readonly Command[], argv: string[], io: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const locale = operatorLocale(argv, env);
  const t = operatorText(locale);
  try {
    const lenient = parseArgs({ args: argv, options: { ...COMMON, ...Object.fromEntries(commands.flatMap((c) => Object.entries(c.options))) }, strict: false, allowPositionals: true });
    const lang = lenient.values.lang;
    if (lang !== undefined && lang !== "vi" && lang !== "en") throw new OperatorError("operator.common.badLang", { lang: String(lang) });
    const command = findCommand(commands, lenient.positionals);
    if (command === undefined) {
      if (lenient.values.help === true && lenient.positionals.length === 0) {
        for (const line of programHelp(program, commands, t)) io.out(line);
        return 0;
      }
      // The command words only: an area that takes an action word ("agency") and the word after it, or one word.
      const [first = "", second] = lenient.positionals;
      const given = second !== undefined && commands.some((c) => c.words.startsWith(`${first} `)) ? `${first} ${second}` : first;
      if (given === "") throw new OperatorError("operator.common.missingCommand", { program });
      const suggestion = nearest(given, commands.map((c) => c.words));
      throw new OperatorError(suggestion ? "operator.common.unknownCommandSuggest" : "operator.common.unknownCommand", { program, command: given, suggestion: `${program} ${suggestion ?? ""}` });
    }
    if (lenient.values.help === true) {
      for (const line of helpOf(program, command, t)) io.out(line);
      return 0;
    }
    const { values, positionals } = parseStrict(argv, command.options, program, command);
    const json = values.json === true;
    const code = await command.run({
      values: values as FlagValues,
      args: positionals.slice(wordsOf(command).length),
      json,
      locale,
      t,
      io,
      emit(value, lines) {
        if (json) io.out(JSON.stringify(value, null, 2));
        else for (const line of lines) io.out(line);
      },
    });
    return code ?? 0;
  } catch (error) {
    if (error instanceof UserError) {
      io.err(userErrorText(error, t));
      return EXIT_USER_ERROR;
    }
    io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}

/** Whether this module is the script node was started with (so a test can import a CLI without running it). */
export function isMainModule(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && url === pathToFileURL(path.resolve(script)).href;
}
