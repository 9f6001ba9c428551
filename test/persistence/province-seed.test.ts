import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureProvinces } from "../../src/persistence/province-seed.js";
import { listProvinces } from "../../src/persistence/province-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { seed } from "../../src/persistence/seed.js";

describe.each(databaseKinds)("the 34 provinces on $name", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await kind.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("when a database is seeded, then it holds exactly the 34 units, and seeding it again adds nothing", async () => {
    const provinces = await listProvinces(database.db);
    expect(provinces).toHaveLength(34);
    expect(provinces.every((p) => p.current && !p.demo)).toBe(true);
    expect(provinces.map((p) => p.name)).toEqual(expect.arrayContaining(["Hà Nội", "Huế", "Thành phố Hồ Chí Minh", "Đắk Lắk", "An Giang"]));
    const again = await kind.reopen(database);
    try {
      await seed(again.db);
      expect(await again.db.province.count()).toBe(34);
    } finally {
      await again.close();
    }
  });

  it("when rows an older version created from typed names are found, then they are merged into their unit with their agencies, grants and invites", async () => {
    const { db } = database;
    const unit = async (name: string) => db.province.findUniqueOrThrow({ where: { name } });
    const legacy = async (name: string, agencies: readonly string[]) => {
      const province = await db.province.create({ data: { name } });
      for (const agency of agencies) await db.agency.create({ data: { name: agency, provinceId: province.id, group: "local-newspaper", type: "newspaper" } });
      return province;
    };
    await db.agency.create({ data: { name: "Báo Hà Nội Mới", provinceId: (await unit("Hà Nội")).id, group: "local-newspaper", type: "newspaper" } });
    const haNoi = await legacy("Ha Noi", ["Báo Kinh tế Đô thị"]);
    const person = await db.person.create({ data: { displayName: "Giám sát cũ" } });
    await db.roleGrant.create({ data: { personId: person.id, role: "supervisor", provinceId: haNoi.id } });
    await db.invite.create({ data: { codeHash: `legacy-${kind.name}`, role: "supervisor", provinceId: haNoi.id, expiresAt: new Date(Date.now() + 86_400_000) } });
    await legacy("Bình Dương", ["Báo Bình Dương"]);
    await legacy("TP. HÀ NỘI", ["báo hà nội mới"]);
    await legacy("Tỉnh Lạ", ["Báo Lạ"]);

    const report = await ensureProvinces(db);
    expect(report.created).toEqual([]);
    expect(report.merged).toEqual(
      expect.arrayContaining([
        { from: "Ha Noi", into: "Hà Nội" },
        { from: "Bình Dương", into: "Thành phố Hồ Chí Minh" },
      ]),
    );
    expect(report.merged).toHaveLength(2);
    // An agency of the same name is in Hà Nội already, and no unit is called "Lạ": both stay as they are.
    expect([...report.kept].sort()).toEqual(["TP. HÀ NỘI", "Tỉnh Lạ"]);

    const haNoiNow = await unit("Hà Nội");
    expect((await db.agency.findMany({ where: { provinceId: haNoiNow.id } })).map((a) => a.name).sort()).toEqual(["Báo Hà Nội Mới", "Báo Kinh tế Đô thị"]);
    expect(await db.roleGrant.findFirstOrThrow({ where: { personId: person.id } })).toMatchObject({ provinceId: haNoiNow.id });
    expect(await db.invite.findUniqueOrThrow({ where: { codeHash: `legacy-${kind.name}` } })).toMatchObject({ provinceId: haNoiNow.id });
    expect(await db.agency.findFirstOrThrow({ where: { name: "Báo Bình Dương" }, include: { province: true } })).toMatchObject({ province: { name: "Thành phố Hồ Chí Minh" } });
    expect(await db.province.findUnique({ where: { name: "Ha Noi" } })).toBeNull();

    expect(await ensureProvinces(db)).toEqual({ created: [], merged: [], kept: report.kept });
    const listed = await listProvinces(db);
    expect(listed.filter((p) => !p.current).map((p) => p.name).sort()).toEqual(["TP. HÀ NỘI", "Tỉnh Lạ"]);
  });
});
