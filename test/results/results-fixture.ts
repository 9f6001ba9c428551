import type { AnswerValue } from "../../src/domain/questionnaire/answer-value.js";
import { listCriteria } from "../../src/domain/questionnaire/definition-index.js";
import type { IndexDefinition } from "../../src/domain/questionnaire/definition-schema.js";
import { addAgency } from "../../src/persistence/agency-store.js";
import type { Db, Store } from "../../src/persistence/db-client.js";
import { getDefinition } from "../../src/persistence/definition-store.js";
import { addPeriod } from "../../src/persistence/period-store.js";

/** Inside the 2024 entry window (as conversation-fixture's NOW). */
export const NOW = new Date("2024-11-05T03:00:00Z");
export const SUBMITTED_AT = new Date("2024-11-04T02:30:00Z");

/**
 * Answers that exercise every answer type: yes/no alternate, choices rotate, several-choice picks the first option,
 * numbers are fixed per unit. `shift` varies them so two agencies do not score the same.
 */
export function scriptedAnswers(definition: IndexDefinition, options: { readonly shift?: number; readonly only?: number } = {}): Map<string, AnswerValue> {
  const shift = options.shift ?? 0;
  const values = new Map<string, AnswerValue>();
  listCriteria(definition).forEach(({ criterion }, i) => {
    if (options.only !== undefined && i >= options.only) return;
    const spec = criterion.answer;
    const n = i + shift;
    switch (spec.type) {
      case "yesno":
        values.set(criterion.id, n % 2 === 0);
        break;
      case "choice":
        values.set(criterion.id, spec.options[n % spec.options.length]?.id ?? "");
        break;
      case "multi":
        values.set(criterion.id, spec.options.slice(0, 1 + (n % 2)).map((o) => o.id));
        break;
      case "number":
        values.set(criterion.id, spec.unit === "percent" ? 37.5 + shift : spec.unit === "count" ? 3 + shift : 150_000_000);
        break;
    }
  });
  return values;
}

export interface Member {
  readonly personId: string;
  readonly userId: string;
}

/** A linked person with one chat account (chatter(db, userId) then speaks as them on Telegram). */
export async function linkPerson(
  db: Db,
  userId: string,
  grant: { role: "member" | "lead"; agencyId: string } | { role: "supervisor"; provinceId: string },
  options: { readonly name?: string; readonly locale?: "vi" | "en"; readonly reachable?: boolean; readonly channel?: "telegram" | "zalo" } = {},
): Promise<Member> {
  const person = await db.person.create({ data: { displayName: options.name ?? `Người dùng ${userId}`, locale: options.locale ?? "vi" } });
  await db.roleGrant.create({
    data: { personId: person.id, role: grant.role, agencyId: "agencyId" in grant ? grant.agencyId : null, provinceId: "provinceId" in grant ? grant.provinceId : null },
  });
  const channel = options.channel ?? "telegram";
  await db.chatIdentity.create({
    data: { personId: person.id, channel, externalUserId: userId, chatId: `chat-${userId}`, displayName: options.name ?? null, reachable: options.reachable ?? true, locale: options.locale ?? null },
  });
  return { personId: person.id, userId };
}

/** Stores answers (with their history rows) for an agency's assessment, and optionally submits it. */
export async function answer(
  db: Db,
  target: { agencyId: string; periodId: string; personId: string },
  values: ReadonlyMap<string, AnswerValue>,
  options: { readonly at?: Date; readonly submittedAt?: Date; readonly notes?: Record<string, string>; readonly evidence?: Record<string, string | { kind: "photo" | "document"; ref: string; caption: string }> } = {},
): Promise<string> {
  const at = options.at ?? new Date("2024-11-03T01:00:00Z");
  const assessment = await db.assessment.upsert({
    where: { agencyId_periodId: { agencyId: target.agencyId, periodId: target.periodId } },
    create: { agencyId: target.agencyId, periodId: target.periodId },
    update: {},
  });
  for (const [criterionId, value] of values) {
    const json = JSON.stringify(value);
    await db.answer.create({
      data: { assessmentId: assessment.id, criterionId, value: json, note: options.notes?.[criterionId] ?? null, answeredById: target.personId, answeredAt: at },
    });
    await db.answerChange.create({ data: { assessmentId: assessment.id, criterionId, field: "value", newValue: json, personId: target.personId, changedAt: at } });
  }
  for (const [criterionId, item] of Object.entries(options.evidence ?? {})) {
    const { kind, ref, caption } = typeof item === "string" ? { kind: "link", ref: item, caption: null } : item;
    await db.evidence.create({ data: { assessmentId: assessment.id, criterionId, kind, channel: "telegram", ref, caption, addedById: target.personId, addedAt: at } });
  }
  if (options.submittedAt) {
    await db.assessment.update({ where: { id: assessment.id }, data: { status: "submitted", submittedAt: options.submittedAt, submittedById: target.personId } });
  }
  return assessment.id;
}

/**
 * Two provinces as an operator would set them up, with a 2023 period (951 definition) and an open 2024 period:
 * - Hà Nội: "Báo Kiểm Thử" (submitted in 2024, also answered in 2023; a lead, and a member who blocked the bot),
 *   "Tạp chí Thử Nghiệm" (in progress; one member reading English), "Đài Phát thanh Thử" (not started, nobody linked);
 * - Huế (written "Thừa Thiên Huế", its name before 2025): "Báo Huế Thử" (in progress).
 * Each province has a supervisor.
 */
export async function seedProvinces(store: Store) {
  const { db } = store;
  const p2023 = await addPeriod(store, {
    definition: "press-dx-951-2023",
    name: "Năm 2023",
    referenceFrom: "2023-01-01",
    referenceTo: "2023-09-30",
    entryOpens: new Date("2023-09-01T00:00:00+07:00"),
    entryCloses: new Date("2023-11-15T23:59:59+07:00"),
    deadlines: [],
  });
  const p2024 = await addPeriod(store, {
    definition: "press-dx-1827-2024",
    name: "Năm 2024",
    referenceFrom: "2023-10-01",
    referenceTo: "2024-10-31",
    entryOpens: new Date("2024-11-01T00:00:00+07:00"),
    entryCloses: new Date("2024-11-15T23:59:59+07:00"),
    deadlines: [],
  });
  const def2023 = await getDefinition(db, "press-dx-951-2023");
  const def2024 = await getDefinition(db, "press-dx-1827-2024");
  if (!def2023 || !def2024) throw new Error("shipped definitions missing");
  const add = async (name: string, province: string, group: "local-newspaper" | "magazine" | "radio-tv") =>
    (await addAgency(db, { name, province, group, type: group === "local-newspaper" ? "newspaper" : group })).agency;
  const bao = await add("Báo Kiểm Thử", "Hà Nội", "local-newspaper");
  const tapChi = await add("Tạp chí Thử Nghiệm", "Hà Nội", "magazine");
  const dai = await add("Đài Phát thanh Thử", "Hà Nội", "radio-tv");
  const hue = await add("Báo Huế Thử", "Thừa Thiên Huế", "local-newspaper");

  const leadBao = await linkPerson(db, "lead-bao", { role: "lead", agencyId: bao.id }, { name: "Trần Lãnh Đạo" });
  const memberBao = await linkPerson(db, "member-bao", { role: "member", agencyId: bao.id }, { name: "Lê Đã Chặn", reachable: false });
  const leadTapChi = await linkPerson(db, "lead-tapchi", { role: "lead", agencyId: tapChi.id }, { name: "Phạm Tạp Chí", channel: "zalo" });
  const memberTapChi = await linkPerson(db, "member-tapchi", { role: "member", agencyId: tapChi.id }, { name: "Anna English", locale: "en" });
  const leadHue = await linkPerson(db, "lead-hue", { role: "lead", agencyId: hue.id }, { name: "Nguyễn Huế" });
  const supHaNoi = await linkPerson(db, "sup-hn", { role: "supervisor", provinceId: bao.provinceId }, { name: "Đỗ Giám Sát" });
  const supHaNoi2 = await linkPerson(db, "sup-hn-2", { role: "supervisor", provinceId: bao.provinceId }, { name: "Vũ Giám Sát" });
  const supHue = await linkPerson(db, "sup-hue", { role: "supervisor", provinceId: hue.provinceId }, { name: "Hoàng Giám Sát" });

  const values = {
    bao2024: scriptedAnswers(def2024),
    bao2023: scriptedAnswers(def2023, { shift: 1 }),
    tapChi2024: scriptedAnswers(def2024, { shift: 1, only: 10 }),
    hue2024: scriptedAnswers(def2024, { shift: 2, only: 20 }),
  };
  await answer(db, { agencyId: bao.id, periodId: p2023.id, personId: leadBao.personId }, values.bao2023, { at: new Date("2023-11-01T01:00:00Z"), submittedAt: new Date("2023-11-10T01:00:00Z") });
  await answer(db, { agencyId: bao.id, periodId: p2024.id, personId: leadBao.personId }, values.bao2024, {
    submittedAt: SUBMITTED_AT,
    notes: { "P1.1.1": "Quyết định số 12/QĐ ngày 01/3/2024" },
    evidence: {
      "P1.1.1": "https://example.gov.vn/chien-luoc.pdf",
      "P1.1.2": { kind: "photo", ref: "file:evidence/0f3c.jpg", caption: "Trang ký của kế hoạch" },
    },
  });
  await answer(db, { agencyId: tapChi.id, periodId: p2024.id, personId: leadTapChi.personId }, values.tapChi2024);
  await answer(db, { agencyId: hue.id, periodId: p2024.id, personId: leadHue.personId }, values.hue2024);

  // The terminal chat's demo, flagged, inside Hà Nội and with a submitted assessment in the real period (as an older
  // version could leave it), plus its own open period that opened last: every report, overview, ranking, reminder
  // and every real agency's choice of period must leave both out.
  const demo = await db.agency.create({ data: { name: "Báo Điện tử Dùng thử", provinceId: bao.provinceId, group: "local-newspaper", type: "newspaper", demo: true } });
  const leadDemo = await linkPerson(db, "lead-demo", { role: "lead", agencyId: demo.id }, { name: "Người Dùng Thử" });
  await answer(db, { agencyId: demo.id, periodId: p2024.id, personId: leadDemo.personId }, values.bao2024, { submittedAt: SUBMITTED_AT });
  const demoPeriod = await addPeriod(
    store,
    { ...p2024, scope: undefined, definition: "press-dx-1827-2024", name: "Kỳ dùng thử", entryOpens: new Date(NOW.getTime() - 3_600_000), entryCloses: new Date(NOW.getTime() + 60 * 86_400_000), deadlines: [] },
    { demo: true },
  );

  return {
    periods: { p2023, p2024 },
    definitions: { def2023, def2024 },
    agencies: { bao, tapChi, dai, hue, demo },
    demoPeriod,
    people: { leadBao, memberBao, leadTapChi, memberTapChi, leadHue, supHaNoi, supHaNoi2, supHue },
    values,
  };
}
