import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { Router, type Response } from "express";
import type { Logger } from "pino";
import { EvidenceRefusedError, storeEvidenceStream, type StoredEvidenceFile } from "../../app/evidence/evidence-file-store.js";
import { evidenceUsage, removeStored } from "../../app/evidence/evidence-limits.js";
import { resolveUploadLink, UPLOAD_PATH, type UploadLinkHolder } from "../../app/evidence/upload-links.js";
import type { SessionView } from "../../domain/conversation/context.js";
import { t, type Text } from "../../domain/conversation/text.js";
import { EVIDENCE_MAX_FILE_BYTES, limitRefusal, limitVars, REFUSAL_KEYS, type EvidenceRefusal } from "../../domain/evidence/evidence-policy.js";
import type { Translator } from "../../i18n/translator.js";
import type { Db, Store } from "../../persistence/db-client.js";
import { evidenceFileColumns } from "../../persistence/conversation-store.js";
import { enqueue, type OutboxEntry } from "../../persistence/outbox-store.js";
import { loadSession } from "../../persistence/session-loader.js";
import { createUploadRate } from "./upload-rate.js";
import { renderMessagePage, renderUploadPage, uploadCriteria, UPLOAD_PAGE_CSP } from "./upload-page.js";

/** The multipart envelope around one file: boundaries and headers. */
const ENVELOPE_BYTES = 64 * 1024;

export interface UploadRouteDeps {
  /** The service's database (the session is read as the chat reads it). */
  readonly store: Store;
  readonly db: Db;
  readonly translator: Translator;
  readonly dataDir: string;
  readonly clock: () => Date;
  readonly logger: Pick<Logger, "info" | "warn">;
  /** Sends the chat's confirmation at once (the outbox deliverer's deliverClaimed). */
  readonly deliver: (entries: readonly OutboxEntry[]) => void;
  readonly maxFileBytes?: number;
}

/**
 * The upload page (“gửi tệp”): GET /u/<token> lists the agency's criteria needing evidence with their files and a
 * file picker each; POST /u/<token>/<criterion> takes one file as a plain multipart form (no JavaScript). Every
 * request checks the link (hash known, not expired, the person still in the agency), the assessment (not submitted,
 * entry open) and the criterion (one of this agency's definition's, needing evidence); the file is streamed into the
 * evidence store with its size limit and kept only when the transaction that records it commits.
 */
export function uploadRouter(deps: UploadRouteDeps): Router {
  const router = Router();
  const maxBytes = deps.maxFileBytes ?? EVIDENCE_MAX_FILE_BYTES;
  const rate = createUploadRate();

  const send = (res: Response, status: number, html: string): void => {
    res.status(status).set({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": UPLOAD_PAGE_CSP,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    });
    res.send(html);
  };
  const message = (res: Response, status: number, locale: UploadLinkHolder["locale"], text: Text): void => {
    // A refused upload is answered without reading the rest of the body; the connection closes after it.
    if (status >= 400) res.set("connection", "close");
    send(res, status, renderMessagePage(deps.translator, locale, text));
  };

  async function pageFor(res: Response, holder: UploadLinkHolder, session: SessionView, token: string, status: number, notice?: { kind: "notice" | "error"; text: Text }): Promise<void> {
    const rows = await deps.db.evidence.findMany({ where: { assessmentId: session.assessmentId }, orderBy: { addedAt: "asc" }, select: { criterionId: true, fileName: true, ref: true } });
    const files = new Map<string, string[]>();
    for (const row of rows) files.set(row.criterionId, [...(files.get(row.criterionId) ?? []), row.fileName ?? row.ref]);
    const model = { locale: holder.locale, agencyName: holder.agencyName, expiresAt: holder.expiresAt, session, files, action: `${UPLOAD_PATH}/${token}`, ...(notice === undefined ? {} : { notice }) };
    send(res, status, renderUploadPage(deps.translator, model));
  }

  /** The link's holder and their agency's open assessment, or the page that says why not. */
  async function open(res: Response, token: string, now: Date): Promise<{ holder: UploadLinkHolder; session: SessionView } | null> {
    const holder = await resolveUploadLink(deps.db, token, now);
    if (holder === null) {
      message(res, 404, "vi", t("evidence2.page.denied"));
      return null;
    }
    const session = await loadSession(deps.store, holder.agencyId, now);
    if (session === null || session.status === "submitted" || now < session.entryOpens || now > session.entryCloses) {
      message(res, 403, holder.locale, t("evidence2.page.closed"));
      return null;
    }
    return { holder, session };
  }

  router.get(`${UPLOAD_PATH}/:token`, async (req, res) => {
    const opened = await open(res, req.params.token, deps.clock());
    if (opened !== null) await pageFor(res, opened.holder, opened.session, req.params.token, 200);
  });

  router.post(`${UPLOAD_PATH}/:token/:criterionId`, async (req, res) => {
    const now = deps.clock();
    const { token, criterionId } = req.params;
    const opened = await open(res, token, now);
    if (opened === null) return;
    const { holder, session } = opened;
    if (!uploadCriteria(session).some((entry) => entry.criterion.id === criterionId)) return message(res, 404, holder.locale, t("evidence2.page.denied"));
    if (!rate.allow(holder.linkId, now.getTime())) return message(res, 429, holder.locale, t("evidence2.page.tooMany"));
    const declared = Number(req.headers["content-length"] ?? "0");
    const refusedEarly = declared > maxBytes + ENVELOPE_BYTES ? "too-large" : limitRefusal(await evidenceUsage(deps.db, session.assessmentId, criterionId), 0);
    if (refusedEarly !== null) return drain(req, () => refuse(res, holder, session, token, refusedEarly, 413));
    let stored: StoredEvidenceFile | null;
    try {
      stored = await receiveFile(req, maxBytes, deps.dataDir);
    } catch (error) {
      if (error instanceof EvidenceRefusedError) return drain(req, () => refuse(res, holder, session, token, error.reason, error.reason === "too-large" ? 413 : 415));
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, "upload not received");
      if (!res.headersSent && !req.destroyed) message(res, 400, holder.locale, t("evidence2.page.refused"));
      return;
    }
    if (stored === null) return pageFor(res, holder, session, token, 400, { kind: "error", text: t("evidence2.page.noFile") });
    const outbox = await record(holder, session.assessmentId, criterionId, stored, now).catch(async (error: unknown) => {
      await removeStored(deps.dataDir, stored.ref);
      throw error;
    });
    if (outbox === "closed" || outbox === "agency-full" || outbox === "criterion-full") {
      await removeStored(deps.dataDir, stored.ref);
      if (outbox === "closed") return message(res, 403, holder.locale, t("evidence2.page.closed"));
      return refuse(res, holder, session, token, outbox, 413);
    }
    deps.deliver(outbox);
    deps.logger.info({ agencyId: holder.agencyId, criterionId, bytes: stored.sizeBytes }, "evidence uploaded on the page");
    const fresh = (await loadSession(deps.store, holder.agencyId, now)) ?? session;
    await pageFor(res, holder, fresh, token, 200, { kind: "notice", text: t("evidence2.page.uploaded", { file: stored.fileName, id: criterionId }) });
  });

  function refuse(res: Response, holder: UploadLinkHolder, session: SessionView, token: string, reason: EvidenceRefusal, status: number): Promise<void> {
    return pageFor(res, holder, session, token, status, { kind: "error", text: t(REFUSAL_KEYS[reason], limitVars()) });
  }

  /**
   * Records the file as evidence, in one transaction with the chat's confirmation, if the assessment is still a draft
   * and the limits still hold once the size is known.
   */
  async function record(holder: UploadLinkHolder, assessmentId: string, criterionId: string, stored: StoredEvidenceFile, now: Date) {
    return deps.db.$transaction(async (tx) => {
      const assessment = await tx.assessment.findUnique({ where: { id: assessmentId }, select: { status: true, agencyId: true } });
      if (assessment === null || assessment.status !== "draft" || assessment.agencyId !== holder.agencyId) return "closed" as const;
      const over = limitRefusal(await evidenceUsage(tx, assessmentId, criterionId), stored.sizeBytes);
      if (over === "agency-full" || over === "criterion-full") return over;
      const evidence = { kind: "document", ref: stored.ref, fileName: stored.fileName };
      await tx.evidence.create({
        data: { assessmentId, criterionId, ...evidence, channel: "web", caption: null, ...evidenceFileColumns(stored), addedById: holder.personId, addedAt: now },
      });
      await tx.answerChange.create({ data: { assessmentId, criterionId, field: "evidence", oldValue: null, newValue: JSON.stringify(evidence), personId: holder.personId, changedAt: now } });
      const reply = deps.translator.reply(holder.locale, { paragraphs: [t("evidence2.upload.received", { file: stored.fileName, id: criterionId })] });
      return enqueue(tx, holder.chat, [{ kind: "reply", reply }], now, { leased: true });
    });
  }

  return router;
}

/** Most of a refused body read and thrown away, so that browsers, which send it all before reading, show the answer. */
const DRAIN_MAX_BYTES = 128 * 1024 * 1024;

/**
 * Reads the rest of a refused request without keeping any of it, then answers. Browsers send a whole form before
 * they read the response; answering early and closing shows them a reset connection instead of the refusal.
 */
function drain(req: IncomingMessage, answer: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    let seen = 0;
    const finish = (): void => {
      if (done) return;
      done = true;
      answer().then(resolve, reject);
    };
    if (req.complete || req.readableEnded) return finish();
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_MAX_BYTES) req.destroy();
    });
    req.on("end", finish);
    req.on("close", finish);
    req.resume();
  });
}

/**
 * Streams the form's one file into the evidence store. Busboy cuts the file one byte past the limit, so the store sees
 * it is too large and removes what it wrote; a connection dropped mid-file destroys the stream, and the store removes
 * the partial file. Resolves with null when the form held no file.
 */
function receiveFile(req: IncomingMessage, maxBytes: number, dataDir: string): Promise<StoredEvidenceFile | null> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // Browsers send file names as UTF-8; busboy reads them as Latin-1 unless told.
      parser = busboy({ headers: req.headers, defParamCharset: "utf8", limits: { files: 1, fileSize: maxBytes + 1, fields: 5, fieldSize: 1024, parts: 6 } });
    } catch (error) {
      return reject(error instanceof Error ? error : new Error(String(error)));
    }
    let storing: Promise<StoredEvidenceFile> | null = null;
    let current: Readable | null = null;
    parser.on("file", (name, stream, info) => {
      if (name !== "file" || storing !== null) return void stream.resume();
      current = stream;
      storing = storeEvidenceStream(stream, info.filename, { dataDir, maxBytes });
      // A refused file is answered at once, not after the rest of the form.
      storing.catch((error: unknown) => {
        req.unpipe(parser);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
    parser.on("error", (error: Error) => {
      current?.destroy(error);
      (storing ?? Promise.resolve(null)).then(() => reject(error), reject);
    });
    parser.on("close", () => {
      (storing ?? Promise.resolve(null)).then(resolve, reject);
    });
    req.on("close", () => {
      if (!req.complete) current?.destroy(new Error("connection closed before the file was complete"));
    });
    req.pipe(parser);
  });
}
