import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyEffects, recordEventStep, StaleStateError, touchIdentity, writeStateStep } from "../../src/persistence/conversation-store.js";
import { runStepsInTx } from "../../src/persistence/sql/prisma-steps.js";
import { sql } from "../../src/persistence/sql/statement.js";
import { writeAnswerTransaction, type AnswerTransaction } from "../../src/persistence/answer-transaction.js";
import { outboxSteps } from "../../src/persistence/outbox-store.js";
import { enqueue } from "../../src/persistence/outbox-store.js";
import { claimDue } from "../../src/persistence/outbox-claim.js";
import { loadSession, readChatContext } from "../../src/persistence/session-loader.js";
import { addPeriod } from "../../src/persistence/period-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { chatter, inviteCode, NOW, seedAgency } from "../app/conversation-fixture.js";

/** The per-message statements written in plain SQL, checked on each database against what the ORM reads back. */
describe.each(databaseKinds)("the per-message store on $name", (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await kind.open();
  });
  afterEach(async () => {
    await database.close();
  });

  /** A linked member with an assessment, through the real inbound path. */
  async function member() {
    const { agency } = await seedAgency(database);
    const anna = await chatter(database, "u1");
    await anna.say(await inviteCode(database.db, agency.id, "member"));
    const context = await readChatContext(database, "telegram", "u1", "never-seen");
    const session = await loadSession(database, agency.id, NOW);
    if (!context.identity || !context.person || !session) throw new Error("member not linked");
    return { agency, context, identity: context.identity, person: context.person, session };
  }

  it("when an event key is recorded twice, on the driver or through Prisma, then only the first recording commits", async () => {
    expect((await readChatContext(database, "telegram", "nobody", "k1")).seen).toBe(false);
    expect(await database.sql.transact([recordEventStep("telegram", "k1", NOW)])).toBe("committed");
    expect(await database.sql.transact([recordEventStep("telegram", "k1", NOW)])).toBe("duplicate");
    expect(await database.db.$transaction((tx) => runStepsInTx(tx, [recordEventStep("telegram", "k1", NOW)]))).toBe("duplicate");
    // Same key on another channel is another event.
    expect(await database.db.$transaction((tx) => runStepsInTx(tx, [recordEventStep("zalo", "k1", NOW)]))).toBe("committed");
    expect(await database.db.processedUpdate.count()).toBe(2);
    const context = await readChatContext(database, "telegram", "nobody", "k1");
    expect(context).toEqual({ seen: true, identity: null, state: { json: null, version: 0 }, person: null, sessionRows: null });
  });

  it("when a linked member writes, then one query returns their identity, state, person, role, agency and province", async () => {
    const { agency, context } = await member();
    expect(context.seen).toBe(false);
    expect(context.state.version).toBeGreaterThan(0);
    expect(context.person).toMatchObject({ role: "member", agencyId: agency.id, agencyName: agency.name, provinceName: "Hà Nội", locale: "vi" });
  });

  it("when the session comes with the chat context (PostgreSQL), then it is the session loadSession reads by itself", async () => {
    const { agency, identity, person, session } = await member();
    // Another period before this one, with a submitted assessment and an answer; evidence and a note in this one.
    const earlier = await addPeriod(database, {
      definition: "press-dx-951-2023", name: "Năm 2023", referenceFrom: "2022-10-01", referenceTo: "2023-10-31",
      entryOpens: new Date("2023-11-01T00:00:00+07:00"), entryCloses: new Date("2023-11-15T23:59:59+07:00"), deadlines: [],
    });
    const before = await database.db.assessment.create({ data: { agencyId: agency.id, periodId: earlier.id, status: "submitted", submittedAt: new Date("2023-11-10T04:05:06.789Z"), submittedById: person.id } });
    await database.db.answer.create({ data: { assessmentId: before.id, criterionId: "P1.1.1", value: "true", answeredById: person.id, answeredAt: new Date("2023-11-09T01:02:03Z") } });
    const scope = { now: NOW, channel: "console" as const, identityId: identity.id, personId: person.id, displayName: "Lan", assessmentId: session.assessmentId, databaseKind: kind.name };
    await database.db.$transaction((tx) => applyEffects(tx, [{ kind: "save-answer", criterionId: "P1.1.2", value: false }, { kind: "save-note", criterionId: "P1.1.2", note: "Đang làm" }], scope));
    await database.db.evidence.create({ data: { assessmentId: session.assessmentId, criterionId: "P1.1.3", kind: "link", channel: "telegram", ref: "https://example.vn", addedById: person.id } });

    // Dates must not depend on the server's zone (PostgreSQL's JSON carries none): read them in Vietnam's.
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Ho_Chi_Minh";
    const context = await readChatContext(database, "telegram", "u1", "next").finally(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    // One round trip on PostgreSQL; SQLite reads the session separately, where a query costs no round trip.
    expect(context.sessionRows === null).toBe(kind.name === "sqlite");
    const alone = await loadSession(database, agency.id, NOW);
    const together = await loadSession(database, agency.id, NOW, context.sessionRows ?? undefined);
    expect(together).toEqual(alone);
    expect(alone?.previous).toMatchObject({ periodName: "Năm 2023" });
    expect(alone?.answers.get("P1.1.2")).toMatchObject({ value: false, note: "Đang làm", answeredAt: NOW });
    expect(alone?.answers.get("P1.1.3")?.evidenceCount).toBe(1);
  });

  it("when several transactions are asked for at once, then each has its own outcome and only the committed ones are kept", async () => {
    // On SQLite these share one commit (a group), each in a savepoint; on PostgreSQL each is a transaction of its own.
    const { identity } = await member();
    const version = (await database.db.conversationState.findUniqueOrThrow({ where: { identityId: identity.id } })).version;
    const bad = { kind: "write" as const, statement: sql`INSERT INTO "NoSuchTable" ("x") VALUES (${1})` };
    const outcomes = await Promise.allSettled([
      database.sql.transact([recordEventStep("telegram", "g1", NOW)]),
      database.sql.transact([recordEventStep("telegram", "g1", NOW)]),
      database.sql.transact([recordEventStep("telegram", "g2", NOW), writeStateStep(identity.id, version + 5, '{"a":1}', NOW)]),
      database.sql.transact([recordEventStep("telegram", "g3", NOW), bad]),
      database.sql.transact([recordEventStep("telegram", "g4", NOW), writeStateStep(identity.id, version, '{"a":2}', NOW)]),
    ]);
    const seen = outcomes.map((o) => (o.status === "fulfilled" ? o.value : "failed"));
    // The same key twice: one of them commits (on PostgreSQL whichever gets there first), the other is a duplicate.
    expect(seen.slice(0, 2).sort()).toEqual(["committed", "duplicate"]);
    expect(seen.slice(2)).toEqual(["stale", "failed", "committed"]);
    const keys = await database.db.processedUpdate.findMany({ where: { externalKey: { startsWith: "g" } }, select: { externalKey: true }, orderBy: { externalKey: "asc" } });
    expect(keys.map((k) => k.externalKey)).toEqual(["g1", "g4"]);
    expect((await database.db.conversationState.findUniqueOrThrow({ where: { identityId: identity.id } })).state).toBe('{"a":2}');
  });

  it("when the state is written with a stale version, then the transaction is stale and nothing of it is kept", async () => {
    const { identity, context } = await member();
    const version = context.state.version;
    expect(await database.sql.transact([writeStateStep(identity.id, version, '{"a":1}', NOW)])).toBe("committed");
    // The event key written before the stale step is rolled back with it.
    expect(await database.sql.transact([recordEventStep("telegram", "k-stale", NOW), writeStateStep(identity.id, version, '{"a":2}', NOW)])).toBe("stale");
    expect(await database.db.$transaction((tx) => runStepsInTx(tx, [writeStateStep(identity.id, version, '{"a":3}', NOW)]))).toBe("stale");
    const row = await database.db.conversationState.findUniqueOrThrow({ where: { identityId: identity.id } });
    expect(row).toMatchObject({ state: '{"a":1}', version: version + 1, updatedAt: NOW });
    expect(await database.db.processedUpdate.count({ where: { externalKey: "k-stale" } })).toBe(0);
    // Version 0 means "no row yet": a second first write loses too.
    expect(await database.sql.transact([writeStateStep(identity.id, 0, "{}", NOW)])).toBe("stale");
  });

  it("when an answer is saved, changed, and saved again unchanged, then history holds exactly the two changes", async () => {
    const { agency, identity, person, session } = await member();
    const scope = (at: Date) => ({ now: at, channel: "console" as const, identityId: identity.id, personId: person.id, displayName: "Lan", assessmentId: session.assessmentId, databaseKind: kind.name });
    const save = (value: boolean, at: Date) =>
      database.db.$transaction((tx) => applyEffects(tx, [{ kind: "save-answer", criterionId: "P1.1.1", value }], scope(at)));
    const later = new Date(NOW.getTime() + 60_000);
    await save(true, NOW);
    await save(false, later);
    await save(false, new Date(NOW.getTime() + 120_000));
    const answer = await database.db.answer.findFirstOrThrow({ where: { assessmentId: session.assessmentId, criterionId: "P1.1.1" } });
    expect(answer).toMatchObject({ value: "false", answeredById: person.id, answeredAt: later });
    const history = await database.db.answerChange.findMany({ where: { criterionId: "P1.1.1" }, orderBy: { changedAt: "asc" } });
    expect(history.map((h) => [h.field, h.oldValue, h.newValue])).toEqual([
      ["value", null, "true"],
      ["value", "true", "false"],
    ]);
    const reread = await loadSession(database, agency.id, NOW);
    expect(reread?.answers.get("P1.1.1")).toMatchObject({ value: false, answeredById: person.id, answeredByName: "Người dùng u1" });
  });

  it("when the chat id or name changes, then the identity follows and a missing name keeps the stored one", async () => {
    const { identity } = await member();
    const known = (await readChatContext(database, "telegram", "u1", "x")).identity;
    const moved = await touchIdentity(database, known, { channel: "telegram", externalUserId: "u1", chatId: "new-chat", displayName: "Lan Anh" }, NOW);
    expect(moved).toMatchObject({ id: identity.id, chatId: "new-chat" });
    const again = (await readChatContext(database, "telegram", "u1", "x")).identity;
    await touchIdentity(database, again, { channel: "telegram", externalUserId: "u1", chatId: "new-chat" }, new Date(NOW.getTime() + 3_600_000));
    const row = await database.db.chatIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(row).toMatchObject({ chatId: "new-chat", displayName: "Lan Anh", lastSeenAt: new Date(NOW.getTime() + 3_600_000) });
  });

  it("when several messages are queued in one transaction, then they are claimed in the order they were queued", async () => {
    const texts = Array.from({ length: 12 }, (_, i) => `phần ${i + 1}`);
    await database.db.$transaction((tx) =>
      enqueue(tx, { channel: "telegram", chatId: "c1", identityId: null }, texts.map((text) => ({ kind: "reply" as const, reply: { text, choices: [], questionId: undefined } })), NOW),
    );
    const claimed = await claimDue(database, ["telegram"], NOW, 100);
    expect(claimed.map((e) => (e.message.kind === "reply" ? e.message.reply.text : ""))).toEqual(texts);
  });

  describe("the answer transaction (one statement on PostgreSQL, steps on SQLite)", () => {
    type Member = Awaited<ReturnType<typeof member>>;
    async function write({ identity, person, session }: Member, over: Partial<AnswerTransaction> & Pick<AnswerTransaction, "eventKey" | "expectedVersion">, value = true) {
      const replies = outboxSteps({ channel: "telegram", chatId: "c1", identityId: identity.id }, ["một", "hai"].map((text) => ({ kind: "reply" as const, reply: { text, choices: [], questionId: undefined } })), NOW, { leased: true });
      const t: AnswerTransaction = {
        channel: "telegram", identityId: identity.id, stateJson: `{"v":${over.expectedVersion + 1}}`, now: NOW, replies,
        answers: [{ assessmentId: session.assessmentId, criterionId: "P1.1.1", json: JSON.stringify(value), personId: person.id }],
        ...over,
      };
      return { outcome: await writeAnswerTransaction(database.sql, t), t };
    }

    it("when it applies, then state, event, answer, history and replies are all written, the replies in order", async () => {
      const m = await member();
      const { outcome, t } = await write(m, { eventKey: "a1", expectedVersion: m.context.state.version });
      expect(outcome).toBe("committed");
      expect(await database.db.processedUpdate.count({ where: { externalKey: "a1" } })).toBe(1);
      expect((await database.db.conversationState.findUniqueOrThrow({ where: { identityId: t.identityId } })).version).toBe(m.context.state.version + 1);
      expect((await database.db.answer.findFirstOrThrow({ where: { criterionId: "P1.1.1" } })).value).toBe("true");
      expect((await database.db.answerChange.findMany({ where: { criterionId: "P1.1.1" } })).map((h) => [h.oldValue, h.newValue])).toEqual([[null, "true"]]);
      const queued = await database.db.outboxMessage.findMany({ where: { chatId: "c1" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      expect(queued.map((q) => [q.status, (JSON.parse(q.payload) as { reply: { text: string } }).reply.text])).toEqual([["sending", "một"], ["sending", "hai"]]);
      expect(queued.map((q) => q.id)).toEqual(t.replies.entries.map((e) => e.id));
    });

    it("when the event was seen or the state moved on, then nothing at all is written", async () => {
      const m = await member();
      const version = m.context.state.version;
      expect((await write(m, { eventKey: "b1", expectedVersion: version })).outcome).toBe("committed");
      const rows = async () => [await database.db.processedUpdate.count(), await database.db.answerChange.count(), await database.db.outboxMessage.count({ where: { chatId: "c1" } })];
      const before = await rows();
      expect((await write(m, { eventKey: "b1", expectedVersion: version + 1 }, false)).outcome).toBe("duplicate");
      expect((await write(m, { eventKey: "b2", expectedVersion: version }, false)).outcome).toBe("stale");
      expect((await write(m, { eventKey: "b3", expectedVersion: 0 }, false)).outcome).toBe("stale");
      expect(await rows()).toEqual(before);
      expect((await database.db.answer.findFirstOrThrow({ where: { criterionId: "P1.1.1" } })).value).toBe("true");
    });

    it("when the answer does not change, then the state moves on but no history row is written", async () => {
      const m = await member();
      const version = m.context.state.version;
      expect((await write(m, { eventKey: "c1", expectedVersion: version })).outcome).toBe("committed");
      expect((await write(m, { eventKey: "c2", expectedVersion: version + 1 })).outcome).toBe("committed");
      expect((await write(m, { eventKey: "c3", expectedVersion: version + 2 }, false)).outcome).toBe("committed");
      expect((await database.db.answerChange.findMany({ where: { criterionId: "P1.1.1" }, orderBy: { changedAt: "asc" } })).map((h) => [h.oldValue, h.newValue])).toEqual([
        [null, "true"],
        ["true", "false"],
      ]);
    });

    it.each([
      ["one answer (one statement on PostgreSQL)", 1],
      ["two answers (steps on both databases)", 2],
    ])("when the assessment was submitted after it was read, then %s is refused as stale and nothing is written", async (_label, count) => {
      const m = await member();
      await database.db.assessment.update({ where: { id: m.session.assessmentId }, data: { status: "submitted", submittedAt: NOW } });
      const answers = ["P1.1.1", "P1.1.2"].slice(0, count).map((criterionId) => ({ assessmentId: m.session.assessmentId, criterionId, json: "true", personId: m.person.id }));
      expect((await write(m, { eventKey: "s1", expectedVersion: m.context.state.version, answers })).outcome).toBe("stale");
      expect([await database.db.answer.count(), await database.db.answerChange.count(), await database.db.processedUpdate.count({ where: { externalKey: "s1" } })]).toEqual([0, 0, 0]);
    });

    it("when the assessment was submitted, then a note, evidence or answer applied through Prisma is refused as stale", async () => {
      const { identity, person, session } = await member();
      await database.db.assessment.update({ where: { id: session.assessmentId }, data: { status: "submitted", submittedAt: NOW } });
      const scope = { now: NOW, channel: "console" as const, identityId: identity.id, personId: person.id, displayName: "Lan", assessmentId: session.assessmentId, databaseKind: kind.name };
      for (const effect of [
        { kind: "save-note", criterionId: "P1.1.1", note: "muộn" },
        { kind: "add-evidence", criterionId: "P1.1.1", evidence: { kind: "link", ref: "https://example.vn" } },
        { kind: "save-answer", criterionId: "P1.1.1", value: true },
      ] as const) {
        await expect(database.db.$transaction((tx) => applyEffects(tx, [effect], scope))).rejects.toThrow(StaleStateError);
      }
      expect([await database.db.answer.count(), await database.db.evidence.count(), await database.db.answerChange.count()]).toEqual([0, 0, 0]);
    });

    it("when the person has no state yet, then the first write creates it", async () => {
      const m = await member();
      const { identity } = m;
      await database.db.conversationState.delete({ where: { identityId: identity.id } });
      expect((await write(m, { eventKey: "d1", expectedVersion: 0, answers: [] })).outcome).toBe("committed");
      expect(await database.db.conversationState.findUniqueOrThrow({ where: { identityId: identity.id } })).toMatchObject({ version: 1, state: '{"v":1}' });
    });
  });
});
