import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefinitionFile, shippedDefinitionFiles } from "../../src/definitions/definition-files.js";
import { hashInviteCode, normalizeInviteCode } from "../../src/domain/invites/invite-code.js";
import { validatePeriodFile, type PeriodFile } from "../../src/domain/periods/period-file.js";
import type { IndexDefinition } from "../../src/domain/questionnaire/definition-schema.js";
import { AgencyImportError, addAgency, importAgencies, listAgencies, type AgencyImportRow } from "../../src/persistence/agency-store.js";
import { ensureShippedDefinitions, getDefinition, importDefinition, listDefinitions } from "../../src/persistence/definition-store.js";
import { createInvite, listInvites } from "../../src/persistence/invite-store.js";
import { addPeriod, listPeriods } from "../../src/persistence/period-store.js";
import { UnknownProvinceError, findProvince, listProvinces, resolveProvince } from "../../src/persistence/province-store.js";
import { DefinitionConflictError, DuplicateError, NotFoundError } from "../../src/persistence/store-errors.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";

const shipped = shippedDefinitionFiles().map(loadDefinitionFile);
const copyOf = (definition: IndexDefinition): IndexDefinition => structuredClone(definition);
const firstShipped = (): IndexDefinition => copyOf(shipped[0] as IndexDefinition);

let counter = 0;
const unique = (prefix: string): string => `${prefix} ${(counter += 1)}`;

describe.each(databaseKinds)("admin stores on $name", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await kind.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  describe("provinces and agencies", () => {
    it("when a province is named in other case, Unicode form, without diacritics or by a merged unit, then it is the same row", async () => {
      const canonical = await findProvince(database.db, "Huế");
      for (const name of ["  Thừa Thiên  Huế ", "thừa thiên huế".normalize("NFD"), "TP. Hue", "Thành phố Huế"]) {
        expect(await findProvince(database.db, name)).toEqual(canonical);
      }
      expect(await resolveProvince(database.db, "Hải Dương")).toMatchObject({ kind: "found", province: { name: "Hải Phòng" }, formerName: "Hải Dương" });
      expect((await listProvinces(database.db)).filter((p) => !p.demo && p.current)).toHaveLength(34);
    });

    it("when an agency names an unknown province, then it is refused with the closest suggestion and nothing is created", async () => {
      const before = await listProvinces(database.db);
      const error = await addAgency(database.db, { name: "Báo Tỉnh", province: "Ha Nol", group: "local-newspaper", type: "newspaper" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownProvinceError);
      expect((error as UnknownProvinceError).message).toMatch(/no province named "Ha Nol"; did you mean "Hà Nội"\?/);
      expect(await listProvinces(database.db)).toEqual(before);
    });

    it("when an agency is added twice in one province, then the second is refused; the same name elsewhere is fine", async () => {
      const name = unique("Báo Tỉnh");
      const { agency } = await addAgency(database.db, { name, province: "Cao Bằng", group: "local-newspaper", type: "newspaper" });
      expect(agency).toMatchObject({ name, province: "Cao Bằng", group: "local-newspaper", type: "newspaper", demo: false });
      await expect(addAgency(database.db, { name: name.toUpperCase(), province: "cao bang", group: "local-newspaper", type: "newspaper" })).rejects.toThrow(DuplicateError);
      const sameNameElsewhere = await addAgency(database.db, { name, province: "Lạng Sơn", group: "local-newspaper", type: "newspaper" });
      expect(sameNameElsewhere.agency.id).not.toBe(agency.id);
    });
  });

  describe("agency import", () => {
    const row = (line: number, name: string, province: string): AgencyImportRow => ({ line, name, province, group: "magazine", type: "magazine" });

    it("when rows repeat each other or name an unknown province, then all are reported and nothing is kept", async () => {
      const old = unique("Tạp chí Cũ");
      const one = unique("Tạp chí Một");
      await addAgency(database.db, { name: old, province: "Sơn La", group: "magazine", type: "magazine" });
      const before = await listAgencies(database.db);
      const rows = [row(2, one, "Điện Biên"), row(3, old.toLowerCase(), "son la"), row(4, unique("Tạp chí Hai"), "Sơn La"), row(5, one, "Tỉnh Điện Biên"), row(6, unique("Tạp chí Ba"), "Atlantis")];

      const error = await importAgencies(database.db, rows).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AgencyImportError);
      expect((error as AgencyImportError).problems).toEqual([
        { line: 5, field: "name", reason: `duplicate of line 2 ("${one}" in Điện Biên)`, cause: { kind: "duplicate", line: 2, name: one, province: "Điện Biên" } },
        {
          line: 6,
          field: "province",
          reason: expect.stringMatching(/^no province named "Atlantis"; did you mean ".+"\?/),
          cause: { kind: "unknown-province", name: "Atlantis", suggestion: expect.any(String) },
        },
      ]);
      expect(await listAgencies(database.db)).toEqual(before);
    });

    it("when every row is good, then all are stored in one go, old province names landing in their new unit; a dry run stores nothing", async () => {
      const [a, b] = [unique("Tạp chí A"), unique("Tạp chí B")];
      const rows = [row(2, a, "Vĩnh Phúc"), row(3, b, "Phú Thọ")];
      const dry = await importAgencies(database.db, rows, { dryRun: true });
      expect(dry.agencies).toHaveLength(2);
      expect((await listAgencies(database.db)).filter((x) => x.name === a)).toEqual([]);

      const result = await importAgencies(database.db, rows);
      expect(result.agencies.map((x) => x.province)).toEqual(["Phú Thọ", "Phú Thọ"]);
      expect((await listAgencies(database.db)).filter((x) => x.name === a || x.name === b).map((x) => x.name)).toEqual([a, b]);
    });

    it("when the same file is imported again, then its rows are unchanged; another group is changed only with update", async () => {
      const [a, b] = [unique("Tạp chí C"), unique("Tạp chí D")];
      await importAgencies(database.db, [row(2, a, "Hà Giang"), row(3, b, "Tuyên Quang")]);
      const before = await listAgencies(database.db);
      const again = await importAgencies(database.db, [row(2, a, "Hà Giang"), row(3, b, "Tuyên Quang")]);
      expect([again.agencies.length, again.unchanged.map((x) => x.name), again.updated.length]).toEqual([0, [a, b], 0]);

      const changedRow: AgencyImportRow = { line: 3, name: b, province: "Tuyên Quang", group: "science-journal", type: "science-journal" };
      const kept = await importAgencies(database.db, [row(2, a, "Hà Giang"), changedRow]);
      expect(kept.differing.map((d) => [d.line, d.agency.group, d.group])).toEqual([[3, "magazine", "science-journal"]]);
      expect(await listAgencies(database.db)).toEqual(before);

      const updated = await importAgencies(database.db, [row(2, a, "Hà Giang"), changedRow], { update: true });
      expect(updated.updated.map((x) => [x.name, x.group, x.type])).toEqual([[b, "science-journal", "science-journal"]]);
      expect((await listAgencies(database.db)).find((x) => x.name === b)).toMatchObject({ group: "science-journal", type: "science-journal" });
      expect(await listAgencies(database.db)).toHaveLength(before.length);
    });
  });

  describe("invites", () => {
    it("when an invite is created, then only the hash of its code is stored and it expires in 14 days", async () => {
      const { agency } = await addAgency(database.db, { name: unique("Báo Mời"), province: "Lai Châu", group: "local-newspaper", type: "newspaper" });
      const now = new Date("2025-03-01T02:00:00Z");
      const invite = await createInvite(database.db, { kind: "agency", agencyId: agency.id, role: "lead" }, { now });
      const normalized = normalizeInviteCode(invite.code);
      expect(normalized).not.toBeNull();
      expect(invite).toMatchObject({ role: "lead", agency: { id: agency.id, name: agency.name }, expiresAt: new Date("2025-03-15T02:00:00Z") });

      const stored = await database.db.invite.findUniqueOrThrow({ where: { id: invite.id } });
      expect(stored).toMatchObject({ codeHash: hashInviteCode(normalized ?? ""), agencyId: agency.id, provinceId: null, role: "lead", usedAt: null });
      const everything = JSON.stringify(await database.db.invite.findMany());
      expect(everything).not.toContain(invite.code);
      expect(everything).not.toContain(normalized);
    });

    it("when the agency or province does not exist, then the invite is refused", async () => {
      await expect(createInvite(database.db, { kind: "agency", agencyId: "no-such-agency", role: "member" })).rejects.toThrow(NotFoundError);
      await expect(createInvite(database.db, { kind: "province", province: "Nowhere", role: "supervisor" })).rejects.toThrow(UnknownProvinceError);
      await expect(createInvite(database.db, { kind: "province", province: "Thừa Thiên Huế", role: "supervisor" }, { expiresDays: 366 })).rejects.toThrow(/1 to 365/);
    });

    it("when invites are listed, then each shows whether it is open, used or expired, never a code", async () => {
      const province = "Tỉnh Quảng Ninh";
      const now = new Date();
      const open = await createInvite(database.db, { kind: "province", province, role: "supervisor" }, { expiresDays: 2 });
      const used = await createInvite(database.db, { kind: "province", province, role: "supervisor" });
      const expired = await createInvite(database.db, { kind: "province", province, role: "supervisor" }, { expiresDays: 1, now: new Date(now.getTime() - 3 * 86_400_000) });
      await database.db.invite.update({ where: { id: used.id }, data: { usedAt: now } });
      const listed = new Map((await listInvites(database.db)).map((i) => [i.id, i]));
      expect([open, used, expired].map((i) => listed.get(i.id)?.status)).toEqual(["open", "used", "expired"]);
      expect(listed.get(open.id)).toMatchObject({ role: "supervisor", agency: null, province: "Quảng Ninh" });
      expect(JSON.stringify([...listed.values()])).not.toContain(open.code);
    });
  });

  describe("definitions", () => {
    it("when the shipped definitions are ensured twice, then the second time imports nothing", async () => {
      await ensureShippedDefinitions(database.db);
      expect(await ensureShippedDefinitions(database.db)).toEqual({ imported: [], conflicting: [] });
      const listed = await listDefinitions(database.db);
      expect(listed.map((d) => d.id)).toEqual(expect.arrayContaining(shipped.map((d) => d.id)));
    });

    it("when a definition is imported again, even with its fields in another order, then it is unchanged", async () => {
      const definition = { ...firstShipped(), id: `test-${kind.name}-${(counter += 1)}` };
      expect(await importDefinition(database.db, definition)).toMatchObject({ status: "imported", id: definition.id });
      const { pillars, levels, ...rest } = definition;
      expect(await importDefinition(database.db, { pillars, levels, ...rest })).toMatchObject({ status: "unchanged" });

      const stored = await getDefinition(database.db, definition.id);
      expect(stored).toEqual(definition);
      expect(await getDefinition(database.db, definition.id)).toBe(stored);
      expect(Object.isFrozen(stored?.pillars[0])).toBe(true);
      expect(await getDefinition(database.db, "no-such-definition")).toBeNull();
    });

    it("when other content arrives under a stored id, then it is refused and the stored definition is kept", async () => {
      const definition = { ...firstShipped(), id: `test-conflict-${(counter += 1)}` };
      await importDefinition(database.db, definition);
      const changed = copyOf(definition);
      changed.title.vi = "Một tiêu đề khác";
      await expect(importDefinition(database.db, changed)).rejects.toThrow(DefinitionConflictError);
      await expect(importDefinition(database.db, changed)).rejects.toThrow(
        `a different definition with id ${definition.id} is already stored; give the new file a new id`,
      );
      expect((await getDefinition(database.db, definition.id))?.title.vi).toBe(definition.title.vi);
    });

    it("when a shipped id is already taken by other content, then ensuring keeps the stored one and reports it", async () => {
      const fresh = await kind.open({ seed: false });
      try {
        const impostor = firstShipped();
        impostor.title.vi = "Bản sửa đổi";
        await importDefinition(fresh.db, impostor);
        const report = await ensureShippedDefinitions(fresh.db);
        expect(report.conflicting).toEqual([impostor.id]);
        expect(report.imported).toEqual(shipped.slice(1).map((d) => d.id));
        expect((await getDefinition(fresh.db, impostor.id))?.title.vi).toBe("Bản sửa đổi");
      } finally {
        await fresh.close();
      }
    });
  });

  describe("periods", () => {
    // Each period of this suite is for a province of its own, so that their entry windows may coincide.
    const provinces = ["Sơn La", "Điện Biên", "Lai Châu", "Lào Cai"];
    const periodFile = (name: string, definition = "press-dx-1827-2024"): PeriodFile => {
      const result = validatePeriodFile({
        definition,
        name,
        scope: { provinces: [provinces[counter % provinces.length]] },
        referenceFrom: "2023-10-01",
        referenceTo: "2024-10-31",
        entryOpens: "2024-11-01T00:00:00+07:00",
        entryCloses: "2024-11-15T23:59:59+07:00",
        deadlines: [
          { kind: "national-report", label: { vi: "Báo cáo Bộ", en: "Report" }, dueAt: "2024-12-10T17:00:00+07:00", audience: "province-supervisors" },
          { kind: "province-report", label: { vi: "Báo cáo Sở", en: "Report" }, dueAt: "2024-11-25T17:00:00+07:00", audience: "unsubmitted-agencies", offsetsDays: [3, 0] },
        ],
      });
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      return result.period;
    };

    it("when a period is added, then it and its deadlines are stored with offsets as JSON text", async () => {
      const name = unique("Năm 2024");
      const period = await addPeriod(database, periodFile(name));
      expect(period).toMatchObject({ name, definition: "press-dx-1827-2024", referenceFrom: "2023-10-01", referenceTo: "2024-10-31" });
      expect(period.entryOpens.toISOString()).toBe("2024-10-31T17:00:00.000Z");
      expect(period.deadlines.map((d) => [d.kind, d.offsetsDays])).toEqual([
        ["province-report", [3, 0]],
        ["national-report", [14, 7, 3, 1, 0]],
      ]);
      const rows = await database.db.deadline.findMany({ where: { periodId: period.id }, orderBy: { dueAt: "asc" } });
      expect(rows.map((r) => r.offsetsDays)).toEqual(["[3,0]", "[14,7,3,1,0]"]);
      expect((await listPeriods(database.db)).find((p) => p.id === period.id)).toEqual(period);
    });

    it("when the definition is unknown or the period exists already, then nothing is added", async () => {
      const name = unique("Năm 2025");
      await expect(addPeriod(database, periodFile(name, "no-such-definition"))).rejects.toThrow(NotFoundError);
      await addPeriod(database, periodFile(name));
      await expect(addPeriod(database, periodFile(name.toUpperCase()))).rejects.toThrow(DuplicateError);
      expect((await listPeriods(database.db)).filter((p) => p.name.toLowerCase() === name.toLowerCase())).toHaveLength(1);
    });
  });
});
