import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyEffects } from "../../src/persistence/conversation-store.js";
import type { Database } from "../../src/persistence/database.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { chatter, inviteCode, seedAgency } from "./conversation-fixture.js";

const ROUNDS = 50;

/**
 * Two instances on one database: a member answers on one while the lead's submission commits on the other. The
 * submission counts the answer history inside its own transaction; an answer that lands after it would raise the
 * count afterwards. Each round is a race with a different interleaving (the submission starts after a small jitter).
 */
describe.each(databaseKinds)("an answer racing the submission on $name", (kind) => {
  let database: TestDatabase;
  let second: Database;
  beforeEach(async () => {
    database = await kind.open();
    second = await kind.reopen(database);
  });
  afterEach(async () => {
    await second.close();
    await database.close();
  });

  it(`when a member answers while the lead submits on another instance, then in ${ROUNDS} rounds no answer lands after the submission and the member is told`, async () => {
    const { agency } = await seedAgency(database);
    const member = await chatter(database, "member");
    await member.say(await inviteCode(database.db, agency.id, "member"));
    const lead = await chatter(second, "lead");
    await lead.say(await inviteCode(second.db, agency.id, "lead"));
    await member.say("tiếp tục");
    const { id: assessmentId } = await database.db.assessment.findFirstOrThrow();
    const leadPerson = await second.db.roleGrant.findFirstOrThrow({ where: { role: "lead" } });
    // A submission is written only by someone still linked to the agency (member-link.ts): the lead's own chat account.
    const leadIdentity = await second.db.chatIdentity.findFirstOrThrow({ where: { personId: leadPerson.personId } });
    let late = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      await database.db.assessment.update({ where: { id: assessmentId }, data: { status: "draft", submittedAt: null } });
      await member.say("/goto P1.1.1");
      const submit = (async () => {
        await new Promise((resolve) => setTimeout(resolve, round % 4));
        return second.db.$transaction(async (tx) => {
          await applyEffects(tx, [{ kind: "submit" }], {
            now: new Date(), channel: "telegram", identityId: leadIdentity.id, personId: leadPerson.personId, displayName: "lead", assessmentId, databaseKind: kind.name,
          });
          return tx.answerChange.count();
        });
      })();
      const [reply, atSubmission] = await Promise.all([member.say(round % 2 === 0 ? "không" : "có"), submit]);
      const after = await database.db.answerChange.count();
      if (after !== atSubmission) late += 1;
      // Either the answer was taken (before the submission) or the member is told the result was submitted.
      if (!/đã nộp/i.test(reply)) expect(reply).toMatch(/^✓|không có gì thay đổi/);
    }
    expect(late).toBe(0);
  }, 120_000);
});
