import { createHash } from "node:crypto";
import { t, type Text } from "../../domain/conversation/text.js";
import type { SessionView } from "../../domain/conversation/context.js";
import { criteriaOf } from "../../domain/conversation/navigation.js";
import { localized } from "../../domain/conversation/text.js";
import { ACCEPT_ATTRIBUTE, limitVars } from "../../domain/evidence/evidence-policy.js";
import type { Locale } from "../../domain/questionnaire/definition-schema.js";
import type { Translator } from "../../i18n/translator.js";

/**
 * The upload page's HTML, written here: one small page, no templating library worth a dependency. Every value from
 * data or people goes through escapeHtml; the one style block is allowed by its hash in the Content-Security-Policy,
 * and nothing else (no script, font or image) is loaded at all.
 */
const STYLE = `body{font:16px/1.45 system-ui,sans-serif;margin:0;padding:12px;max-width:720px;color:#1a1a1a;background:#fafafa}
h1{font-size:1.25rem;margin:.2em 0 .6em}section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px;margin:0 0 12px}
h2{font-size:1rem;margin:0 0 .3em}p{margin:.3em 0}ul{margin:.2em 0 .5em;padding-left:1.2em;word-break:break-word}
.muted{color:#555;font-size:.9rem}.notice{border-color:#2e7d32;background:#eef7ee}.error{border-color:#c62828;background:#fdecec}
input[type=file]{display:block;max-width:100%;margin:.4em 0}button{font:inherit;padding:.5em 1.2em;border-radius:6px;border:1px solid #1565c0;background:#1565c0;color:#fff}`;

/** The Content-Security-Policy of every upload page response: nothing but this page's own style and form. */
export const UPLOAD_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(STYLE, "utf8").digest("base64")}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface UploadPageModel {
  readonly locale: Locale;
  readonly agencyName: string;
  readonly expiresAt: Date;
  readonly session: SessionView;
  /** File names on record per criterion. */
  readonly files: ReadonlyMap<string, readonly string[]>;
  /** Path the forms post to, without the criterion id. */
  readonly action: string;
  readonly notice?: { readonly kind: "notice" | "error"; readonly text: Text };
}

/** The criteria the page offers: those the definition says need evidence, in the definition's order. */
export function uploadCriteria(session: SessionView) {
  return criteriaOf(session.definition).filter((entry) => entry.criterion.evidence === "required");
}

export function renderUploadPage(translator: Translator, model: UploadPageModel): string {
  const tr = (text: Text): string => escapeHtml(translator.text(model.locale, text));
  const sections = uploadCriteria(model.session).map((entry) => {
    const id = entry.criterion.id;
    const answered = model.session.answers.get(id)?.value != null;
    const names = model.files.get(id) ?? [];
    const files = names.length === 0 ? `<p class="muted">${tr(t("evidence2.page.noFiles"))}</p>` : `<p class="muted">${tr(t("evidence2.page.files"))}</p><ul>${names.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`;
    return `<section id="c-${escapeHtml(id)}"><h2>${escapeHtml(id)} · ${escapeHtml(localized(entry.criterion.question, model.locale))}</h2>
<p class="muted">${tr(t(answered ? "evidence2.page.answered" : "evidence2.page.unanswered"))}</p>${files}
<form method="post" action="${escapeHtml(`${model.action}/${encodeURIComponent(id)}`)}" enctype="multipart/form-data">
<label>${tr(t("evidence2.page.pick", { id }))}<input type="file" name="file" accept="${ACCEPT_ATTRIBUTE}" required></label>
<button type="submit">${tr(t("evidence2.page.submit"))}</button></form></section>`;
  });
  const notice = model.notice === undefined ? "" : `<section class="${model.notice.kind}" role="status"><p>${tr(model.notice.text)}</p></section>`;
  return page(model.locale, tr(t("evidence2.page.title", { agency: model.agencyName })), `${notice}
<p>${tr(t("evidence2.page.intro", { period: model.session.periodName, ...limitVars() }))}</p>
<p class="muted">${tr(t("evidence2.page.expires", { expires: model.expiresAt }))}</p>
${sections.length === 0 ? `<p>${tr(t("evidence2.page.none"))}</p>` : sections.join("\n")}`);
}

/** A page with one message (a refused link, a closed assessment). */
export function renderMessagePage(translator: Translator, locale: Locale, text: Text): string {
  const message = escapeHtml(translator.text(locale, text));
  return page(locale, message.slice(0, 60), `<section class="error"><p>${message}</p></section>`);
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${STYLE}</style></head>
<body><h1>${title}</h1>
${body}
</body></html>`;
}
