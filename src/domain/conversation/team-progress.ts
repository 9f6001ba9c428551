import { answeredBy, inParts, partsText } from "./assigned-parts.js";
import type { PersonView, SessionView } from "./context.js";
import type { Reply } from "./effects.js";
import { criteriaOf } from "./navigation.js";
import { lines, t, type Text } from "./text.js";

/**
 * The progress reply with the team in it: a lead sees who answered how many questions; a person with assigned parts
 * sees how many of theirs are left.
 */
export function teamProgress(reply: Reply, session: SessionView, person: PersonView): Reply {
  const extra: Text[] = [];
  const parts = person.assignedParts ?? [];
  if (parts.length > 0) {
    const mine = criteriaOf(session.definition).filter((entry) => inParts(entry, parts));
    const left = mine.filter((entry) => (session.answers.get(entry.criterion.id)?.value ?? null) === null).length;
    extra.push(t("team.progress.mine", { parts: partsText(parts), left, count: mine.length }));
  }
  const people = answeredBy(session);
  if (person.role === "lead" && people.length > 0) {
    extra.push(lines([t("team.progress.byPerson"), ...people.map((row) => t("team.progress.personLine", { name: row.name, count: row.count }))]));
  }
  return extra.length === 0 ? reply : { ...reply, paragraphs: [...reply.paragraphs, ...extra] };
}
