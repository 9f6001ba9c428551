/**
 * Reads a number as officials write it, in Vietnamese or English style:
 * `45`, `45%`, `45,5`, `45.5`, `1.000`, `1,000`, `1 000`, `1.234,5`, `1,234.5`.
 *
 * A lone separator followed by exactly three digits is read as a thousands separator ("1.000" is one thousand),
 * except for percentages, where "12,500%" can only be a decimal. Two different separators: the last one is the
 * decimal mark. The same separator repeated: thousands.
 */
export type NumberParse = { readonly ok: true; readonly value: number } | { readonly ok: false };

export function parseNumberInput(input: string, unit: "percent" | "count" | "vnd"): NumberParse {
  let text = input.trim().replace(/\u00a0/g, " ");
  text = text.replace(/\s*%$/, "");
  if (unit === "vnd") text = text.replace(/\s*(vnd|vnđ|đồng|dong|đ|d)$/i, "");
  if (!/^[+-]?\d[\d.,\s]*$/.test(text) || /[.,\s]$/.test(text)) return { ok: false };
  const negative = text.startsWith("-");
  text = text.replace(/^[+-]/, "");
  // Spaces only ever group thousands ("1 000 000"), and only in groups of three.
  if (/\s/.test(text)) {
    if (!/^\d{1,3}( \d{3})+([.,]\d+)?$/.test(text)) return { ok: false };
    text = text.replace(/ /g, "");
  }
  const dots = (text.match(/\./g) ?? []).length;
  const commas = (text.match(/,/g) ?? []).length;
  let normalized: string;
  if (dots > 0 && commas > 0) {
    const decimal = text.lastIndexOf(".") > text.lastIndexOf(",") ? "." : ",";
    const thousands = decimal === "." ? "," : ".";
    const [intPart = "", fraction = ""] = text.split(decimal);
    if ((decimal === "." ? commas : dots) === 0 || text.split(decimal).length !== 2) return { ok: false };
    if (!validGrouping(intPart, thousands)) return { ok: false };
    normalized = `${intPart.split(thousands).join("")}.${fraction}`;
  } else if (dots + commas === 0) {
    normalized = text;
  } else {
    const separator = dots > 0 ? "." : ",";
    const parts = text.split(separator);
    if (parts.length > 2) {
      if (!validGrouping(text, separator)) return { ok: false };
      normalized = parts.join("");
    } else {
      const [intPart = "", fraction = ""] = parts;
      const looksLikeThousands = unit !== "percent" && fraction.length === 3 && intPart !== "0" && intPart.length <= 3;
      normalized = looksLikeThousands ? `${intPart}${fraction}` : `${intPart}.${fraction}`;
    }
  }
  const value = Number(normalized);
  if (!Number.isFinite(value)) return { ok: false };
  return { ok: true, value: negative ? -value : value };
}

function validGrouping(text: string, separator: string): boolean {
  const groups = text.split(separator);
  return /^\d{1,3}$/.test(groups[0] ?? "") && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}
