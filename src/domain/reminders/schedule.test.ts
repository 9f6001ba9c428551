import { describe, expect, it } from "vitest";
import {
  calendarDaysBetween,
  DEFAULT_REMINDER_POLICY,
  inQuietHours,
  quietHoursEnd,
  reminderSlot,
  reminderWindow,
  vietnamDayStart,
  vietnamMinuteOfDay,
} from "./schedule.js";

const vn = (local: string): Date => new Date(`${local}+07:00`);
const DUE = vn("2027-11-25T17:00:00");
const deadline = { dueAt: DUE, offsetsDays: [14, 7, 3, 1, 0] };
const OPENS = vn("2027-11-01T00:00:00");

describe("Vietnam time arithmetic", () => {
  it.each<[string, Date, string]>([
    ["an afternoon", vn("2027-11-25T17:00:00"), "2027-11-25T00:00:00"],
    ["the first minute of a day", vn("2027-11-25T00:00:00"), "2027-11-25T00:00:00"],
    ["the last second of a day", vn("2027-11-25T23:59:59"), "2027-11-25T00:00:00"],
    ["an instant after 17:00 UTC (already the next day in Vietnam)", new Date("2027-11-24T17:30:00Z"), "2027-11-25T00:00:00"],
  ])("when the instant is %s, then its Vietnam day starts at local midnight", (_case, instant, local) => {
    expect(vietnamDayStart(instant)).toEqual(vn(local));
  });

  it("when the time is 08:30 in Vietnam, then it is minute 510 of the day, whatever the server's zone", () => {
    expect(vietnamMinuteOfDay(vn("2027-11-08T08:30:00"))).toBe(510);
    expect(vietnamMinuteOfDay(new Date("2027-11-08T01:30:00Z"))).toBe(510);
  });

  it.each<[string, string, number]>([
    ["2027-11-25T08:30:00", "2027-11-25T17:00:00", 0],
    ["2027-11-24T23:59:00", "2027-11-25T00:01:00", 1],
    ["2027-11-11T08:30:00", "2027-11-25T17:00:00", 14],
  ])("when counting calendar days from %s to %s, then there are %d", (from, to, days) => {
    expect(calendarDaysBetween(vn(from), vn(to))).toBe(days);
  });
});

describe("reminder slots", () => {
  it.each<[number, string]>([
    [14, "2027-11-11T08:30:00"],
    [7, "2027-11-18T08:30:00"],
    [3, "2027-11-22T08:30:00"],
    [1, "2027-11-24T08:30:00"],
    [0, "2027-11-25T08:30:00"],
  ])("when the offset is %d days, then the reminder is scheduled at 08:30 Vietnam time on %s", (offset, local) => {
    expect(reminderSlot(DUE, offset)).toEqual(vn(local));
  });

  it("when the deadline is late in the evening Vietnam time (the previous day in UTC), then the slot is still on its Vietnam day", () => {
    expect(reminderSlot(vn("2027-11-15T23:59:59"), 0)).toEqual(vn("2027-11-15T08:30:00"));
    expect(reminderSlot(vn("2027-11-15T23:59:59"), 1)).toEqual(vn("2027-11-14T08:30:00"));
  });
});

describe("reminder windows", () => {
  it.each<[number, string, string]>([
    [14, "2027-11-11T08:30:00", "2027-11-18T08:30:00"],
    [7, "2027-11-18T08:30:00", "2027-11-22T08:30:00"],
    [3, "2027-11-22T08:30:00", "2027-11-24T08:30:00"],
    [1, "2027-11-24T08:30:00", "2027-11-25T08:30:00"],
    [0, "2027-11-25T08:30:00", "2027-11-25T17:00:00"],
  ])("when the offset is %d, then it is due from its slot %s until the next reminder or the deadline (%s)", (offset, from, until) => {
    expect(reminderWindow(deadline, offset, OPENS)).toEqual({ from: vn(from), until: vn(until) });
  });

  it("when the deadline is before 08:30 on its own day, then there is no reminder on that day", () => {
    expect(reminderWindow({ dueAt: vn("2027-11-16T06:00:00"), offsetsDays: [1, 0] }, 0, OPENS)).toBeNull();
    expect(reminderWindow({ dueAt: vn("2027-11-16T06:00:00"), offsetsDays: [1, 0] }, 1, OPENS)).toEqual({
      from: vn("2027-11-15T08:30:00"),
      until: vn("2027-11-16T06:00:00"),
    });
  });

  it("when the slot is before the entry window opens, then the window starts when entry opens", () => {
    expect(reminderWindow({ dueAt: vn("2027-11-05T17:00:00"), offsetsDays: [14, 7, 3] }, 7, OPENS)).toEqual({
      from: OPENS,
      until: vn("2027-11-02T08:30:00"),
    });
    expect(reminderWindow({ dueAt: vn("2027-11-05T17:00:00"), offsetsDays: [14, 7, 3] }, 14, OPENS)).toBeNull();
  });

  it("when a deadline has a single offset, then its window lasts until the deadline", () => {
    expect(reminderWindow({ dueAt: DUE, offsetsDays: [7] }, 7, OPENS)).toEqual({ from: vn("2027-11-18T08:30:00"), until: DUE });
  });
});

describe("quiet hours (21:00–07:00 Vietnam time by default)", () => {
  it.each<[string, boolean]>([
    ["2027-11-08T06:59:59", true],
    ["2027-11-08T07:00:00", false],
    ["2027-11-08T08:30:00", false],
    ["2027-11-08T20:59:59", false],
    ["2027-11-08T21:00:00", true],
    ["2027-11-08T23:59:00", true],
    ["2027-11-08T00:00:00", true],
  ])("when it is %s, then quiet hours are %s", (local, quiet) => {
    expect(inQuietHours(vn(local))).toBe(quiet);
  });

  it.each<[string, string]>([
    ["2027-11-08T22:15:00", "2027-11-09T07:00:00"],
    ["2027-11-09T03:00:00", "2027-11-09T07:00:00"],
    ["2027-11-09T07:00:00", "2027-11-10T07:00:00"],
  ])("when it is %s, then quiet hours end at %s", (local, end) => {
    expect(quietHoursEnd(vn(local))).toEqual(vn(end));
  });

  it("when quiet hours start and end at the same minute, then there are none", () => {
    const policy = { ...DEFAULT_REMINDER_POLICY, quietFromMinute: 0, quietUntilMinute: 0 };
    expect(inQuietHours(vn("2027-11-08T03:00:00"), policy)).toBe(false);
  });

  it("when quiet hours do not cross midnight, then only the hours between them are quiet", () => {
    const policy = { ...DEFAULT_REMINDER_POLICY, quietFromMinute: 12 * 60, quietUntilMinute: 13 * 60 };
    expect(inQuietHours(vn("2027-11-08T12:30:00"), policy)).toBe(true);
    expect(inQuietHours(vn("2027-11-08T22:00:00"), policy)).toBe(false);
  });
});
