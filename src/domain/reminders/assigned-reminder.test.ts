import { beforeAll, describe, expect, it } from "vitest";
import { createTranslator, type Translator } from "../../i18n/translator.js";
import { shippedDefinition } from "../../../test/support/conversation-engine.js";
import { ASSIGNED_IDS_SHOWN, agencyReminderReply, type AgencyReminderInput } from "./content.js";
import { agencyProgress } from "./progress.js";

const vn = (local: string): Date => new Date(`${local}+07:00`);
const definition = shippedDefinition();
/** Only P1.1.1 answered: everything else is left, pillar 4 (10 criteria) included. */
const progress = agencyProgress({ id: "A", name: "Báo Hà Nội Mới" }, definition, new Map([["P1.1.1", true]]), false);

const input = (change: Partial<AgencyReminderInput>): AgencyReminderInput => ({
  period: { name: "Năm 2027", entryCloses: vn("2027-11-15T23:59:59") },
  deadline: { ref: "d1", kind: "province-report", label: null, dueAt: vn("2027-11-25T17:00:00"), audience: "unsubmitted-agencies", offsetsDays: [7] },
  progress,
  role: "member",
  buttons: false,
  locale: "vi",
  now: vn("2027-11-11T08:30:00"),
  ...change,
});

let translator: Translator;
beforeAll(async () => {
  translator = await createTranslator();
});

describe("a reminder to someone with an assigned part", () => {
  it("when a member has pillar 1 assigned, then their unanswered questions there come right after the deadline, before the agency's standing", () => {
    const text = translator.reply("vi", agencyReminderReply(input({ assignedParts: ["P1"] }))).text;
    expect(text).toContain("Phần được phân công cho Anh/Chị (Trụ cột 1) còn 5 câu: P1.1.2, P1.1.3, P1.2.1, P1.2.2, P1.2.3.");
    expect(text.indexOf("Phần được phân công")).toBeLessThan(text.indexOf("Báo Hà Nội Mới · Năm 2027"));
  });

  it("when the part has more questions than a line shows, then the first ones are listed and the rest elided", () => {
    const text = translator.reply("en", agencyReminderReply(input({ assignedParts: ["P4", "P5.1"], locale: "en" }))).text;
    expect(text).toContain(`Your assigned part (Pillar 4, P5.1) has 15 questions left: P4.1.1`);
    expect(text).toMatch(new RegExp(`(P\\d\\.\\d\\.\\d, ){${ASSIGNED_IDS_SHOWN - 1}}P\\d\\.\\d\\.\\d, …`));
  });

  it.each<[string, Partial<AgencyReminderInput>]>([
    ["no part", {}],
    ["a part all answered", { assignedParts: ["P1.1"], progress: { ...progress, unansweredIds: progress.unansweredIds.filter((id) => !id.startsWith("P1.1.")) } }],
    ["the entry window closed", { assignedParts: ["P1"], now: vn("2027-11-20T08:30:00") }],
  ])("when there is %s, then the reminder has no part line", (_case, change) => {
    expect(translator.reply("vi", agencyReminderReply(input(change))).text).not.toContain("Phần được phân công");
  });
});
