import type { Locale } from "../domain/questionnaire/definition-schema.js";

export const VIETNAM_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** Numbers as officials write them: "73,5" in Vietnamese, "73.5" in English, at most 2 decimals. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 2 }).format(value);
}

function parts(date: Date): Record<string, string> {
  const formatter = new Intl.DateTimeFormat("en-GB", {
    timeZone: VIETNAM_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]));
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
