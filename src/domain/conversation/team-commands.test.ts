import { describe, expect, it } from "vitest";
import type { AgencyOverview, ProvinceView } from "../results/province-view.js";
import { continueTarget, parseParts, walkAfterAnswer } from "./assigned-parts.js";
import type { PersonView, StepContext } from "./context.js";
import type { Effect } from "./effects.js";
import { criteriaOf, findEntry } from "./navigation.js";
import { initialState, type ConversationState } from "./state.js";
import { step } from "./step.js";
import type { TeamMemberView } from "./team-view.js";
import { answerOf, contextOf, dataEffects, personOf, replyKeys, sessionOf, shippedDefinition, text, pick, NOW, tinyDefinition, keysOf, repliesOf } from "../../../test/support/conversation-engine.js";

const tiny = tinyDefinition();
const shipped = shippedDefinition();
const CODE = "K7M2Q-9XWDA";
const DAY_MS = 24 * 60 * 60 * 1000;

const member = (personId: string, role: "member" | "lead" = "member", assignedParts: string[] = []): TeamMemberView => ({
  personId,
  name: `Name ${personId}`,
  role,
  assignedParts,
  reachable: true,
});
const lead = personOf("lead");
const TEAM = { members: [member(lead.id, "lead"), member("p-minh"), member("p-ha", "member", ["P2"])] };

/** A context as the app builds it for a lead or supervisor: the team or province, and a fresh code. */
function ctx(person: PersonView, extra: Partial<StepContext> = {}): StepContext {
  return { ...contextOf({ person, session: sessionOf(tiny) }), team: TEAM, newInviteCode: CODE, ...extra };
}

/** Sends messages one after the other, feeding the state back in as the app does. */
function conversation(context: StepContext) {
  let state: ConversationState = initialState();
  return {
    send(input: string | ReturnType<typeof pick>): readonly Effect[] {
      const result = step(state, typeof input === "string" ? text(input) : input, context);
      state = result.state;
      return result.effects;
    },
    state: () => state,
  };
}

describe("reading the parts of an assignment", () => {
  it.each<[string, string[]]>([
    ["trụ cột 3", ["P3"]],
    ["3", ["P3"]],
    ["p2.1 P4", ["P2.1", "P4"]],
    ["chỉ số 2.1, trụ cột 1", ["P1", "P2.1"]],
    ["Tru cot 5 va 1", ["P1", "P5"]],
    ["pillar 2 pillar 2", ["P2"]],
  ])("when a lead types %j, then the parts are %j in the definition's order", (typed, parts) => {
    expect(parseParts(typed, shipped)).toEqual({ ok: true, parts });
  });

  it.each([["9"], ["P2.9"], ["trụ cột"], ["hello"], [""]])("when a lead types %j, then it is not a part", (typed) => {
    expect(parseParts(typed, shipped).ok).toBe(false);
  });
});

describe("walking an assigned part first", () => {
  const entry = (id: string) => {
    const found = findEntry(shipped, id);
    if (found === undefined) throw new Error(id);
    return found;
  };
  const answeredUpTo = (ids: readonly string[]) => (id: string) => ids.includes(id);

  it("when an answer inside the part leaves more of it, then the next question is the part's", () => {
    const walk = walkAfterAnswer(shipped, answeredUpTo(["P3.1.1"]), entry("P3.1.1"), ["P3.1", "P5.2"]);
    expect(walk).toMatchObject({ kind: "ask", entry: { criterion: { id: "P3.1.2" } } });
  });

  it("when the part's last question is answered, then the walk stops and says what is left, pillar by pillar", () => {
    const walk = walkAfterAnswer(shipped, answeredUpTo(["P5.2.1", "P5.2.2", "P5.2.3", "P5.2.4"]), entry("P5.2.4"), ["P5.2"]);
    expect(walk.kind).toBe("part-done");
    const keys = walk.kind === "part-done" ? walk.paragraphs.flatMap((p) => keysOf({ paragraphs: [p] })) : [];
    expect(keys).toEqual(expect.arrayContaining(["team.walk.partDone", "team.walk.remaining", "team.walk.pillarCount", "team.walk.goOn"]));
  });

  it("when someone without a part answers, then the next unanswered question follows as before", () => {
    expect(walkAfterAnswer(shipped, answeredUpTo(["P1.1.1"]), entry("P1.1.1"), [])).toMatchObject({ kind: "ask", entry: { criterion: { id: "P1.1.2" } } });
  });

  it("when everything is answered, then the walk is over", () => {
    const all = criteriaOf(shipped).map((e) => e.criterion.id);
    expect(walkAfterAnswer(shipped, answeredUpTo(all), entry("P5.2.4"), ["P5.2"])).toEqual({ kind: "all-done" });
  });

  it.each<[string | undefined, string[], string]>([
    [undefined, ["P4"], "P4.1.1"],
    ["P1.1.1", ["P4"], "P4.1.1"],
    ["P4.1.2", ["P4"], "P4.1.2"],
    ["P1.1.1", [], "P1.1.1"],
  ])("when a person on %s with parts %j continues, then %s is asked", (current, parts, expected) => {
    const target = continueTarget(shipped, () => false, current === undefined ? undefined : entry(current), parts);
    expect(target?.criterion.id).toBe(expected);
  });

  it("when the part is done, then continuing goes on with the rest from where the person stands", () => {
    const p4 = criteriaOf(shipped).filter((e) => e.pillar.id === "P4").map((e) => e.criterion.id);
    expect(continueTarget(shipped, answeredUpTo(p4), entry("P4.2.5"), ["P4"])?.criterion.id).toBe("P5.1.1");
  });

  it("when an assigned member answers through the engine, then the next question is inside their part", () => {
    const person = personOf("member", { assignedParts: ["P2.1"] });
    const chat = conversation(contextOf({ person, session: sessionOf(tiny) }));
    expect(repliesOf(chat.send("tiếp tục")).at(-1)?.questionId).toBe("P2.1.1");
  });
});

describe("team commands of a lead", () => {
  it.each([
    ["/invite", "member"],
    ["mời", "member"],
    ["mời thành viên", "member"],
    ["/invite lead", "lead"],
    ["mời lãnh đạo", "lead"],
  ])("when the lead sends %j, then a %s invite with the code shown is stored for 14 days", (typed, role) => {
    const effects = conversation(ctx(lead)).send(typed);
    expect(dataEffects(effects)).toEqual([{ kind: "issue-invite", code: CODE, role, agencyId: null, expiresAt: new Date(NOW.getTime() + 14 * DAY_MS) }]);
    expect(replyKeys(effects)).toEqual(
      expect.arrayContaining([role === "lead" ? "team.invite.createdLead" : "team.invite.createdMember", "team.invite.code", "team.invite.howTo"]),
    );
    expect(replyKeys(effects)).not.toContain("team.invite.link");
  });

  it("when the lead invites on Telegram with a bot name, then the forwardable message carries the deep link", () => {
    const effects = conversation(ctx(lead, { inviteLinkBase: "https://t.me/Bot?start=" })).send("/invite");
    const link = repliesOf(effects).flatMap((r) => r.paragraphs).find((p) => p.kind === "key" && p.key === "team.invite.link");
    expect(link).toEqual({ kind: "key", key: "team.invite.link", vars: { link: "https://t.me/Bot?start=K7M2Q9XWDA" } });
  });

  it.each([["mới ban hành"], ["gỡ bỏ rào cản"], ["phân công rõ ràng"]])("when a member types %j as an answer, then it is not taken for a team command", (typed) => {
    const effects = conversation(ctx(personOf("member"))).send(typed);
    expect(dataEffects(effects).filter((e) => e.kind === "refusal")).toEqual([]);
    expect(replyKeys(effects)).not.toContain("team.refused.leadOnly");
  });

  it.each([["/invite boss"]])("when the lead sends %j, then the usage is explained and nothing is stored", (typed) => {
    const effects = conversation(ctx(lead)).send(typed);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)).toEqual(["team.invite.usage"]);
  });

  it.each<[string, readonly string[]]>([
    ["phân công 2 trụ cột 1", ["P1"]],
    ["/assign 3 P2.1 1", ["P1", "P2.1"]],
  ])("when the lead sends %j, then the person is assigned %j", (typed, parts) => {
    const effects = conversation(ctx(lead)).send(typed);
    const personId = typed.includes(" 2 ") ? "p-minh" : "p-ha";
    expect(dataEffects(effects)).toEqual([{ kind: "assign", personId, parts }]);
  });

  it.each<[string, string]>([
    ["phân công 7 trụ cột 1", "team.notFound"],
    ["phân công 2 trụ cột 9", "team.assign.badPart"],
    ["phân công", "team.assign.usage"],
    ["/unassign", "team.unassign.usage"],
    ["gỡ", "team.remove.usage"],
    ["gỡ 0", "team.notFound"],
  ])("when the lead sends %j, then nothing changes and the reply is %s", (typed, key) => {
    const effects = conversation(ctx(lead)).send(typed);
    expect(dataEffects(effects)).toEqual([]);
    expect(replyKeys(effects)[0]).toBe(key);
  });

  it("when the lead unassigns, then the assignment is cleared", () => {
    expect(dataEffects(conversation(ctx(lead)).send("bỏ phân công 3"))).toEqual([{ kind: "assign", personId: "p-ha", parts: [] }]);
  });

  it.each([["1"], ["có"], [pick("team-remove", "yes")]])("when the lead confirms a removal with %j, then the person is removed", (confirm) => {
    const chat = conversation(ctx(lead));
    const asked = chat.send("gỡ 2");
    expect(repliesOf(asked).at(-1)).toMatchObject({ questionId: "team-remove", choices: [{ value: "yes" }, { value: "no" }] });
    expect(dataEffects(asked)).toEqual([]);
    expect(dataEffects(chat.send(confirm))).toEqual([{ kind: "remove-member", personId: "p-minh" }]);
    expect(chat.state().teamPending).toBeUndefined();
  });

  it.each([["2"], ["không"], [pick("team-remove", "no")], ["hủy"]])("when the lead answers a removal with %j, then nobody is removed", (answer) => {
    const chat = conversation(ctx(lead));
    chat.send("gỡ 2");
    expect(dataEffects(chat.send(answer))).toEqual([]);
    expect(chat.state().teamPending).toBeUndefined();
  });

  it("when the lead sends another command instead of confirming, then the removal is dropped and the command runs", () => {
    const chat = conversation(ctx(lead));
    chat.send("gỡ 2");
    const effects = chat.send("tiếp tục");
    expect(dataEffects(effects)).toEqual([]);
    expect(repliesOf(effects).at(-1)?.questionId).toBe("P1.1.1");
    expect(dataEffects(chat.send("1"))).toEqual([{ kind: "save-answer", criterionId: "P1.1.1", value: true }]);
  });

  it("when the only lead removes themselves, then it is refused; with a second lead it is asked", () => {
    expect(dataEffects(conversation(ctx(lead)).send("gỡ 1"))).toEqual([{ kind: "refusal", action: "remove", reason: "last-lead" }]);
    const twoLeads = { members: [...TEAM.members, member("p-co", "lead")] };
    const chat = conversation(ctx(lead, { team: twoLeads }));
    chat.send("gỡ 1");
    expect(dataEffects(chat.send("có"))).toEqual([{ kind: "remove-member", personId: lead.id }]);
  });

  it("when the lead lists the team, then each person has a line with role, answers and assignment", () => {
    const session = sessionOf(tiny, { answers: new Map([["P1.1.1", answerOf(true, { id: "p-minh", name: "Name p-minh" })]]) });
    const effects = conversation(ctx(lead, { session })).send("thành viên");
    expect(replyKeys(effects)).toEqual(
      expect.arrayContaining(["team.list.title", "team.list.lineLead", "team.list.lineMember", "team.list.assigned", "team.list.notAssigned", "team.list.help"]),
    );
    expect(JSON.stringify(effects)).toContain('"answers":1');
  });
});

describe("team commands refused for lack of rights", () => {
  it.each<[PersonView["role"], string, string, string]>([
    ["member", "mời", "invite", "team.refused.leadOnly"],
    ["member", "/team", "team", "team.refused.leadOnly"],
    ["member", "phân công 2 3", "assign", "team.refused.leadOnly"],
    ["member", "bỏ phân công 2", "unassign", "team.refused.leadOnly"],
    ["member", "gỡ 2", "remove", "team.refused.leadOnly"],
    ["member", "thêm cơ quan", "addagency", "team.refused.supervisorOnly"],
    ["lead", "/addagency", "addagency", "team.refused.supervisorOnly"],
    ["supervisor", "thành viên", "team", "team.refused.leadOnly"],
    ["supervisor", "/assign 1 2", "assign", "team.refused.leadOnly"],
    ["supervisor", "/remove 1", "remove", "team.refused.leadOnly"],
  ])("when a %s sends %j, then it is refused in one line and the refusal is an effect to log", (role, typed, action, key) => {
    const effects = conversation(ctx(personOf(role))).send(typed);
    const reason = key === "team.refused.supervisorOnly" ? "not-supervisor" : "not-lead";
    expect(dataEffects(effects)).toEqual([{ kind: "refusal", action, reason }]);
    expect(replyKeys(effects)).toEqual([key]);
  });
});

describe("a supervisor's agencies", () => {
  const supervisor = personOf("supervisor");
  const agency = (id: string, name: string): AgencyOverview =>
    ({ id, name, group: "magazine", status: "not-started", score: { answered: 0 }, submittedAt: null, submittedByName: null, lastActivity: null, members: [], recipients: 0, nudgedToday: false }) as unknown as AgencyOverview;
  const province: ProvinceView = {
    provinceName: "Tinh Thu Nghiem",
    period: { id: "period", name: "2024", entryOpens: NOW, entryCloses: NOW },
    definition: tiny,
    agencies: [agency("a-2", "Tạp chí B"), agency("a-1", "Báo A")],
  };
  const supervisorCtx = (): StepContext => ({ ...contextOf({ person: supervisor, session: null }), province, newInviteCode: CODE });

  it("when the supervisor adds an agency by typed numbers, then it is created with a lead invite", () => {
    const chat = conversation(supervisorCtx());
    expect(replyKeys(chat.send("thêm cơ quan"))).toEqual(["team.agency.askName", "team.agency.cancelHint"]);
    expect(replyKeys(chat.send("Báo A"))).toEqual(["team.agency.exists", "team.agency.cancelHint"]);
    expect(repliesOf(chat.send("Đài Phát Thanh Thử")).at(-1)).toMatchObject({ questionId: "team-group" });
    expect(replyKeys(chat.send("9"))).toEqual(["team.agency.pickNumber", "team.agency.askGroup"]);
    expect(repliesOf(chat.send("5")).at(-1)).toMatchObject({ questionId: "team-type" });
    const effects = chat.send(pick("team-type", "radio-tv"));
    expect(dataEffects(effects)).toEqual([
      { kind: "add-agency", name: "Đài Phát Thanh Thử", group: "radio-tv", type: "radio-tv", code: CODE, expiresAt: new Date(NOW.getTime() + 14 * DAY_MS) },
    ]);
    expect(chat.state().teamPending).toBeUndefined();
  });

  it("when the supervisor cancels while adding, then nothing is created", () => {
    const chat = conversation(supervisorCtx());
    chat.send("/addagency");
    chat.send("Báo Mới");
    expect(replyKeys(chat.send("hủy"))).toEqual(["team.cancelled"]);
    expect(chat.state().teamPending).toBeUndefined();
  });

  it.each<[string, string | null]>([
    ["mời 1", "a-1"],
    ["/invite 2", "a-2"],
    ["mời 3", null],
  ])("when the supervisor sends %j, then the lead invite is for %s of the overview's numbering", (typed, agencyId) => {
    const effects = conversation(supervisorCtx()).send(typed);
    if (agencyId === null) expect(dataEffects(effects)).toEqual([]);
    else expect(dataEffects(effects)).toMatchObject([{ kind: "issue-invite", role: "lead", agencyId, code: CODE }]);
  });
});
