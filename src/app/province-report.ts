import { foldText, t } from "../domain/conversation/text.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { Translator } from "../i18n/translator.js";
import type { Db } from "../persistence/db-client.js";
import { loadPeriodResults } from "../persistence/results-store.js";
import { buildWorkbook } from "../results/export-workbook.js";
import { saveGeneratedFile } from "./generated-files.js";

/**
 * A province's workbook for a period, written under `<dataDir>/exports/`. The province id comes from the supervisor's
 * own role grant (never from what they typed), so the file holds their province's agencies and nothing else.
 */
export async function writeProvinceWorkbook(
  deps: { readonly db: Db; readonly translator: Translator; readonly dataDir: string },
  request: { readonly provinceId: string; readonly provinceName: string; readonly periodId: string; readonly locale: Locale; readonly now: Date },
): Promise<{ file: string; fileName: string; agencies: number }> {
  const results = await loadPeriodResults(deps.db, request.periodId, { provinceId: request.provinceId });
  const render = (text: Parameters<Translator["text"]>[1]) => deps.translator.text(request.locale, text);
  const bytes = await buildWorkbook(results, { render, locale: request.locale, scope: request.provinceName, generatedAt: request.now });
  const file = await saveGeneratedFile(deps.dataDir, "exports", "xlsx", bytes, request.now);
  const stem = render(t("results.export.fileName", { province: request.provinceName, period: results.period.name }));
  return { file, fileName: `${slug(stem)}.xlsx`, agencies: results.agencies.length };
}

/** `Báo cáo Hà Nội` → `bao-cao-ha-noi`: file names every platform and operating system accept. */
export function slug(text: string): string {
  return foldText(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "report";
}
