import type { Locale } from "../domain/questionnaire/definition-schema.js";

export const VIETNAM_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** Numbers as officials write them: "73,5" in Vietnamese, "73.5" in English, at most 2 decimals. */
// Intl formatters are costly to build (a profile showed them among the top costs per message): build them once.
const NUMBER_FORMATS: Record<Locale, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 }),
};
const VIETNAM_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: VIETNAM_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

export function formatNumber(value: number, locale: Locale): string {
  return NUMBER_FORMATS[locale].format(value);
}

function parts(date: Date): Record<string, string> {
  return Object.fromEntries(VIETNAM_PARTS.formatToParts(date).map((p) => [p.type, p.value]));
}

/** dd/mm/yyyy in Vietnam time, whatever the server's time zone. */
export function formatDate(date: Date): string {
  const p = parts(date);
  return `${p.day}/${p.month}/${p.year}`;
}

/** HH:mm dd/mm/yyyy in Vietnam time. */
export function formatDateTime(date: Date): string {
  const p = parts(date);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}
