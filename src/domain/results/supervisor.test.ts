import { describe, expect, it } from "vitest";
import type { Effect, Reply } from "../conversation/effects.js";
import { Chat, contextOf, dataEffects, keysOf, NOW, ENTRY_CLOSES, ENTRY_OPENS, personOf, pick, repliesOf, replyKeys, sessionOf, tinyDefinition, varsOf } from "../../../test/support/conversation-engine.js";
import { step } from "../conversation/step.js";
import { initialState } from "../conversation/state.js";
import type { Input } from "../conversation/input.js";
import type { AnswerValue } from "../questionnaire/answer-value.js";
import { scoreAssessment } from "../questionnaire/scoring.js";
import { agencyStatus, type AgencyOverview, type ProvinceView } from "./province-view.js";
import { OVERVIEW_AGENCIES_PER_MESSAGE } from "./supervisor.js";

const tiny = tinyDefinition();
const SUBMITTED_AT = new Date("2024-10-30T02:00:00Z");

function agency(id: string, name: string, values: Record<string, AnswerValue>, extra: Partial<AgencyOverview> = {}): AgencyOverview {
  const score = scoreAssessment(tiny, new Map(Object.entries(values)));
  const submitted = extra.status === "submitted";
  return {
    id,
    name,
    group: "local-newspaper",
    status: agencyStatus(submitted ? "submitted" : "draft", score.answered),
    score,
    submittedAt: submitted ? SUBMITTED_AT : null,
    submittedByName: submitted ? "Lead A" : null,
    lastActivity: score.answered > 0 ? SUBMITTED_AT : null,
    members: [{ name: "Member X", role: "member", reachable: true }],
    recipients: 1,
    nudgedToday: false,
    ...extra,
  };
}

/** A: submitted; B: 1 of 6 answered, 2 accounts to nudge; C: not started, nobody reachable; D: 2 of 6, nudged today. */
const AGENCIES: readonly AgencyOverview[] = [
  agency("a", "Bao An", { "P1.1.1": true, "P1.1.2": "c" }, { status: "submitted" }),
  agency("b", "Bao Binh", { "P1.1.1": true }, { recipients: 2, members: [{ name: "Ms Unreachable", role: "lead", reachable: false }, { name: "Mr Ok", role: "member", reachable: true }] }),
  agency("c", "Tap chi Cam", {}, { recipients: 0, members: [] }),
  agency("d", "Dai Dong", { "P1.1.1": false, "P2.1.1": 20 }, { nudgedToday: true }),
];

const provinceOf = (agencies: readonly AgencyOverview[] = AGENCIES, period: ProvinceView["period"] = { id: "period-1", name: "2024", entryOpens: ENTRY_OPENS, entryCloses: ENTRY_CLOSES }): ProvinceView => ({
  provinceName: "Tinh Thu Nghiem",
  period,
  definition: period === null ? null : tiny,
  agencies,
});

const supervisor = personOf("supervisor");
const send = (input: Input | string, province: ProvinceView | null = provinceOf(), now: Date = NOW): readonly Effect[] => {
  const event: Input = typeof input === "string" ? { kind: "text", text: input } : input;
  const ctx = { ...contextOf({ person: supervisor, session: null, now }), ...(province !== null ? { province } : {}) };
  return step(initialState(), event, ctx).effects;
};
const replies = (effects: readonly Effect[]): Reply[] => repliesOf(effects);

describe("a province supervisor in chat", () => {
  it.each(["tổng quan", "Tong quan", "/overview", "overview", "tổng hợp"])("when they send %j, then the overview lists the agencies by name, numbered", (message) => {
    const effects = send(message);
    expect(dataEffects(effects)).toEqual([]);
    const [reply] = replies(effects);
    expect(reply && keysOf(reply)).toEqual([
      "results.overview.title",
      "results.overview.counts",
      "results.overview.lineSubmitted",
      "results.overview.lastActivity",
      "results.overview.lineInProgress",
      "results.overview.lastActivity",
      "results.overview.unreachable",
      "results.overview.lineInProgress",
      "results.overview.lastActivity",
      "results.overview.lineNotStarted",
      "results.overview.noMembers",
      "results.overview.footer",
    ]);
    expect(reply && varsOf(reply, "results.overview.counts")).toEqual({ count: 4, submitted: 1, inProgress: 2, notStarted: 1, closes: ENTRY_CLOSES });
    expect(reply && varsOf(reply, "results.overview.lineNotStarted")).toEqual({ number: 4, agency: "Tap chi Cam" });
    expect(reply && varsOf(reply, "results.overview.lineInProgress")).toEqual({ number: 2, agency: "Bao Binh", percent: 17, total: 1, level: "Thap" });
    expect(reply && varsOf(reply, "results.overview.lineSubmitted")).toEqual({ number: 1, agency: "Bao An", when: SUBMITTED_AT, total: 3, level: "Thap" });
    expect(reply && varsOf(reply, "results.overview.unreachable")).toMatchObject({ count: 1, names: { kind: "literal", text: "Ms Unreachable" } });
  });

  it("when the province has many agencies, then the overview is split into several messages, the counts first and the hint last", () => {
    const many = Array.from({ length: OVERVIEW_AGENCIES_PER_MESSAGE + 3 }, (_, i) => agency(`x${i}`, `Bao ${String(i).padStart(2, "0")}`, {}));
    const list = replies(send("tổng quan", provinceOf(many)));
    expect(list).toHaveLength(2);
    expect(list[0] && keysOf(list[0]).slice(0, 2)).toEqual(["results.overview.title", "results.overview.counts"]);
    expect(list[0] && keysOf(list[0])).not.toContain("results.overview.footer");
    expect(list[1] && keysOf(list[1])).not.toContain("results.overview.title");
    expect(list[1] && keysOf(list[1]).at(-1)).toBe("results.overview.footer");
    expect(list[1] && varsOf(list[1], "results.overview.lineNotStarted")).toMatchObject({ number: OVERVIEW_AGENCIES_PER_MESSAGE + 1 });
  });

  it.each<[string, string]>([
    ["tổng quan 2", "Bao Binh"],
    ["tổng quan bình", "Bao Binh"],
    ["/overview Dai Dong", "Dai Dong"],
    ["tong quan an", "Bao An"],
  ])("when they send %j, then they see that agency in detail, read-only", (message, name) => {
    const [reply] = replies(send(message));
    expect(reply && varsOf(reply, "results.detail.title")).toMatchObject({ agency: name });
    expect(reply && keysOf(reply)).toContain("score.pillarLine");
    expect(reply && keysOf(reply).at(-1)).toBe("results.detail.readOnly");
  });

  it("when they name an agency of another province or one that does not exist, then the answer is the same and reveals nothing", () => {
    const elsewhere = replies(send("tổng quan Báo Huế Thử"));
    const nowhere = replies(send("tổng quan Báo Không Có"));
    const outOfRange = replies(send("tổng quan 99"));
    for (const [list, query] of [
      [elsewhere, "Báo Huế Thử"],
      [nowhere, "Báo Không Có"],
      [outOfRange, "99"],
    ] as const) {
      expect(list.map(keysOf)).toEqual([["results.access.agencyNotFound"]]);
      expect(list[0] && varsOf(list[0], "results.access.agencyNotFound")).toEqual({ query });
    }
  });

  it("when a name matches several agencies, then they are listed with their numbers to choose from", () => {
    const [reply] = replies(send("tổng quan bao"));
    expect(reply && varsOf(reply, "results.overview.ambiguous")).toEqual({ query: "bao", names: "1. Bao An; 2. Bao Binh" });
  });

  it("when agencies start and submit, then every agency keeps its number and \"tổng quan 3\" still names the same one", () => {
    const numbers = (agencies: readonly AgencyOverview[]) =>
      Object.fromEntries(
        repliesOf(send("tổng quan", provinceOf(agencies)))
          .flatMap((r) => r.paragraphs)
          .flatMap((p) => (p.kind === "lines" ? p.lines : [p]))
          .flatMap((p) => (p.kind === "key" && typeof p.vars?.number === "number" && typeof p.vars.agency === "string" ? [[p.vars.agency, p.vars.number]] : [])),
      );
    const later = AGENCIES.map((a) => (a.id === "c" ? agency("c", a.name, { "P1.1.1": true }) : a.id === "b" ? agency("b", a.name, { "P1.1.1": true }, { status: "submitted" }) : a));
    expect(numbers(later)).toEqual(numbers(AGENCIES));
    expect(numbers(AGENCIES)).toEqual({ "Bao An": 1, "Bao Binh": 2, "Dai Dong": 3, "Tap chi Cam": 4 });
    for (const agencies of [AGENCIES, later]) {
      const [detail] = replies(send("tổng quan 3", provinceOf(agencies)));
      expect(detail && varsOf(detail, "results.detail.title")).toMatchObject({ number: 3, agency: "Dai Dong" });
    }
  });

  it("when an agency has not started, then its detail shows no score and no level", () => {
    const [detail] = replies(send("tổng quan 4"));
    expect(detail && varsOf(detail, "results.detail.title")).toMatchObject({ agency: "Tap chi Cam" });
    expect(detail && keysOf(detail)).toContain("results.detail.notStarted");
    expect(detail && keysOf(detail)).not.toContain("score.total");
    expect(detail && keysOf(detail)).not.toContain("score.pillarLine");
  });

  it.each(["nhắc", "nhac", "/nudge", "đôn đốc"])("when they send %j, then only agencies behind, reachable and not nudged today are nudged, and they are told about the others", (message) => {
    const effects = send(message);
    const nudges = effects.filter((e) => e.kind === "nudge");
    expect(nudges).toHaveLength(1);
    const nudge = nudges[0];
    if (nudge?.kind !== "nudge") throw new Error("no nudge");
    expect(nudge.agencies.map((a) => a.agencyId)).toEqual(["b"]);
    expect(nudge.agencies[0]?.message).toEqual({
      kind: "key",
      key: "results.nudge.messageInProgress",
      vars: { supervisor: "Supervisor Pham", province: "Tinh Thu Nghiem", agency: "Bao Binh", period: "2024", answered: 1, count: 6, closes: ENTRY_CLOSES },
    });
    const [reply] = replies(effects);
    expect(reply && keysOf(reply)).toEqual(["results.nudge.sent", "results.nudge.alreadyToday", "results.nudge.unreachable"]);
    expect(reply && varsOf(reply, "results.nudge.sent")).toMatchObject({ count: 1, people: 2 });
    expect(reply && varsOf(reply, "results.nudge.alreadyToday")).toMatchObject({ count: 1, names: { kind: "literal", text: "Dai Dong" } });
    expect(reply && varsOf(reply, "results.nudge.unreachable")).toMatchObject({ count: 1, names: { kind: "literal", text: "Tap chi Cam" } });
  });

  it("when a not-started agency can be reached, then its nudge says it has not started", () => {
    const effects = send("nhắc", provinceOf([agency("c", "Tap chi Cam", {}, { recipients: 1 })]));
    const nudge = effects.find((e) => e.kind === "nudge");
    expect(nudge?.kind === "nudge" && nudge.agencies[0]?.message).toMatchObject({ key: "results.nudge.messageNotStarted" });
  });

  it.each<[string, ProvinceView, Date, string]>([
    ["every agency has submitted", provinceOf([AGENCIES[0] as AgencyOverview]), NOW, "results.nudge.nothing"],
    ["the entry window has closed", provinceOf(), new Date(ENTRY_CLOSES.getTime() + 1000), "results.nudge.windowClosed"],
    ["the entry window has not opened", provinceOf(), new Date(ENTRY_OPENS.getTime() - 1000), "results.nudge.notOpen"],
    ["there is no period", provinceOf([], null), NOW, "results.supervisor.noPeriod"],
  ])("when %s, then nobody is nudged and the supervisor is told why", (_case, province, now, key) => {
    const effects = send("nhắc", province, now);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual([key]);
  });

  it.each(["xuất báo cáo", "xuat bao cao", "/export", "báo cáo"])("when they send %j, then the province's workbook is asked for with a caption", (message) => {
    const effects = send(message);
    expect(effects).toEqual([
      { kind: "export", caption: { kind: "key", key: "results.export.caption", vars: { province: "Tinh Thu Nghiem", period: "2024", count: 4 } } },
    ]);
  });

  it.each<[string, Input | string]>([
    ["an answer", "có"],
    ["/submit", "/submit"],
    ["a score request", "điểm"],
    ["a plan request", "kế hoạch"],
    ["a note", "ghi chú thử"],
    ["a photo", { kind: "attachment", attachment: { kind: "photo", ref: "file-1" } }],
    ["a tapped button", pick("P1.1.1", "yes")],
  ])("when they send %s, then nothing changes and they are told the account is read-only", (_case, input) => {
    const effects = send(input);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual(["results.supervisor.readOnly", "results.supervisor.help"]);
  });

  it.each(["trợ giúp", "/start", "/help", "menu", "xin chào", "3"])("when they send %j, then they get the supervisor's introduction and commands", (message) => {
    expect(replyKeys(send(message))).toEqual(["results.supervisor.intro", "results.supervisor.help"]);
  });

  it("when the app loaded no province view, then the overview says there is nothing to follow yet", () => {
    expect(replyKeys(send("tổng quan", null))).toEqual(["results.supervisor.noPeriod"]);
  });
});

describe("supervisor commands typed by agency people", () => {
  it.each<["member" | "lead", string]>([
    ["member", "tổng quan"],
    ["member", "tổng quan Bao An"],
    ["lead", "nhắc"],
    ["lead", "/nudge"],
    ["member", "xuất báo cáo"],
    ["lead", "/export"],
  ])("when a %s sends %j, then it is refused without data effects or any other agency's name", (role, message) => {
    const chat = new Chat({ person: personOf(role), session: sessionOf(tiny) });
    const effects = chat.send(message);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual(["results.access.supervisorOnly"]);
  });
});
