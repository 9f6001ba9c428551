import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCleanUserError, runCli } from "./run-cli.js";

interface AgencyJson {
  id: string;
  name: string;
  province: string;
  group: string;
  type: string;
}

const periodFile = (entryCloses: string) => ({
  definition: "press-dx-1827-2024",
  name: "Năm 2024",
  referenceFrom: "2023-10-01",
  referenceTo: "2024-10-31",
  entryOpens: "2024-11-01T00:00:00+07:00",
  entryCloses,
  deadlines: [
    {
      kind: "province-report",
      label: { vi: "Báo cáo Sở trước 25/11", en: "Report to the province by 25 Nov" },
      dueAt: "2024-11-25T17:00:00+07:00",
      audience: "unsubmitted-agencies",
    },
  ],
});

// One database for the file: the steps build on each other, as an operator's session would.
describe("admin command", () => {
  let dir: string;
  let env: Record<string, string>;
  let agency: AgencyJson;
  const file = (name: string): string => path.join(dir, name);
  const admin = (...args: string[]) => runCli("admin", args, env);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "pdx-admin-cli-"));
    env = { DATABASE_URL: `file:${file("app.db")}`, DEFAULT_LOCALE: "en" };
    writeFileSync(
      file("bad.csv"),
      "name,province,group,type\r\nTạp chí Sông Hương,Thừa Thiên Huế,magazine,magazine\r\nBáo Sai,Thừa Thiên Huế,weekly,newspaper\r\nBáo Nhân Dân,Hà Nội,central-newspaper,newspaper\r\n",
    );
    writeFileSync(file("good.csv"), "\uFEFFname,province,group,type\nTạp chí Sông Hương,Thừa Thiên Huế,magazine,magazine\n\"Đài Phát thanh, Truyền hình Huế\",Thừa Thiên Huế,radio-tv,radio-tv\n");
    writeFileSync(file("period.json"), JSON.stringify(periodFile("2024-11-15T23:59:59+07:00")));
    writeFileSync(file("period-backwards.json"), JSON.stringify(periodFile("2024-10-15T23:59:59+07:00")));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("when an agency is added with a province written loosely, then it lands in that unit and is printed with its id", async () => {
    const added = await admin("agency", "add", "--name", "Báo Nhân Dân", "--province", "TP. Ha Noi", "--group", "central-newspaper", "--type", "newspaper", "--json");
    expect(added.code).toBe(0);
    agency = JSON.parse(added.stdout) as AgencyJson;
    expect(agency).toMatchObject({ id: expect.any(String), name: "Báo Nhân Dân", province: "Hà Nội", group: "central-newspaper", type: "newspaper", demo: false, formerProvinceName: null });

    const [province, merged, unknown, agencyElsewhere] = await Promise.all([
      admin("province", "add", "ha noi", "--json"),
      admin("province", "add", "Hải", "Dương"),
      admin("province", "add", "Atlantis"),
      admin("agency", "add", "--name", "Báo Mới", "--province", "Quang Ngai x", "--group", "local-newspaper", "--type", "newspaper"),
    ]);
    expect(JSON.parse(province.stdout)).toMatchObject({ name: "Hà Nội", created: false, formerName: null });
    expect(merged.stdout).toMatch(/^"Hải Dương" was merged into Hải Phòng on 1 July 2025; province Hải Phòng exists \(id \S+\); nothing to add\n$/);
    expect(isCleanUserError(unknown)).toBe(true);
    expect(unknown.errorLines).toEqual([expect.stringMatching(/^no province named "Atlantis"; did you mean ".+"\? .*only the 34 provincial-level units in force since 1 July 2025 exist$/)]);
    expect(isCleanUserError(agencyElsewhere)).toBe(true);
    expect(agencyElsewhere.errorLines).toEqual([expect.stringMatching(/^--province: no province named "Quang Ngai x"; did you mean "Quảng Ngãi"\?/)]);

    const provinces = JSON.parse((await admin("list", "provinces", "--json")).stdout) as { name: string; agencies: number; current: boolean }[];
    expect(provinces).toHaveLength(34);
    expect(provinces.every((p) => p.current)).toBe(true);
    expect(provinces.find((p) => p.name === "Hà Nội")?.agencies).toBe(1);
  });

  it("when a CSV has a bad row on line 3, then it is reported and nothing is imported; a row already stored (line 4) is no problem", async () => {
    const bad = await admin("agency", "import", file("bad.csv"));
    expect(isCleanUserError(bad)).toBe(true);
    expect(bad.errorLines).toEqual([
      expect.stringMatching(/^line 3: group: must be one of central-newspaper, local-newspaper, magazine, science-journal, radio-tv \(got "weekly"\)$/),
    ]);
    const list = await admin("list", "agencies", "--json");
    expect((JSON.parse(list.stdout) as AgencyJson[]).map((a) => a.name)).toEqual(["Báo Nhân Dân"]);

    const good = await admin("agency", "import", file("good.csv"), "--json");
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({
      imported: 2,
      agencies: [
        { name: "Tạp chí Sông Hương", province: "Huế" },
        { name: "Đài Phát thanh, Truyền hình Huế", group: "radio-tv", province: "Huế" },
      ],
    });
  });

  it("when invites are created, then the code is printed once, with a Telegram link only when the bot is known", async () => {
    const [withBot, withoutBot, unknownAgency, unknownProvince] = await Promise.all([
      runCli("admin", ["invite", "--agency", agency.id, "--role", "lead", "--json"], { ...env, TELEGRAM_BOT_USERNAME: "@ChuyenDoiSoTestBot" }),
      admin("invite", "--province", "Hà Nội", "--role", "supervisor", "--expires-days", "30", "--json"),
      admin("invite", "--agency", "no-such-agency", "--role", "member"),
      admin("invite", "--province", "Atlantis", "--role", "supervisor"),
    ]);
    expect(withBot.code).toBe(0);
    const lead = JSON.parse(withBot.stdout) as { code: string; link: string };
    expect(lead).toMatchObject({ code: expect.stringMatching(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/), role: "lead", agency: { id: agency.id }, province: "Hà Nội" });
    expect(lead.link).toBe(`https://t.me/ChuyenDoiSoTestBot?start=${lead.code.replace("-", "")}`);

    const supervisor = JSON.parse(withoutBot.stdout) as { expiresAt: string };
    expect(supervisor).toMatchObject({ code: expect.any(String), link: null, role: "supervisor", agency: null, province: "Hà Nội" });
    const days = (Date.parse(supervisor.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    for (const run of [unknownAgency, unknownProvince]) expect(isCleanUserError(run) && run.errorLines.length === 1).toBe(true);
    expect(unknownAgency.errorLines[0]).toBe('--agency: no agency has the name or id "no-such-agency" (see: admin list agencies)');
    expect(unknownProvince.errorLines[0]).toMatch(/^--province: no province named "Atlantis"; did you mean ".+"\?/);

    const list = await admin("list", "invites", "--json");
    const invites = JSON.parse(list.stdout) as { role: string; status: string }[];
    expect(invites.map((i) => [i.role, i.status]).sort()).toEqual([
      ["lead", "open"],
      ["supervisor", "open"],
    ]);
    expect(list.stdout).not.toContain(lead.code);
    expect(list.stdout).not.toContain(lead.code.replace("-", ""));
  });

  it("when a period is added, then it is stored with its deadlines; entryCloses before entryOpens is refused", async () => {
    const added = await admin("period", "add", file("period.json"), "--json");
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      id: expect.any(String),
      definition: "press-dx-1827-2024",
      entryOpens: "2024-11-01T00:00:00+07:00",
      deadlines: [{ kind: "province-report", dueAt: "2024-11-25T17:00:00+07:00", offsetsDays: [14, 7, 3, 1, 0] }],
    });

    const [backwards, again] = await Promise.all([admin("period", "add", file("period-backwards.json")), admin("period", "add", file("period.json"))]);
    expect(isCleanUserError(backwards)).toBe(true);
    expect(backwards.errorLines).toEqual([
      `${file("period-backwards.json")}: entryCloses: must be after entryOpens (2024-10-15T23:59:59+07:00 ≤ 2024-11-01T00:00:00+07:00)`,
    ]);
    expect(isCleanUserError(again)).toBe(true);
    expect(again.errorLines).toEqual([expect.stringContaining('name: a period "Năm 2024" for press-dx-1827-2024 already exists')]);

    const list = await admin("list", "periods", "--json");
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1);
  });

  it("when the command or a flag is wrong, then one line explains it, exit 2, no stack trace", async () => {
    const runs = await Promise.all([
      admin("agency", "remove", "x"),
      admin("list", "agencies", "--verbose"),
      admin("agency", "add", "--name", "Báo", "--province", "Hà Nội", "--group", "tabloid", "--type", "newspaper"),
      admin("invite", "--agency", agency.id, "--role", "lead", "--expires-days", "400"),
    ]);
    for (const run of runs) {
      expect(isCleanUserError(run)).toBe(true);
      expect(run.errorLines).toHaveLength(1);
    }
    expect(runs.map((r) => r.errorLines[0])).toEqual([
      'unknown command "admin agency remove"; see the commands: admin --help',
      "unknown flag --verbose; see the flags: admin list --help",
      expect.stringMatching(/^--group: must be one of /),
      "--expires-days: must be at most 365 days",
    ]);
  });
});
