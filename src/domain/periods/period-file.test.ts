import { describe, expect, it } from "vitest";
import {
  DEFAULT_REMINDER_OFFSETS_DAYS,
  formatPeriodProblem,
  formatVietnamDate,
  formatVietnamDateTime,
  validatePeriodFile,
  vietnamDayStart,
} from "./period-file.js";

const validFile = () => ({
  definition: "press-dx-1827-2024",
  name: "Năm 2024",
  referenceFrom: "2023-10-01",
  referenceTo: "2024-10-31",
  entryOpens: "2024-11-01T00:00:00+07:00",
  entryCloses: "2024-11-15T23:59:59+07:00",
  deadlines: [
    {
      kind: "province-report",
      label: { vi: "Báo cáo Sở trước 25/11", en: "Report to the province by 25 Nov" },
      dueAt: "2024-11-25T17:00:00+07:00",
      audience: "unsubmitted-agencies",
      offsetsDays: [14, 7, 3, 1, 0],
    } as Record<string, unknown>,
  ],
});

type PeriodJson = ReturnType<typeof validFile> & Record<string, unknown>;

function problemsOf(change: (file: PeriodJson) => void): string[] {
  const file: PeriodJson = validFile();
  change(file);
  const result = validatePeriodFile(file);
  return result.ok ? [] : result.problems.map(formatPeriodProblem);
}

const deadline = (file: PeriodJson): Record<string, unknown> => file.deadlines[0] as Record<string, unknown>;

describe("validatePeriodFile", () => {
  it("when the file is the one of the spec, then it is valid and its instants are exact", () => {
    const result = validatePeriodFile(validFile());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.period).toMatchObject({ definition: "press-dx-1827-2024", name: "Năm 2024", referenceFrom: "2023-10-01", referenceTo: "2024-10-31" });
    expect(result.period.entryOpens.toISOString()).toBe("2024-10-31T17:00:00.000Z");
    expect(result.period.deadlines[0]?.dueAt.toISOString()).toBe("2024-11-25T10:00:00.000Z");
  });

  it("when a deadline has no offsetsDays, then the default reminder days apply", () => {
    const file = validFile();
    delete deadline(file).offsetsDays;
    const result = validatePeriodFile(file);
    expect(result.ok && result.period.deadlines[0]?.offsetsDays).toEqual(DEFAULT_REMINDER_OFFSETS_DAYS);
    expect(DEFAULT_REMINDER_OFFSETS_DAYS).toEqual([14, 7, 3, 1, 0]);
  });

  it("when offsets are given as UTC (Z), an empty list of deadlines or offsets, then the file is still valid", () => {
    const file = validFile();
    deadline(file).dueAt = "2024-11-25T10:00:00Z";
    deadline(file).offsetsDays = [];
    expect(validatePeriodFile(file).ok).toBe(true);
    expect(validatePeriodFile({ ...validFile(), deadlines: [] }).ok).toBe(true);
  });

  it.each<[string, (file: PeriodJson) => void, string]>([
    ["a date-time without an offset", (f) => void (f.entryOpens = "2024-11-01T00:00:00"), "entryOpens: must be a date-time with its UTC offset, like 2024-11-01T00:00:00+07:00"],
    ["entryCloses not a date-time", (f) => void (f.entryCloses = "15/11/2024"), "entryCloses: must be a date-time with its UTC offset, like 2024-11-01T00:00:00+07:00"],
    ["a dueAt without an offset", (f) => void (deadline(f).dueAt = "2024-11-25 17:00"), "deadlines[0].dueAt: must be a date-time with its UTC offset, like 2024-11-01T00:00:00+07:00"],
    ["a reference date with a time", (f) => void (f.referenceFrom = "2023-10-01T00:00:00+07:00"), "referenceFrom: must be a date like 2024-10-31"],
    ["a reference date that does not exist", (f) => void (f.referenceTo = "2024-02-30"), "referenceTo: must be a date like 2024-10-31"],
    ["referenceTo before referenceFrom", (f) => void (f.referenceTo = "2023-09-30"), "referenceTo: must not be before referenceFrom (2023-09-30 < 2023-10-01)"],
    [
      "entryCloses before entryOpens",
      (f) => void (f.entryCloses = "2024-10-31T23:59:59+07:00"),
      "entryCloses: must be after entryOpens (2024-10-31T23:59:59+07:00 ≤ 2024-11-01T00:00:00+07:00)",
    ],
    [
      "entryCloses equal to entryOpens in another offset",
      (f) => void (f.entryCloses = "2024-10-31T17:00:00Z"),
      "entryCloses: must be after entryOpens (2024-10-31T17:00:00Z ≤ 2024-11-01T00:00:00+07:00)",
    ],
    [
      "a deadline due before entry opens",
      (f) => void (deadline(f).dueAt = "2024-10-25T17:00:00+07:00"),
      "deadlines[0].dueAt: must be after entryOpens (2024-10-25T17:00:00+07:00 ≤ 2024-11-01T00:00:00+07:00)",
    ],
    ["a negative offset", (f) => void (deadline(f).offsetsDays = [7, -1]), "deadlines[0].offsetsDays[1]: must be 0 or more (days before the deadline)"],
    ["a fractional offset", (f) => void (deadline(f).offsetsDays = [1.5]), "deadlines[0].offsetsDays[0]: must be a whole number of days"],
    ["an offset as text", (f) => void (deadline(f).offsetsDays = ["7"]), "deadlines[0].offsetsDays[0]: must be a number of days"],
    ["a repeated offset", (f) => void (deadline(f).offsetsDays = [7, 3, 7]), "deadlines[0].offsetsDays[2]: duplicate offset 7"],
    [
      "an unknown deadline kind",
      (f) => void (deadline(f).kind = "report"),
      "deadlines[0].kind: must be one of entry-closes, province-report, national-report, custom",
    ],
    [
      "an unknown audience",
      (f) => void (deadline(f).audience = "all"),
      "deadlines[0].audience: must be one of unsubmitted-agencies, agency-leads, province-supervisors, everyone",
    ],
    ["an empty Vietnamese label", (f) => void (deadline(f).label = { vi: " ", en: "x" }), "deadlines[0].label.vi: must not be empty"],
    ["a label without English", (f) => void (deadline(f).label = { vi: "Hạn" }), "deadlines[0].label.en: is required"],
    ["an unknown field in a deadline", (f) => void (deadline(f).remind = true), 'deadlines[0]: unknown field "remind"'],
    ["an unknown field at the top", (f) => void (f.entryClose = "x"), '(root): unknown field "entryClose"'],
    ["an unknown field in a label", (f) => void (deadline(f).label = { vi: "a", en: "b", fr: "c" }), 'deadlines[0].label: unknown field "fr"'],
    ["a missing name", (f) => void delete (f as Partial<PeriodJson>).name, "name: is required"],
    ["an empty name", (f) => void (f.name = "  "), "name: must not be empty"],
    ["a missing definition", (f) => void delete (f as Partial<PeriodJson>).definition, "definition: is required"],
    ["a definition that is not an id", (f) => void (f.definition = "Press DX"), "definition: must be a definition id, like press-dx-1827-2024"],
    ["deadlines that are not a list", (f) => void (f.deadlines = {} as never), "deadlines: must be a list of deadlines"],
  ])("when the file has %s, then the problem names its path", (_case, change, expected) => {
    expect(problemsOf(change)).toEqual([expected]);
  });

  it("when several fields are wrong, then every problem is reported on its own line", () => {
    const problems = problemsOf((f) => {
      f.entryOpens = "tomorrow";
      deadline(f).audience = "nobody";
      f.extra = 1;
    });
    expect(problems).toHaveLength(3);
    expect(problems.every((line) => !line.includes("\n"))).toBe(true);
  });

  it.each([null, [], "period", 42])("when the file is not an object (%j), then it is refused at the root", (input) => {
    const result = validatePeriodFile(input);
    expect(result.ok ? [] : result.problems.map(formatPeriodProblem)).toEqual(["(root): must be a JSON object"]);
  });
});

describe("Vietnam calendar helpers", () => {
  it("when a Vietnam date is stored, then it is the instant that day starts in Vietnam and reads back unchanged", () => {
    const start = vietnamDayStart("2024-10-31");
    expect(start.toISOString()).toBe("2024-10-30T17:00:00.000Z");
    expect(formatVietnamDate(start)).toBe("2024-10-31");
    expect(formatVietnamDate(new Date("2024-10-31T16:59:59Z"))).toBe("2024-10-31");
    expect(formatVietnamDate(new Date("2024-10-31T17:00:00Z"))).toBe("2024-11-01");
  });

  it("when an instant is shown, then it is written in Vietnam time with its offset", () => {
    expect(formatVietnamDateTime(new Date("2024-11-25T10:00:00Z"))).toBe("2024-11-25T17:00:00+07:00");
    expect(formatVietnamDateTime(new Date("2024-11-25T10:00:00.250Z"))).toBe("2024-11-25T17:00:00.250+07:00");
  });
});
