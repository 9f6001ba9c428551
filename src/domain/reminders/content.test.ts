import { beforeAll, describe, expect, it } from "vitest";
import { createTranslator, type Translator } from "../../i18n/translator.js";
import { parseCommand } from "../conversation/input.js";
import { shippedDefinition } from "../../../test/support/conversation-engine.js";
import type { AnswerValue } from "../questionnaire/answer-value.js";
import type { Criterion } from "../questionnaire/definition-schema.js";
import { agencyReminderReply, DIGEST_MAX_LINES, supervisorDigestReply, timeLeft, type AgencyReminderInput, type DigestInput } from "./content.js";
import { ENTRY_DEADLINE_REF, type ReminderDeadline } from "./deadlines.js";
import { agencyProgress, type AgencyProgress } from "./progress.js";

const vn = (local: string): Date => new Date(`${local}+07:00`);
const definition = shippedDefinition();
const criteria = definition.pillars.flatMap((p, pillar) => p.indicators.flatMap((i) => i.criteria.map((c) => ({ criterion: c, pillar: pillar + 1 }))));

/** A full-marks answer for any criterion. */
function best(criterion: Criterion): AnswerValue {
  const spec = criterion.answer;
  switch (spec.type) {
    case "yesno":
      return true;
    case "choice":
      return [...spec.options].sort((a, b) => b.score - a.score)[0]?.id ?? "";
    case "multi":
      return spec.options.map((o) => o.id);
    case "number":
      return spec.linear?.target ?? spec.max ?? 1_000_000_000;
  }
}

/** Everything answered except all of pillar 4 and the first `extra` criteria of pillar 5. */
function answersLeaving(extra: number): Map<string, AnswerValue> {
  const answers = new Map<string, AnswerValue>();
  let skippedInFive = 0;
  for (const { criterion, pillar } of criteria) {
    if (pillar === 4) continue;
    if (pillar === 5 && skippedInFive < extra) {
      skippedInFive += 1;
      continue;
    }
    answers.set(criterion.id, best(criterion));
  }
  return answers;
}

const agency = { id: "A", name: "Báo Hà Nội Mới" };
const provinceReport: ReminderDeadline = {
  ref: "d1",
  kind: "province-report",
  label: { vi: "Báo cáo Sở trước 25/11", en: "Report to the province by 25 Nov" },
  dueAt: vn("2027-11-25T17:00:00"),
  audience: "unsubmitted-agencies",
  offsetsDays: [14, 7, 3, 1, 0],
};
const entryDeadline: ReminderDeadline = { ...provinceReport, ref: ENTRY_DEADLINE_REF, kind: "entry-closes", label: null, dueAt: vn("2027-11-15T23:59:59") };
const period = { name: "Năm 2027", entryCloses: vn("2027-11-15T23:59:59") };

let translator: Translator;
beforeAll(async () => {
  translator = await createTranslator();
});

const base = (progress: AgencyProgress, change: Partial<AgencyReminderInput> = {}): AgencyReminderInput => ({
  period,
  deadline: provinceReport,
  progress,
  role: "member",
  buttons: true,
  locale: "vi",
  now: vn("2027-11-11T08:30:00"),
  ...change,
});

describe("an agency's reminder", () => {
  const twelveLeft = agencyProgress(agency, definition, answersLeaving(2), false);

  it("when twelve questions are left, most in pillar 4, then the Vietnamese reminder says so with the deadline in dd/mm/yyyy", () => {
    const text = translator.reply("vi", agencyReminderReply(base(twelveLeft))).text;
    expect(text).toContain("⏰ Nhắc hạn: Báo cáo Sở trước 25/11 — 17:00 25/11/2027 (còn 14 ngày).");
    expect(text).toContain("Báo Hà Nội Mới · Năm 2027");
    expect(text).toContain(`Đã trả lời 31/43 tiêu chí (72%) · điểm tạm tính ${String(twelveLeft.score).replace(".", ",")}/100`);
    expect(text).toContain("còn 12 câu, nhiều nhất ở Trụ cột 4 (10 câu chưa trả lời)");
    expect(text).toContain("Gõ “tắt nhắc”");
  });

  it("when the recipient is on Telegram, then one button continues where they stopped (the engine's menu item)", () => {
    const reply = translator.reply("vi", agencyReminderReply(base(twelveLeft)));
    expect(reply.questionId).toBe("menu");
    expect(reply.choices).toEqual([{ value: "continue", label: "Tiếp tục trả lời", selected: false }]);
    expect(reply.text).toContain("bấm nút bên dưới");
  });

  it("when the recipient is on Zalo, then there is no button and the reply names the word to type, which the engine understands", () => {
    const reply = translator.reply("vi", agencyReminderReply(base(twelveLeft, { buttons: false })));
    expect(reply.choices).toEqual([]);
    expect(reply.text).toContain("Anh/Chị gõ “tiếp tục” để trả lời tiếp ngay");
    expect(parseCommand("tiếp tục")).toMatchObject({ name: "continue" });
  });

  it("when nothing has been answered, then the reminder says the agency has not started", () => {
    const none = agencyProgress(agency, definition, new Map(), false);
    const text = translator.reply("vi", agencyReminderReply(base(none))).text;
    expect(text).toContain("Đơn vị chưa trả lời câu nào (0/43 tiêu chí).");
    expect(text).toContain("còn 43 câu, nhiều nhất ở Trụ cột 2");
  });

  it.each<["member" | "lead", string, string]>([
    ["lead", "submit", "chỉ còn bước rà soát và nộp kết quả"],
    ["member", "score", "lãnh đạo phụ trách cần rà soát và nộp kết quả"],
  ])("when every criterion is answered and the reader is a %s, then the button is %s", (role, value, phrase) => {
    const all = agencyProgress(agency, definition, new Map(criteria.map(({ criterion }) => [criterion.id, best(criterion)])), false);
    expect(all.remaining).toBe(0);
    const reply = translator.reply("vi", agencyReminderReply(base(all, { role })));
    expect(reply.text).toContain(phrase);
    expect(reply.choices.map((c) => c.value)).toEqual([value]);
  });

  it("when the entry window has closed, then the reminder says so and offers the score instead of answering", () => {
    const reply = translator.reply("vi", agencyReminderReply(base(twelveLeft, { now: vn("2027-11-22T08:30:00"), buttons: false })));
    expect(reply.text).toContain("Thời hạn nhập liệu đã kết thúc lúc 23:59 15/11/2027");
    expect(reply.text).toContain("gõ “điểm”");
    expect(reply.text).not.toContain("tiếp tục");
  });

  it("when the deadline is the entry window's own, then its label comes from the locale files", () => {
    expect(translator.reply("vi", agencyReminderReply(base(twelveLeft, { deadline: entryDeadline }))).text).toContain("Nhắc hạn: Hạn nhập liệu tự đánh giá — 23:59 15/11/2027");
    expect(translator.reply("en", agencyReminderReply(base(twelveLeft, { deadline: entryDeadline, locale: "en" }))).text).toContain(
      "Reminder: Self-assessment data entry closes — 23:59 15/11/2027",
    );
  });

  it("when the reader reads English, then numbers use a decimal point and the deadline label is the English one", () => {
    const text = translator.reply("en", agencyReminderReply(base(twelveLeft, { locale: "en" }))).text;
    expect(text).toContain("Report to the province by 25 Nov — 17:00 25/11/2027 (14 days left)");
    expect(text).toContain("Questions left: 12, most of them in Pillar 4");
    expect(text).not.toMatch(/\{\{/);
  });

  it.each<[string, string, string]>([
    ["2027-11-25T08:30:00", "2027-11-25T17:00:00", "hôm nay là hạn cuối"],
    ["2027-11-24T08:30:00", "2027-11-25T17:00:00", "ngày mai là hạn cuối"],
    ["2027-11-22T08:30:00", "2027-11-25T17:00:00", "còn 3 ngày"],
  ])("when it is %s and the deadline %s, then the reminder says %j", (now, due, phrase) => {
    expect(translator.text("vi", timeLeft(vn(due), vn(now)))).toBe(phrase);
  });
});

describe("a supervisor's digest", () => {
  const progressOf = (id: string, name: string, answers: Map<string, AnswerValue>, submitted = false) => agencyProgress({ id, name }, definition, answers, submitted);
  const input = (change: Partial<DigestInput> = {}): DigestInput => ({
    period,
    deadline: { ...provinceReport, audience: "province-supervisors" },
    provinceName: "Hà Nội",
    agencies: [
      progressOf("A", "Báo A", answersLeaving(2)),
      progressOf("B", "Báo B", answersLeaving(0), true),
      progressOf("C", "Tạp chí C", new Map()),
    ],
    people: [
      { name: "Nguyễn Văn An", agencyName: "Báo A", channel: "zalo", reachable: false, remindersEnabled: true },
      { name: "Trần Thị Bình", agencyName: "Báo A", channel: "telegram", reachable: true, remindersEnabled: false },
      { name: "Lê Văn Cường", agencyName: "Báo B", channel: "telegram", reachable: true, remindersEnabled: true },
    ],
    remindedAgencyIds: new Set(["B"]),
    locale: "vi",
    now: vn("2027-11-11T08:30:00"),
    ...change,
  });

  it("when the province has agencies in every state, then the digest counts and lists them with scores", () => {
    const text = translator.reply("vi", supervisorDigestReply(input())).text;
    expect(text).toContain("📋 Tổng hợp Hà Nội · Năm 2027");
    expect(text).toContain("3 cơ quan báo chí: đã nộp 1 · đang làm 1 · chưa bắt đầu 1.");
    expect(text).toMatch(/Đã nộp \(1\):\n• Báo B: [\d,]+ điểm \(/);
    expect(text).toMatch(/Đang làm \(1\):\n• Báo A: 72% \(31\/43 tiêu chí\) · tạm tính [\d,]+ điểm/);
    expect(text).toContain("Chưa bắt đầu (1):\n• Tạp chí C");
  });

  it("when people blocked the bot or turned reminders off, then the digest names them, and the agencies nobody is reminded for", () => {
    const text = translator.reply("vi", supervisorDigestReply(input())).text;
    expect(text).toContain("Không liên lạc được, đã chặn trợ lý (1):\n• Nguyễn Văn An — Báo A (Zalo)");
    expect(text).toContain("Đã tắt nhắc hạn (1):\n• Trần Thị Bình — Báo A (Telegram)");
    expect(text).toContain("Chưa nộp và không có ai nhận nhắc hạn (2):\n• Báo A\n• Tạp chí C");
  });

  it("when a list is longer than the digest shows, then the rest is counted", () => {
    const many = Array.from({ length: DIGEST_MAX_LINES + 4 }, (_, i) => progressOf(`X${i}`, `Báo ${String(i).padStart(2, "0")}`, new Map()));
    const text = translator.reply("vi", supervisorDigestReply(input({ agencies: many, people: [], remindedAgencyIds: new Set(many.map((a) => a.agencyId)) }))).text;
    expect(text).toContain(`Chưa bắt đầu (${DIGEST_MAX_LINES + 4}):`);
    expect(text).toContain("… và 4 cơ quan khác");
    expect(text).not.toContain(`Báo ${DIGEST_MAX_LINES}`);
  });

  it("when the province has no agencies yet, then the digest says so", () => {
    expect(translator.reply("vi", supervisorDigestReply(input({ agencies: [] }))).text).toContain("Tỉnh chưa có cơ quan báo chí nào trong hệ thống.");
  });
});
