import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type Resource } from "i18next";
import type { Reply } from "../domain/conversation/effects.js";
import type { Text, VarValue } from "../domain/conversation/text.js";
import type { RenderedReply } from "../domain/delivery/outbound-message.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import { displayText } from "../domain/text/clean-text.js";
import { formatDate, formatDateTime, formatNumber } from "./format.js";

export const LOCALES: readonly Locale[] = ["vi", "en"];
export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "locales");

export type { RenderedReply };

/** Turns the engine's message keys into text for one reader. */
export interface Translator {
  text(locale: Locale, text: Text): string;
  reply(locale: Locale, reply: Reply): RenderedReply;
}

/**
 * Reads every JSON file of locales/<lang>/ into one namespace, so each area of the product keeps its texts in a file
 * of its own (translation.json, telegram.json, …). A key defined in two files is an error, not a silent override.
 */
export function loadMessages(locale: Locale, dir = LOCALES_DIR): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const files = readdirSync(path.join(dir, locale)).filter((f) => f.endsWith(".json")).sort();
  for (const file of files) {
    const content = JSON.parse(readFileSync(path.join(dir, locale, file), "utf8")) as Record<string, unknown>;
    for (const [key, value] of Object.entries(content)) {
      if (key in merged) throw new Error(`locales/${locale}/${file}: top-level key "${key}" is already defined in another file`);
      merged[key] = value;
    }
  }
  return merged;
}

export function loadResources(dir = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const locale of LOCALES) resources[locale] = { translation: loadMessages(locale, dir) };
  return resources;
}

/**
 * An i18next instance over locales/{vi,en}, ready on return (the resources are in memory, so it initialises
 * synchronously); a missing key in a language falls back to Vietnamese. The chat and the operator commands share it.
 */
export function createI18n(): i18n {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources: loadResources(),
    lng: "vi",
    fallbackLng: "vi",
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}

/** Builds the chat's translator (see createI18n). */
export async function createTranslator(): Promise<Translator> {
  const instance = createI18n();
  instance.services.formatter?.add("datetime", (value: unknown) => (value instanceof Date ? formatDateTime(value) : String(value)));
  instance.services.formatter?.add("date", (value: unknown) => (value instanceof Date ? formatDate(value) : String(value)));

  const render = (locale: Locale, text: Text): string => {
    switch (text.kind) {
      // Names, notes and captions reach other people through literals and variables: see displayText.
      case "literal":
        return displayText(text.text);
      case "lines":
        return text.lines.map((line) => render(locale, line)).join("\n");
      case "key": {
        const vars: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(text.vars ?? {})) vars[name] = prepare(locale, value, render);
        return instance.t(text.key, { ...vars, lng: locale });
      }
    }
  };
  return {
    text: render,
    reply(locale, reply) {
      return {
        text: reply.paragraphs.map((p) => render(locale, p)).join("\n\n"),
        choices: (reply.choices ?? []).map((c) => ({ value: c.value, label: render(locale, c.label), selected: c.selected ?? false })),
        questionId: reply.questionId,
        ...(reply.listChoices === false ? { listed: false as const } : {}),
      };
    },
  };
}

function prepare(locale: Locale, value: VarValue, render: (l: Locale, t: Text) => string): unknown {
  if (typeof value === "number") return formatNumber(value, locale);
  if (typeof value === "string") return displayText(value);
  if (value instanceof Date) return value;
  return render(locale, value);
}
