import type { AnswerView, InviteLookup, PersonView, SessionView } from "../domain/conversation/context.js";
import type { AnswerValue } from "../domain/questionnaire/answer-value.js";
import type { Locale } from "../domain/questionnaire/definition-schema.js";
import type { Channel } from "../domain/delivery/outbound-message.js";
import type { Db, Store } from "./db-client.js";
import { column } from "./sql/columns.js";
import { rawSql, sql, type SqlStatement } from "./sql/statement.js";
import type { DriverSql, Row } from "./sql/driver.js";
import { parsedDefinition } from "./definition-store.js";
import { previousResultOf } from "./previous-result.js";
import { agencyPeriodRow, answerRow, type AgencyPeriodRow, type AnswerRow } from "./session-rows.js";

export type { AgencyPeriodRow, AnswerRow };
import { parseAssignedParts } from "./assigned-parts-column.js";
import { isUniqueViolation } from "./store-errors.js";

/*
 * What one inbound message reads, in plain SQL on the driver (sql/driver.ts): this runs for every message, and going
 * through Prisma costs several times more per query than the query itself. Three queries on SQLite, where a query is a
 * function call; one on PostgreSQL, where each is a network round trip (readChatContext). The SQL is the common subset
 * of SQLite and PostgreSQL (quoted identifiers, LEFT JOIN, correlated subqueries); the column readers turn each
 * driver's values into the same types.
 */

/** A person linked to a chat account, with their latest role. */
export type LinkedPerson = PersonView & { readonly agencyId: string | null; readonly provinceId: string };

export interface KnownIdentity {
  readonly id: string;
  readonly personId: string | null;
  /** Set when a lead removed the person this chat belonged to (team-store.ts). */
  readonly formerPersonId: string | null;
  readonly chatId: string;
  readonly displayName: string | null;
  readonly lastSeenAt: Date;
}

/** Everything known about the sender of one platform event before the conversation engine runs. */
export interface ChatContext {
  /** The event key was processed before: a redelivery. */
  readonly seen: boolean;
  readonly identity: KnownIdentity | null;
  readonly state: { readonly json: string | null; readonly version: number };
  readonly person: LinkedPerson | null;
  /** The person's agency's periods and answers, when they came in the same round trip (PostgreSQL); see loadSession. */
  readonly sessionRows: SessionRows | null;
}

interface ChatContextRow {
  seen: number;
  id: string | null;
  personId: string | null;
  formerPersonId: string | null;
  chatId: string | null;
  displayName: string | null;
  lastSeenAt: Date | null;
  state: string | null;
  version: number | null;
  personName: string | null;
  personLocale: string | null;
  role: string | null;
  agencyId: string | null;
  agencyName: string | null;
  assignedParts: string | null;
  provinceId: string | null;
  provinceName: string | null;
}

/**
 * One query: whether the event was seen, the chat identity, its conversation state, its person and their latest
 * role grant with agency and province. The one-row driving table keeps `seen` when the identity is new. On PostgreSQL
 * the same statement also brings the agency's periods and answers (loadSession), as JSON.
 */
export async function readChatContext({ sql: driver }: Store, channel: Channel, externalUserId: string, eventKey: string): Promise<ChatContext> {
  const context = chatContextQuery(channel, externalUserId, eventKey);
  const rows = await driver.rows(driver.kind === "postgres" ? withSessionRows(context) : context);
  const raw = rows[0];
  if (!raw) throw new Error("chat context query returned no row");
  const row = chatContextRow(raw);
  const identity =
    row.id === null || row.chatId === null || row.lastSeenAt === null
      ? null
      : { id: row.id, personId: row.personId, formerPersonId: row.formerPersonId, chatId: row.chatId, displayName: row.displayName, lastSeenAt: row.lastSeenAt };
  return {
    seen: row.seen === 1,
    identity,
    state: { json: row.state, version: row.version ?? 0 },
    person: linkedPerson(row),
    sessionRows: driver.kind === "postgres" && row.agencyId !== null ? sessionRowsFromJson(raw) : null,
  };
}

function chatContextQuery(channel: Channel, externalUserId: string, eventKey: string): SqlStatement {
  return sql`
    SELECT
      CASE WHEN EXISTS (SELECT 1 FROM "ProcessedUpdate" u WHERE u."channel" = ${channel} AND u."externalKey" = ${eventKey}) THEN 1 ELSE 0 END AS "seen",
      i."id", i."personId", i."formerPersonId", i."chatId", i."displayName", i."lastSeenAt",
      s."state", s."version",
      p."displayName" AS "personName", p."locale" AS "personLocale",
      g."role", g."agencyId", g."assignedParts", a."name" AS "agencyName",
      COALESCE(ap."id", gp."id") AS "provinceId", COALESCE(ap."name", gp."name") AS "provinceName"
    FROM (SELECT 1 AS "one") d
    LEFT JOIN "ChatIdentity" i ON i."channel" = ${channel} AND i."externalUserId" = ${externalUserId}
    LEFT JOIN "ConversationState" s ON s."identityId" = i."id"
    LEFT JOIN "Person" p ON p."id" = i."personId"
    LEFT JOIN "RoleGrant" g ON g."id" = (
      SELECT g2."id" FROM "RoleGrant" g2 WHERE g2."personId" = i."personId" ORDER BY g2."createdAt" DESC, g2."id" DESC LIMIT 1)
    LEFT JOIN "Agency" a ON a."id" = g."agencyId"
    LEFT JOIN "Province" ap ON ap."id" = a."provinceId"
    LEFT JOIN "Province" gp ON gp."id" = g."provinceId"`;
}

/** The context row with the linked agency's session rows as two JSON arrays, in one statement (PostgreSQL). */
function withSessionRows(context: SqlStatement): SqlStatement {
  const agency = rawSql(`ctx."agencyId"`);
  return sql`
    WITH ctx AS (${context})
    SELECT ctx.*,
      CASE WHEN ctx."agencyId" IS NULL THEN NULL ELSE
        (SELECT json_agg(t ORDER BY t."entryOpens" DESC, t."id" DESC) FROM (${agencyPeriodsQuery(agency)}) t) END AS "sessionPeriods",
      CASE WHEN ctx."agencyId" IS NULL THEN NULL ELSE
        (SELECT json_agg(t) FROM (${agencyAnswersQuery(agency)}) t) END AS "sessionAnswers"
    FROM ctx`;
}

/**
 * PostgreSQL renders a `timestamp` in JSON without a zone; these hold UTC (Prisma's convention), so the zone is added
 * before the column readers parse them.
 */
function sessionRowsFromJson(row: Row): SessionRows {
  const utc = (value: unknown): unknown => (typeof value === "string" && !/(Z|[+-]\d\d:\d\d)$/.test(value) ? `${value}Z` : value);
  const list = (value: unknown, dates: readonly string[]): Row[] => {
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) throw new Error("session rows: expected a JSON array");
    return value.map((item: Row) => ({ ...item, ...Object.fromEntries(dates.map((d) => [d, utc(item[d])])) }));
  };
  return {
    periods: list(row.sessionPeriods, ["entryOpens", "entryCloses", "submittedAt"]).map(agencyPeriodRow),
    answers: list(row.sessionAnswers, ["answeredAt"]).map(answerRow),
  };
}

function chatContextRow(row: Row): ChatContextRow {
  const { textOrNull, number, numberOrNull, dateOrNull } = column;
  return {
    seen: number(row, "seen"),
    id: textOrNull(row, "id"),
    personId: textOrNull(row, "personId"),
    formerPersonId: textOrNull(row, "formerPersonId"),
    chatId: textOrNull(row, "chatId"),
    displayName: textOrNull(row, "displayName"),
    lastSeenAt: dateOrNull(row, "lastSeenAt"),
    state: textOrNull(row, "state"),
    version: numberOrNull(row, "version"),
    personName: textOrNull(row, "personName"),
    personLocale: textOrNull(row, "personLocale"),
    role: textOrNull(row, "role"),
    agencyId: textOrNull(row, "agencyId"),
    agencyName: textOrNull(row, "agencyName"),
    assignedParts: textOrNull(row, "assignedParts"),
    provinceId: textOrNull(row, "provinceId"),
    provinceName: textOrNull(row, "provinceName"),
  };
}

function linkedPerson(row: ChatContextRow): LinkedPerson | null {
  if (row.personId === null || row.personName === null || row.role === null || row.provinceId === null || row.provinceName === null) return null;
  return {
    id: row.personId,
    name: row.personName,
    locale: row.personLocale === "en" || row.personLocale === "vi" ? (row.personLocale as Locale) : null,
    role: row.role === "lead" || row.role === "supervisor" ? row.role : "member",
    agencyName: row.agencyName,
    agencyId: row.agencyId,
    assignedParts: parseAssignedParts(row.assignedParts),
    provinceName: row.provinceName,
    provinceId: row.provinceId,
  };
}

export async function lookupInvite(db: Db, codeHash: string, now: Date): Promise<InviteLookup> {
  const invite = await db.invite.findUnique({ where: { codeHash }, include: { agency: true, province: true } });
  if (!invite) return { status: "unknown" };
  if (invite.usedAt !== null) return { status: "used" };
  if (invite.expiresAt <= now) return { status: "expired" };
  const role = invite.role === "lead" || invite.role === "supervisor" ? invite.role : "member";
  return { status: "valid", inviteId: invite.id, role, targetName: invite.agency?.name ?? invite.province?.name ?? "" };
}


/** An agency's periods (latest entry window first) with its assessments, and its answers of every period. */
export interface SessionRows {
  readonly periods: readonly AgencyPeriodRow[];
  readonly answers: readonly AnswerRow[];
}

/**
 * `agency` is the agency id, or an SQL expression that yields it. A demo agency sees the demo's periods only and
 * every other agency never sees them, so nobody answers into the terminal chat's demo by accident. A period with a
 * scope is seen by the agencies of its provinces and groups only (stored as JSON lists of ids, which hold no quotes:
 * `"id"` inside the text is an exact match).
 */
const agencyPeriodsQuery = (agency: string | SqlStatement): SqlStatement => sql`
    SELECT p."id", p."name", p."entryOpens", p."entryCloses", p."definitionId", d."checksum",
      a."id" AS "assessmentId", a."status", a."submittedAt", s."displayName" AS "submittedByName",
      (SELECT COUNT(*) FROM "Evidence" e WHERE e."assessmentId" = a."id") AS "evidence"
    FROM "AssessmentPeriod" p
    JOIN "Agency" g ON g."id" = ${agency}
    JOIN "IndexDefinitionRecord" d ON d."id" = p."definitionId"
    LEFT JOIN "Assessment" a ON a."periodId" = p."id" AND a."agencyId" = g."id"
    LEFT JOIN "Person" s ON s."id" = a."submittedById"
    WHERE p."demo" = g."demo"
      AND (p."scopeProvinces" IS NULL OR p."scopeProvinces" LIKE '%"' || g."provinceId" || '"%')
      AND (p."scopeGroups" IS NULL OR p."scopeGroups" LIKE '%"' || g."group" || '"%')`;

const agencyAnswersQuery = (agency: string | SqlStatement): SqlStatement => sql`
    SELECT x."assessmentId", x."criterionId", x."value", x."note", x."answeredById", x."answeredAt", p."displayName" AS "answeredByName"
    FROM "Answer" x JOIN "Assessment" a ON a."id" = x."assessmentId" LEFT JOIN "Person" p ON p."id" = x."answeredById"
    WHERE a."agencyId" = ${agency}`;

/** Two queries side by side: the current answers and, for the change shown with the score, the previous period's. */
async function readSessionRows(driver: DriverSql, agencyId: string): Promise<SessionRows> {
  const [periods, answers] = await Promise.all([
    driver.rows(sql`${agencyPeriodsQuery(agencyId)} ORDER BY p."entryOpens" DESC, p."id" DESC`),
    driver.rows(agencyAnswersQuery(agencyId)),
  ]);
  return { periods: periods.map(agencyPeriodRow), answers: answers.map(answerRow) };
}

/**
 * The period an agency works on now: the one whose entry window is open; otherwise the latest one that has opened
 * (answers are then read-only); otherwise the next one to open. Its assessment row is created on first use. Reads the
 * agency's periods and answers unless `rows` has them already (readChatContext on PostgreSQL), and the evidence
 * counts if it has any.
 */
export async function loadSession(store: Store, agencyId: string, now: Date, rows?: SessionRows): Promise<SessionView | null> {
  const { db, sql: driver } = store;
  const { periods, answers: answerRows } = rows ?? (await readSessionRows(driver, agencyId));
  const answersOf = new Map<string, AnswerRow[]>();
  for (const answer of answerRows) {
    const list = answersOf.get(answer.assessmentId);
    if (list) list.push(answer);
    else answersOf.set(answer.assessmentId, [answer]);
  }
  const period = currentPeriod(periods, now);
  if (!period) return null;
  const assessment =
    period.assessmentId === null
      ? await assessmentOnFirstUse(db, agencyId, period.id)
      : { id: period.assessmentId, status: period.status, submittedAt: period.submittedAt };
  const answers = answersOf.get(assessment.id) ?? [];
  const [definition, evidence, previous] = await Promise.all([
    parsedDefinition(db, period.definitionId, period.checksum),
    (period.evidence ?? 0) === 0
      ? []
      : driver
          .rows(sql`SELECT "criterionId", COUNT(*) AS "n" FROM "Evidence" WHERE "assessmentId" = ${assessment.id} GROUP BY "criterionId"`)
          .then((rows) => rows.map((r) => ({ criterionId: column.text(r, "criterionId"), n: column.number(r, "n") }))),
    previousResultOf(db, periods, period, (id) => answersOf.get(id) ?? []),
  ]);
  const evidenceCounts = new Map(evidence.map((e) => [e.criterionId, e.n]));
  const views = new Map<string, AnswerView>();
  for (const answer of answers) {
    views.set(answer.criterionId, {
      value: answer.value === null ? null : (JSON.parse(answer.value) as AnswerValue),
      note: answer.note,
      answeredById: answer.answeredById,
      answeredByName: answer.answeredByName ?? "",
      answeredAt: answer.answeredAt,
      evidenceCount: evidenceCounts.get(answer.criterionId) ?? 0,
    });
  }
  // Evidence can arrive before an answer; count it on a placeholder so the question shows it.
  for (const [criterionId, count] of evidenceCounts) {
    if (!views.has(criterionId)) {
      views.set(criterionId, { value: null, note: null, answeredById: "", answeredByName: "", answeredAt: now, evidenceCount: count });
    }
  }
  return {
    assessmentId: assessment.id,
    periodName: period.name,
    entryOpens: period.entryOpens,
    entryCloses: period.entryCloses,
    status: assessment.status === "submitted" ? "submitted" : "draft",
    submittedAt: assessment.submittedAt,
    submittedByName: period.assessmentId === null ? null : period.submittedByName,
    definition,
    answers: views,
    ...(previous ? { previous } : {}),
  };
}

/**
 * The period people work on now (see loadSession), from periods sorted by entryOpens, latest first, ties by id
 * (latest first): the same one every time, even in a database where an older version let two periods overlap.
 */
export function currentPeriod<P extends { entryOpens: Date; entryCloses: Date }>(periods: readonly P[], now: Date): P | undefined {
  return periods.find((p) => p.entryOpens <= now && now <= p.entryCloses) ?? periods.find((p) => p.entryOpens <= now) ?? periods[periods.length - 1];
}

/**
 * Creates an agency's assessment of a period on its people's first message. Prisma's upsert on a compound key is a
 * read then an insert, not one statement: when two people of the agency write at once, the second insert fails on the
 * unique key (a 503 on PostgreSQL), and the row the first one made is what it wanted.
 */
async function assessmentOnFirstUse(db: Db, agencyId: string, periodId: string) {
  const where = { agencyId_periodId: { agencyId, periodId } };
  const select = { id: true, status: true, submittedAt: true } as const;
  try {
    return await db.assessment.upsert({ where, create: { agencyId, periodId }, update: {}, select });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.assessment.findUniqueOrThrow({ where, select });
  }
}
