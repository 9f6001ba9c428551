import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPerson, seedAgencies } from "../app/reminder-fixture.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { reminders } from "../../src/cli/reminders.js";
import { runCli } from "./run-cli.js";
import { openSeeded } from "../support/databases.js";

const NOW = "2027-11-08T08:30:00+07:00";

describe("the reminders command", () => {
  let dir: string;
  let url: string;
  let telegram: FakeTelegram;
  const chats: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "pdx-reminders-cli-"));
    url = `file:${path.join(dir, "app.db")}`;
    const database = await openSeeded(url);
    try {
      const { agencies } = await seedAgencies(database, ["Báo Hà Nội Mới", "Tạp chí Thủ đô"]);
      for (const [i, agency] of agencies.entries()) {
        chats.push((await linkPerson(database.db, { name: `Thành viên ${i}`, role: "member", agencyId: agency.id })).chatId);
        chats.push((await linkPerson(database.db, { name: `Lãnh đạo ${i}`, role: "lead", agencyId: agency.id })).chatId);
      }
      await linkPerson(database.db, { name: "Zalo user", role: "member", agencyId: agencies[0]?.id ?? "", channel: "zalo" });
    } finally {
      await database.close();
    }
    telegram = await startFakeTelegram();
  });
  afterAll(async () => {
    await telegram.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const withTelegram = () => ({
    DATABASE_URL: url,
    TELEGRAM_BOT_TOKEN: "123456:TEST-token",
    TELEGRAM_WEBHOOK_SECRET: "test-secret-123",
    TELEGRAM_API_ROOT: telegram.url,
  });

  /** The command in-process, its output captured. */
  const inProcess = async (argv: string[], env: Record<string, string> = { DATABASE_URL: url }) => {
    const out: string[] = [];
    const err: string[] = [];
    process.env.DATABASE_URL = env.DATABASE_URL;
    const code = await reminders(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t) }, env);
    return { code, out: out.join("\n"), err };
  };

  it("when previewing a moment with --json, then it prints what is due with each text and records and sends nothing", async () => {
    const run = await inProcess(["preview", "--now", NOW, "--json"]);
    expect(run.code).toBe(0);
    const items = JSON.parse(run.out) as { channel: string; agency: { name: string }; deadline: { id: string; dueAt: string; label: string }; offset: number; recipient: { name: string }; text: string }[];
    expect(items.find((i) => i.channel === "telegram")?.text).toContain("⏰ Nhắc hạn: Hạn nhập liệu tự đánh giá — 23:59 15/11/2027 (còn 7 ngày).");
    expect(items).toHaveLength(5);
    expect(items[0]).toMatchObject({ deadline: { id: "entry", dueAt: "2027-11-15T23:59:59+07:00", label: "Hạn nhập liệu tự đánh giá" }, offset: 7 });
    expect(items.map((i) => i.channel).sort()).toEqual(["telegram", "telegram", "telegram", "telegram", "zalo"]);
    expect(new Set(items.map((i) => i.agency.name))).toEqual(new Set(["Báo Hà Nội Mới", "Tạp chí Thủ đô"]));
    expect(telegram.calls).toEqual([]);
    const database = await openSeeded(url);
    try {
      expect(await database.db.outboxMessage.count()).toBe(0);
    } finally {
      await database.close();
    }
  });

  it("when previewing without --json, then each person is shown with the exact text they would get, in Vietnamese or English", async () => {
    const vi = await inProcess(["preview", "--now", NOW]);
    expect(vi.out).toMatch(/^5 lời nhắc đến hạn lúc 08:30 08\/11\/2027 \(chưa gửi\):/);
    expect(vi.out).toMatch(/• Lãnh đạo 0 \(trưởng nhóm, Báo Hà Nội Mới, qua telegram\) — kỳ "[^"]+", mốc "Hạn nhập liệu tự đánh giá" 23:59 15\/11\/2027, nhắc trước 7 ngày:\n {4}⏰ Nhắc hạn:/);
    const en = await inProcess(["preview", "--now", NOW, "--lang", "en"]);
    expect(en.out).toMatch(/^5 reminder\(s\) due at 08:30 08\/11\/2027 \(not sent yet\):/);
    // The operator's language is not the person's: their text stays in theirs.
    expect(en.out).toContain("    ⏰ Nhắc hạn: Hạn nhập liệu tự đánh giá");
  });

  it("when nobody would get a reminder, then it says why in words", async () => {
    const quiet = await inProcess(["preview", "--now", "2027-10-01T08:30:00+07:00"]);
    expect(quiet.out).toBe("Không có lời nhắc nào đến hạn lúc 08:30 01/10/2027: chưa đến ngày nhắc của mốc hạn nào (hoặc lời nhắc đã được gửi, người nhận đã tắt nhắc hay không liên lạc được).");
    const empty = path.join(dir, "empty.db");
    const database = await openSeeded(`file:${empty}`);
    await seedAgencies(database, ["Báo Trống"]);
    await database.close();
    const nobody = await inProcess(["preview", "--now", NOW, "--lang", "en"], { DATABASE_URL: `file:${empty}` });
    expect(nobody.out).toMatch(/^Nobody would receive a reminder at 08:30 08\/11\/2027: no one has linked a chat account/);
    expect(JSON.parse((await inProcess(["preview", "--now", NOW, "--json"], { DATABASE_URL: `file:${empty}` })).out)).toEqual([]);
  });

  it("when run once, then it sends what is due and prints a summary; run again for the same moment, it sends nothing", async () => {
    const first = await runCli("reminders", ["run-once", "--now", NOW, "--json"], withTelegram());
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ sent: 4, failed: 0, dropped: 0, skipped: 1, queued: 4, skippedReasons: { channelOff: 1 } });
    const sent = telegram.sent("sendMessage");
    expect(sent.map((c) => String(c.body.chat_id)).sort()).toEqual([...chats].sort());
    expect(String(sent[0]?.body.text)).toContain("⏰ Nhắc hạn: Hạn nhập liệu tự đánh giá — 23:59 15/11/2027 (còn 7 ngày).");
    expect(JSON.stringify(sent[0]?.body.reply_markup)).toContain("1|menu|continue");

    const again = await runCli("reminders", ["run-once", "--now", NOW, "--lang", "en"], withTelegram());
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("At 08:30 08/11/2027: 0 queued, 0 sent, 5 skipped, 0 failed, 0 dropped.\n");
    expect(telegram.sent("sendMessage")).toHaveLength(4);
  });

  it("when no channel is configured, then due reminders are counted as skipped and nothing is queued", async () => {
    const run = await runCli("reminders", ["run-once", "--now", "2027-11-12T08:30:00+07:00", "--json"], { DATABASE_URL: url });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ sent: 0, queued: 0, skipped: 10, skippedReasons: { channelOff: 10 } });
  });

  it.each<[string, string[], RegExp]>([
    ["no command", ["--now", NOW], /^missing command; see the commands: reminders --help$/],
    ["an unknown command", ["send", "--now", NOW], /^unknown command "reminders send"; see the commands: reminders --help$/],
    ["no --now", ["preview"], /^--now: is required/],
    ["a time without its offset", ["preview", "--now", "2027-11-08T08:30:00"], /^--now: must be an ISO time with its UTC offset/],
    ["a word instead of a time", ["run-once", "--now", "tomorrow"], /^--now: must be an ISO time/],
    ["an unknown flag", ["preview", "--now", NOW, "--dry-run"], /^unknown flag --dry-run; see the flags: reminders preview --help$/],
    ["an extra argument", ["preview", "extra", "--now", NOW], /^unexpected "extra"/],
  ])("when given %s, then it exits 2 with one line", async (_case, args, message) => {
    const run = await inProcess([...args, "--lang", "en"]);
    expect([run.code, run.out]).toEqual([2, ""]);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(message);
  });
});
