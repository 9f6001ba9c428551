import type { PersonView, StepContext } from "../conversation/context.js";
import type { Effect, Reply } from "../conversation/effects.js";
import { dossierQuery, parseCommand, type Input } from "../conversation/input.js";
import { scorePillarLines } from "../conversation/summary-replies.js";
import { foldText, lines, literal, localized, t, type Text } from "../conversation/text.js";
import type { Locale } from "../questionnaire/definition-schema.js";
import { fromHundredths } from "../questionnaire/hundredths.js";
import { overviewOrder, type AgencyOverview, type ProvinceView } from "./province-view.js";

/** Agencies per overview message: a province's list in one bubble would pass Zalo's 2,000 characters. */
export const OVERVIEW_AGENCIES_PER_MESSAGE = 12;
const NAMES_SHOWN = 3;

/**
 * A province supervisor's conversation: read-only. They see their own province (ctx.province, loaded by the app for
 * their province only), nudge agencies that have not submitted, and get the province's workbook. Everything that
 * would change an assessment is refused. An agency name that is not in their province gets the same answer as a name
 * that does not exist at all, so nothing is learnt about other provinces.
 */
export function supervisorEffects(input: Input, ctx: StepContext, person: PersonView, locale: Locale): Effect[] {
  const province = ctx.province;
  if (input.kind !== "text") return [say(t("results.supervisor.readOnly", { province: person.provinceName }), t("results.supervisor.help"))];
  const query = dossierQuery(input.text);
  const command = query === null ? parseCommand(input.text) : { name: "dossier" as const, arg: query, slash: false };
  if (command === null) return [say(t("results.supervisor.intro", { province: person.provinceName }), t("results.supervisor.help"))];
  if (command.name === "unknown") return [say(t("input.unknownCommand", { command: command.word }), t("results.supervisor.help"))];
  switch (command.name) {
    case "start":
    case "help":
    case "menu":
      return [say(t("results.supervisor.intro", { province: person.provinceName }), t("results.supervisor.help"))];
    case "overview":
    case "nudge":
    case "dossier":
    case "export": {
      if (province === undefined || province.period === null || province.definition === null) {
        return [say(t("results.supervisor.noPeriod", { province: person.provinceName }))];
      }
      const view = { ...province, period: province.period, definition: province.definition };
      if (command.name === "overview") return overviewEffects(view, command.arg, locale);
      if (command.name === "nudge") return nudgeEffects(view, ctx.now, person);
      if (command.name === "dossier") return dossierEffects(view, command.arg);
      return [{ kind: "export", caption: t("results.export.caption", { province: view.provinceName, period: view.period.name, count: view.agencies.length }) }];
    }
    default:
      return [say(t("results.supervisor.readOnly", { province: person.provinceName }), t("results.supervisor.help"))];
  }
}

type LoadedProvince = ProvinceView & { readonly period: NonNullable<ProvinceView["period"]>; readonly definition: NonNullable<ProvinceView["definition"]> };

const say = (...paragraphs: Text[]): Effect => ({ kind: "reply", reply: { paragraphs } });

function overviewEffects(province: LoadedProvince, arg: string, locale: Locale): Effect[] {
  const ordered = overviewOrder(province.agencies);
  if (arg.trim() !== "") {
    const found = findAgency(ordered, arg);
    if (found.kind === "none") return [say(t("results.access.agencyNotFound", { query: arg.trim() }))];
    if (found.kind === "several") {
      return [say(t("results.overview.ambiguous", { query: arg.trim(), names: found.names.join("; ") }))];
    }
    return [{ kind: "reply", reply: agencyDetail(province, found.agency, found.number, locale) }];
  }
  return overviewReplies(province, ordered, locale).map((reply): Effect => ({ kind: "reply", reply }));
}

/** The province overview: counts first, then the agencies by name, several messages if many. */
export function overviewReplies(province: LoadedProvince, ordered: readonly AgencyOverview[], locale: Locale): Reply[] {
  const count = (status: AgencyOverview["status"]) => ordered.filter((a) => a.status === status).length;
  const head: Text[] = [
    t("results.overview.title", { province: province.provinceName, period: province.period.name }),
    t("results.overview.counts", {
      count: ordered.length,
      submitted: count("submitted"),
      inProgress: count("in-progress"),
      notStarted: count("not-started"),
      closes: province.period.entryCloses,
    }),
  ];
  if (ordered.length === 0) return [{ paragraphs: [...head, t("results.overview.noAgencies")] }];
  const replies: Reply[] = [];
  for (let start = 0; start < ordered.length; start += OVERVIEW_AGENCIES_PER_MESSAGE) {
    const chunk = ordered.slice(start, start + OVERVIEW_AGENCIES_PER_MESSAGE);
    const rows = chunk.map((agency, i) => agencyLine(agency, start + i + 1, locale));
    replies.push({ paragraphs: [...(start === 0 ? head : []), ...rows] });
  }
  const last = replies[replies.length - 1];
  if (last) replies[replies.length - 1] = { paragraphs: [...last.paragraphs, t("results.overview.footer")] };
  return replies;
}

function agencyLine(agency: AgencyOverview, number: number, locale: Locale): Text {
  const level = localized(agency.score.level.name, locale);
  const total = fromHundredths(agency.score.totalH);
  const percent = percentOf(agency);
  const main =
    agency.status === "submitted"
      ? t("results.overview.lineSubmitted", { number, agency: agency.name, when: agency.submittedAt ?? new Date(0), total, level })
      : agency.status === "in-progress"
        ? t("results.overview.lineInProgress", { number, agency: agency.name, percent, total, level })
        : t("results.overview.lineNotStarted", { number, agency: agency.name });
  return lines([main, ...detailLines(agency)]);
}

function detailLines(agency: AgencyOverview): Text[] {
  const rows: Text[] = [];
  if (agency.lastActivity !== null) rows.push(t("results.overview.lastActivity", { when: agency.lastActivity }));
  if (agency.members.length === 0) rows.push(t("results.overview.noMembers"));
  const unreachable = agency.members.filter((m) => !m.reachable).map((m) => m.name);
  if (unreachable.length > 0) rows.push(t("results.overview.unreachable", { count: unreachable.length, names: listNames(unreachable) }));
  return rows;
}

function agencyDetail(province: LoadedProvince, agency: AgencyOverview, number: number, locale: Locale): Reply {
  const { definition } = province;
  const score = agency.score;
  const status =
    agency.status === "submitted"
      ? t("results.detail.submitted", { when: agency.submittedAt ?? new Date(0), name: agency.submittedByName ?? "" })
      : agency.status === "in-progress"
        ? t("results.detail.inProgress", { percent: percentOf(agency) })
        : t("results.detail.notStarted");
  const members = agency.members.map((m) => (m.reachable ? m.name : `${m.name} ⚠`));
  // An agency that has not started has no score and no level yet (scoring it would say "Yếu").
  const scoreLines =
    agency.status === "not-started"
      ? []
      : [
          t("score.total", { total: fromHundredths(score.totalH), max: fromHundredths(score.maxH), level: localized(score.level.name, locale) }),
          lines(scorePillarLines(definition, score, locale)),
          t("score.completion", { answered: score.answered, count: score.criteria, percent: percentOf(agency) }),
        ];
  return {
    paragraphs: [
      t("results.detail.title", { number, agency: agency.name, period: province.period.name }),
      status,
      ...scoreLines,
      ...(agency.lastActivity !== null ? [t("results.overview.lastActivity", { when: agency.lastActivity })] : []),
      members.length === 0 ? t("results.overview.noMembers") : t("results.detail.members", { count: members.length, names: literal(members.join(", ")) }),
      t("results.detail.readOnly"),
    ],
  };
}

type Lookup =
  | { readonly kind: "found"; readonly agency: AgencyOverview; readonly number: number }
  | { readonly kind: "several"; readonly names: readonly string[] }
  | { readonly kind: "none" };

/** An agency of the overview by its number there, its full name or a unique part of it (accents and case ignored). */
function findAgency(ordered: readonly AgencyOverview[], query: string): Lookup {
  const folded = foldText(query);
  if (/^\d+$/.test(folded)) {
    const number = Number(folded);
    const agency = ordered[number - 1];
    return agency ? { kind: "found", agency, number } : { kind: "none" };
  }
  if (folded === "") return { kind: "none" };
  const indexed = ordered.map((agency, i) => ({ agency, number: i + 1, name: foldText(agency.name) }));
  const exact = indexed.filter((a) => a.name === folded);
  const matches = exact.length > 0 ? exact : indexed.filter((a) => a.name.includes(folded));
  const [first] = matches;
  if (first === undefined) return { kind: "none" };
  if (matches.length === 1) return { kind: "found", agency: first.agency, number: first.number };
  return { kind: "several", names: matches.map((m) => `${m.number}. ${m.agency.name}`) };
}

/** "hồ sơ 3": the dossier of an agency of the province, by its overview number or name (the app checks the province again). */
function dossierEffects(province: LoadedProvince, arg: string): Effect[] {
  if (arg.trim() === "") return [say(t("evidence2.dossier.whichAgency"))];
  const found = findAgency(overviewOrder(province.agencies), arg);
  if (found.kind === "none") return [say(t("results.access.agencyNotFound", { query: arg.trim() }))];
  if (found.kind === "several") return [say(t("results.overview.ambiguous", { query: arg.trim(), names: found.names.join("; ") }))];
  return [{ kind: "dossier", agencyId: found.agency.id }];
}

function nudgeEffects(province: LoadedProvince, now: Date, person: PersonView): Effect[] {
  const { period } = province;
  if (now < period.entryOpens) return [say(t("results.nudge.notOpen", { opens: period.entryOpens }))];
  if (now > period.entryCloses) return [say(t("results.nudge.windowClosed", { closed: period.entryCloses }))];
  const behind = overviewOrder(province.agencies).filter((a) => a.status !== "submitted");
  if (behind.length === 0) return [say(t("results.nudge.nothing", { period: period.name }))];
  const toNudge = behind.filter((a) => !a.nudgedToday && a.recipients > 0);
  const already = behind.filter((a) => a.nudgedToday);
  const unreachable = behind.filter((a) => !a.nudgedToday && a.recipients === 0);
  const rows: Text[] = [];
  if (toNudge.length > 0) {
    rows.push(
      t("results.nudge.sent", {
        count: toNudge.length,
        people: toNudge.reduce((sum, a) => sum + a.recipients, 0),
        names: listNames(toNudge.map((a) => a.name)),
      }),
    );
  }
  if (already.length > 0) rows.push(t("results.nudge.alreadyToday", { count: already.length, names: listNames(already.map((a) => a.name)) }));
  if (unreachable.length > 0) rows.push(t("results.nudge.unreachable", { count: unreachable.length, names: listNames(unreachable.map((a) => a.name)) }));
  const effects: Effect[] = [];
  if (toNudge.length > 0) {
    effects.push({
      kind: "nudge",
      agencies: toNudge.map((agency) => ({
        agencyId: agency.id,
        message:
          agency.status === "not-started"
            ? t("results.nudge.messageNotStarted", { supervisor: person.name, province: province.provinceName, agency: agency.name, period: period.name, closes: period.entryCloses })
            : t("results.nudge.messageInProgress", {
                supervisor: person.name,
                province: province.provinceName,
                agency: agency.name,
                period: period.name,
                answered: agency.score.answered,
                count: agency.score.criteria,
                closes: period.entryCloses,
              }),
      })),
    });
  }
  effects.push(say(lines(rows)));
  return effects;
}

function percentOf(agency: AgencyOverview): number {
  return agency.score.criteria === 0 ? 0 : Math.round((agency.score.answered / agency.score.criteria) * 100);
}

function listNames(names: readonly string[]): Text {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  return names.length <= NAMES_SHOWN ? literal(shown) : t("results.moreNames", { names: literal(shown), count: names.length - NAMES_SHOWN });
}
