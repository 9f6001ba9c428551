import type { i18n } from "i18next";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { formatDate, formatDateTime, formatNumber } from "../i18n/format.js";
import { createI18n } from "../i18n/translator.js";
import { UserError } from "../shared/user-error.js";

/**
 * What operators read, through i18next like the chat (texts in locales/<lang>/operator.json under "operator"):
 * Vietnamese unless `--lang en` or DEFAULT_LOCALE=en says otherwise. `--json` output never goes through here, so
 * scripts read the same fields in either language.
 */

/** A text's values; a value that is itself an operator text (a reason inside a line) is translated first. */
export type OperatorVars = Readonly<Record<string, string | number | Date | OperatorText>>;

/** A key and its values, translated where it is shown. */
export interface OperatorText {
  readonly key: string;
  readonly vars: OperatorVars;
}

/** Turns an operator text key ("operator.…") into a line in the chosen language; `has` tells whether a key exists. */
export interface Tr {
  (key: string, vars?: OperatorVars): string;
  has(key: string): boolean;
}

/** A user error whose text is an operator key: translated where it is printed. */
export class OperatorError extends UserError implements OperatorText {
  override name = "OperatorError";
  constructor(
    readonly key: string,
    readonly vars: OperatorVars = {},
  ) {
    super(key);
  }
}

/** A reason to put inside another text (`{ flag, reason: reason("operator.reasons.…") }`). */
export const reason = (key: string, vars: OperatorVars = {}): OperatorText => ({ key, vars });

/** A key built from parts (`operatorKey("admin", "period", "add", "usage")`), for the keys a command table names. */
export const operatorKey = (...parts: readonly string[]): string => ["operator", ...parts].join(".");

let instance: i18n | null = null;

function i18nInstance(): i18n {
  instance ??= createI18n();
  return instance;
}

/** Dates as dd/mm/yyyy and numbers with a decimal comma in Vietnamese; dates arrive as Date and are formatted here. */
function prepare(locale: Locale, vars: OperatorVars, t: Tr): Record<string, string | number> {
  const one = (name: string, value: string | number | Date | OperatorText): string | number => {
    if (typeof value === "object" && !(value instanceof Date)) return t(value.key, value.vars);
    if (value instanceof Date) return name.endsWith("Time") ? formatDateTime(value) : formatDate(value);
    // `count` picks the plural form, so it stays a number (whole counts need no decimal comma).
    if (typeof value === "number") return name === "count" ? value : formatNumber(value, locale);
    return value;
  };
  return Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, one(name, value)]));
}

/** The translator for one language. */
export function operatorText(locale: Locale): Tr {
  const i18 = i18nInstance();
  const tr: Tr = Object.assign((key: string, vars: OperatorVars = {}): string => i18.t(key, { ...prepare(locale, vars, tr), lng: locale }), {
    has: (key: string) => i18.exists(key, { lng: locale, fallbackLng: false }),
  });
  return tr;
}

/** The language of a run: `--lang` wins (`--lang=en` too), then DEFAULT_LOCALE; Vietnamese when neither says. */
export function operatorLocale(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Locale {
  const at = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const flag = at < 0 ? undefined : argv[at]?.includes("=") ? argv[at]?.split("=")[1] : argv[at + 1];
  const wanted = flag ?? env.DEFAULT_LOCALE?.trim();
  return wanted === "en" ? "en" : "vi";
}
