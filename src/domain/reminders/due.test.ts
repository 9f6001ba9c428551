import { describe, expect, it } from "vitest";
import { ENTRY_DEADLINE_REF, parseReminderKey, periodDeadlines, reminderKey, type ReminderDeadline, type ReminderPeriod } from "./deadlines.js";
import { audienceContent, dueReminders, reminderSendDecision, type ReminderRecipient, type SendCheck } from "./due.js";

const vn = (local: string): Date => new Date(`${local}+07:00`);

const provinceReport: ReminderDeadline = {
  ref: "d-province",
  kind: "province-report",
  label: { vi: "Báo cáo Sở", en: "Report to the province" },
  dueAt: vn("2027-11-25T17:00:00"),
  audience: "unsubmitted-agencies",
  offsetsDays: [14, 7, 3, 1, 0],
};
const nationalReport: ReminderDeadline = {
  ref: "d-national",
  kind: "national-report",
  label: { vi: "Báo cáo quốc gia", en: "National report" },
  dueAt: vn("2027-12-15T17:00:00"),
  audience: "province-supervisors",
  offsetsDays: [14, 7, 3, 1, 0],
};
const period: ReminderPeriod = {
  id: "p27",
  name: "Năm 2027",
  entryOpens: vn("2027-11-01T00:00:00"),
  entryCloses: vn("2027-11-15T23:59:59"),
  deadlines: [provinceReport, nationalReport],
};

const person = (identityId: string, role: ReminderRecipient["role"], agencyId: string | null, extra: Partial<ReminderRecipient> = {}): ReminderRecipient => ({
  identityId,
  personId: `person-${identityId}`,
  name: identityId,
  channel: "telegram",
  chatId: `chat-${identityId}`,
  locale: "vi",
  reachable: true,
  remindersEnabled: true,
  role,
  agencyId,
  provinceId: "hn",
  ...extra,
});

const memberA = person("a-member", "member", "A");
const leadA = person("a-lead", "lead", "A");
const memberB = person("b-member", "member", "B");
const supervisor = person("sup", "supervisor", null);
const optedOut = person("a-off", "member", "A", { remindersEnabled: false });
const blocked = person("a-blocked", "member", "A", { reachable: false });
const everybody = [memberA, leadA, memberB, supervisor, optedOut, blocked];

const run = (now: string, options: { submitted?: string[]; recipients?: ReminderRecipient[]; period?: ReminderPeriod } = {}) =>
  dueReminders({ period: options.period ?? period, recipients: options.recipients ?? everybody, submittedAgencyIds: new Set(options.submitted ?? []), now: vn(now) });
const keys = (now: string, options?: Parameters<typeof run>[1]) => run(now, options).due.map((d) => d.key).sort();

describe("which reminders are due", () => {
  it.each<[number, string]>([
    [14, "2027-11-01T08:30:00"],
    [7, "2027-11-08T08:30:00"],
    [3, "2027-11-12T08:30:00"],
    [1, "2027-11-14T08:30:00"],
    [0, "2027-11-15T08:30:00"],
  ])("when it is 08:30 on the day %d days before the entry window closes, then unsubmitted agencies get that reminder", (offset, now) => {
    const entry = run(now).due.filter((d) => d.deadline.ref === ENTRY_DEADLINE_REF);
    expect(entry.map((d) => [d.recipient.identityId, d.offsetDays])).toEqual([
      ["a-lead", offset],
      ["a-member", offset],
      ["b-member", offset],
    ]);
  });

  it.each<[number, string]>([
    [14, "2027-11-11T08:30:00"],
    [7, "2027-11-18T08:30:00"],
    [3, "2027-11-22T08:30:00"],
    [1, "2027-11-24T08:30:00"],
    [0, "2027-11-25T08:30:00"],
  ])("when it is 08:30 on the day %d days before the province report, then that offset is due", (offset, now) => {
    expect(run(now).due.filter((d) => d.deadline.ref === "d-province").map((d) => d.offsetDays)).toEqual([offset, offset, offset]);
  });

  it("when it is 08:29, then the new offset is not due yet and the previous one still is", () => {
    expect(run("2027-11-08T08:29:59").due.filter((d) => d.deadline.ref === ENTRY_DEADLINE_REF).map((d) => d.offsetDays)).toEqual([14, 14, 14]);
    expect(run("2027-11-08T08:30:00").due.filter((d) => d.deadline.ref === ENTRY_DEADLINE_REF).map((d) => d.offsetDays)).toEqual([7, 7, 7]);
  });

  it("when the service was down at 08:30, then the reminder is still due later that day (catch-up)", () => {
    expect(keys("2027-11-08T15:45:00")).toEqual(keys("2027-11-08T08:30:00"));
  });

  it("when several reminders were missed, then only the latest of a deadline is due (never two at once)", () => {
    const due = run("2027-11-13T10:00:00").due.filter((d) => d.deadline.ref === ENTRY_DEADLINE_REF);
    expect(new Set(due.map((d) => d.offsetDays))).toEqual(new Set([3]));
  });

  it.each(["2027-11-08T21:00:00", "2027-11-08T23:30:00", "2027-11-09T03:00:00", "2027-11-09T06:59:59"])(
    "when it is %s (quiet hours), then nothing is due",
    (now) => {
      expect(run(now).due).toEqual([]);
      expect(run(now).skipped).toEqual([]);
    },
  );

  it("when quiet hours end at 07:00, then a reminder whose window is still open is due again", () => {
    expect(keys("2027-11-09T07:00:00")).toEqual(keys("2027-11-08T08:30:00"));
  });

  it("when it is the day of the deadline before the deadline time, then the day's reminder is due; after it, nothing", () => {
    expect(run("2027-11-25T16:59:00").due.filter((d) => d.deadline.ref === "d-province").map((d) => d.offsetDays)).toEqual([0, 0, 0]);
    expect(run("2027-11-25T17:00:00").due.filter((d) => d.deadline.ref === "d-province")).toEqual([]);
  });

  it("when the deadline has passed, then no reminder of it is due", () => {
    expect(run("2027-11-16T08:30:00").due.filter((d) => d.deadline.ref === ENTRY_DEADLINE_REF)).toEqual([]);
    expect(run("2027-11-26T08:30:00").due.filter((d) => d.deadline.ref === "d-province")).toEqual([]);
  });

  it("when the entry window has not opened yet, then nothing is due", () => {
    expect(run("2027-10-30T08:30:00").due).toEqual([]);
  });

  it("when an agency has submitted, then none of its people is reminded", () => {
    const due = run("2027-11-08T08:30:00", { submitted: ["A"] }).due;
    expect(due.map((d) => d.recipient.identityId)).toEqual(["b-member"]);
  });

  it("when a person turned reminders off or blocked the bot, then they are skipped with the reason", () => {
    const { due, skipped } = run("2027-11-08T08:30:00");
    expect(due.map((d) => d.recipient.identityId)).not.toContain("a-off");
    expect(due.map((d) => d.recipient.identityId)).not.toContain("a-blocked");
    expect(skipped.map((s) => [s.recipient.identityId, s.reason])).toEqual([
      ["a-blocked", "unreachable"],
      ["a-off", "opted-out"],
    ]);
  });

  it("when the national report is two weeks away, then each supervisor gets one digest and agencies nothing", () => {
    const due = run("2027-12-01T08:30:00").due;
    expect(due.map((d) => [d.recipient.identityId, d.content, d.key])).toEqual([["sup", "digest", "reminder:p27:d-national:14:sup"]]);
  });

  it("when the period has its own entry-closes deadline, then the entry window gets no second set of reminders", () => {
    const own: ReminderDeadline = { ...provinceReport, ref: "d-entry", kind: "entry-closes", dueAt: period.entryCloses, offsetsDays: [2] };
    const withOwn = { ...period, deadlines: [own] };
    expect(periodDeadlines(withOwn).map((d) => d.ref)).toEqual(["d-entry"]);
    expect(keys("2027-11-13T08:30:00", { period: withOwn })).toEqual([
      "reminder:p27:d-entry:2:a-lead",
      "reminder:p27:d-entry:2:a-member",
      "reminder:p27:d-entry:2:b-member",
    ]);
    expect(keys("2027-11-08T08:30:00", { period: withOwn })).toEqual([]);
  });

  it("when reminders are computed twice for the same moment, then the keys are the same (the outbox keeps one row per key)", () => {
    expect(keys("2027-11-08T08:30:00")).toEqual(keys("2027-11-08T08:30:00"));
    expect(keys("2027-11-08T08:30:00")).toEqual(["reminder:p27:entry:7:a-lead", "reminder:p27:entry:7:a-member", "reminder:p27:entry:7:b-member"]);
  });
});

describe("audiences", () => {
  it.each<[ReminderDeadline["audience"], ReminderRecipient, boolean, string | null]>([
    ["unsubmitted-agencies", memberA, false, "agency"],
    ["unsubmitted-agencies", leadA, false, "agency"],
    ["unsubmitted-agencies", memberA, true, null],
    ["unsubmitted-agencies", supervisor, false, null],
    ["agency-leads", leadA, false, "agency"],
    ["agency-leads", memberA, false, null],
    ["agency-leads", leadA, true, null],
    ["province-supervisors", supervisor, false, "digest"],
    ["province-supervisors", leadA, false, null],
    ["everyone", memberA, false, "agency"],
    ["everyone", supervisor, false, "digest"],
    ["everyone", memberA, true, null],
  ])("when the audience is %s, the recipient %o and submitted is %s, then they get %s", (audience, recipient, submitted, expected) => {
    expect(audienceContent(audience, recipient, submitted)).toBe(expected);
  });
});

describe("dedupe keys", () => {
  it("when a key is built and read back, then it gives the same parts", () => {
    const parts = { periodId: "p27", deadlineRef: "entry", offsetDays: 14, identityId: "cm0abc" };
    expect(reminderKey(parts)).toBe("reminder:p27:entry:14:cm0abc");
    expect(parseReminderKey(reminderKey(parts))).toEqual(parts);
  });

  it.each([null, undefined, "", "reply:1", "reminder:p27:entry:14", "reminder:p27:entry:x:id", "reminder::entry:1:id", "reminder:p:e:1:id:extra"])(
    "when the key is %j, then it is not a reminder key",
    (text) => {
      expect(parseReminderKey(text)).toBeNull();
    },
  );
});

describe("the check just before sending", () => {
  const key = { periodId: "p27", deadlineRef: ENTRY_DEADLINE_REF, offsetDays: 7, identityId: "a-member" };
  const base: SendCheck = { period, key, recipient: { ...memberA, submitted: false }, now: vn("2027-11-08T08:31:00") };

  it.each<[string, Partial<SendCheck>, ReturnType<typeof reminderSendDecision>]>([
    ["it is still due", {}, { kind: "send" }],
    ["it is later the same day", { now: vn("2027-11-08T18:00:00") }, { kind: "send" }],
    ["the deadline has passed", { now: vn("2027-11-16T00:00:00") }, { kind: "drop", reason: "deadline-passed" }],
    ["the next reminder took over", { now: vn("2027-11-12T08:30:00") }, { kind: "drop", reason: "superseded" }],
    ["the agency submitted meanwhile", { recipient: { ...memberA, submitted: true } }, { kind: "drop", reason: "submitted" }],
    ["the person turned reminders off meanwhile", { recipient: { ...memberA, remindersEnabled: false, submitted: false } }, { kind: "drop", reason: "opted-out" }],
    ["the person blocked the bot", { recipient: { ...memberA, reachable: false, submitted: false } }, { kind: "drop", reason: "unreachable" }],
    ["the person is no longer linked", { recipient: null }, { kind: "drop", reason: "unknown-recipient" }],
    ["the period is gone", { period: null }, { kind: "drop", reason: "unknown-deadline" }],
    ["the deadline is gone", { key: { ...key, deadlineRef: "gone" } }, { kind: "drop", reason: "unknown-deadline" }],
    ["the person became a supervisor", { recipient: { ...supervisor, submitted: false } }, { kind: "drop", reason: "not-in-audience" }],
    ["it is quiet hours", { now: vn("2027-11-08T22:00:00") }, { kind: "defer", until: vn("2027-11-09T07:00:00") }],
    ["its slot has not come yet (another instance's clock ran ahead)", { now: vn("2027-11-08T08:29:00") }, { kind: "defer", until: vn("2027-11-08T08:30:00") }],
  ])("when %s, then the decision is %o", (_case, change, expected) => {
    expect(reminderSendDecision({ ...base, ...change })).toEqual(expected);
  });

  it("when a supervisor's digest is checked, then submissions do not matter", () => {
    const digestKey = { ...key, deadlineRef: "d-national", offsetDays: 14, identityId: "sup" };
    expect(reminderSendDecision({ ...base, key: digestKey, recipient: { ...supervisor, submitted: false }, now: vn("2027-12-01T09:00:00") })).toEqual({ kind: "send" });
  });
});
