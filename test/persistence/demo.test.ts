import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countDemo, removeDemo } from "../../src/persistence/demo-store.js";
import { loadActivePeriods, loadAgencyFacts, loadRecipients } from "../../src/persistence/reminder-store.js";
import { loadSession } from "../../src/persistence/session-loader.js";
import { NOW, seedProvinces } from "../results/results-fixture.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";

type Seeded = Awaited<ReturnType<typeof seedProvinces>>;

/** The fixture puts a flagged demo agency inside Hà Nội (submitted in the real period) and an open demo period. */
describe.each(databaseKinds)("the terminal chat's demo on $name", (kind) => {
  let database: TestDatabase;
  let seeded: Seeded;
  beforeAll(async () => {
    database = await kind.open();
    seeded = await seedProvinces(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("when a real agency and the demo agency look for their period, then each gets its own, never the other's", async () => {
    const real = await loadSession(database, seeded.agencies.tapChi.id, NOW);
    const demo = await loadSession(database, seeded.agencies.demo.id, NOW);
    expect(real?.periodName).toBe("Năm 2024");
    expect(demo?.periodName).toBe("Kỳ dùng thử");
  });

  it("when reminders are worked out, then the demo period, the demo agency and its people are left out", async () => {
    expect((await loadActivePeriods(database.db, NOW)).map((p) => p.period.name)).toEqual(["Năm 2024"]);
    const recipients = await loadRecipients(database.db, "vi");
    expect(recipients.map((r) => r.name)).not.toContain("Người Dùng Thử");
    expect(recipients.map((r) => r.name)).toContain("Trần Lãnh Đạo");
    const facts = await loadAgencyFacts(database.db, seeded.periods.p2024.id, "press-dx-1827-2024", { provinceIds: [seeded.agencies.bao.provinceId] });
    expect([...facts.keys()].sort()).toEqual([seeded.agencies.bao.id, seeded.agencies.tapChi.id, seeded.agencies.dai.id].sort());
  });

  it("when the demo is removed, then all of it goes, real data stays, and a second removal finds nothing", async () => {
    const { db } = database;
    const realAnswers = await db.answer.count({ where: { assessment: { agencyId: { not: seeded.agencies.demo.id } } } });
    const before = await countDemo(db);
    expect(before).toMatchObject({ provinces: 0, agencies: 1, periods: 1, people: 1 });
    expect(before.assessments).toBeGreaterThanOrEqual(1);
    expect(before.answers).toBe(seeded.values.bao2024.size);

    expect(await removeDemo(db)).toEqual(before);
    expect(await db.agency.findUnique({ where: { id: seeded.agencies.demo.id } })).toBeNull();
    expect(await db.assessmentPeriod.findUnique({ where: { id: seeded.demoPeriod.id } })).toBeNull();
    expect(await db.assessment.count({ where: { agencyId: seeded.agencies.demo.id } })).toBe(0);
    expect(await db.person.count({ where: { displayName: "Người Dùng Thử" } })).toBe(0);
    // Its Telegram account is kept, unlinked: the person behind it starts afresh.
    expect(await db.chatIdentity.findFirstOrThrow({ where: { externalUserId: "lead-demo" } })).toMatchObject({ personId: null });
    expect(await db.answer.count()).toBe(realAnswers);
    expect(await db.province.count()).toBe(34);

    expect(await removeDemo(db)).toEqual({ provinces: 0, agencies: 0, periods: 0, assessments: 0, answers: 0, people: 0 });
  });
});
