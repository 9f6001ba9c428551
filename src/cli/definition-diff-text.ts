import type { DefinitionDiff, FieldChange, MaximumChange } from "../domain/questionnaire/definition-diff.js";

const shown = (value: FieldChange["from"]): string => (value === null ? "(none)" : typeof value === "string" ? JSON.stringify(value) : String(value));
const maximum = (value: number | null): string => (value === null ? "(none)" : String(value));

function maximaLines(title: string, changes: readonly MaximumChange[]): string[] {
  if (changes.length === 0) return [`${title}: unchanged`];
  return [`${title}:`, ...changes.map((c) => `  ${c.id}: ${maximum(c.from)} → ${maximum(c.to)}`)];
}

/** The human-readable form of `definitions diff` (the --json form prints the DefinitionDiff itself). */
export function diffLines(diff: DefinitionDiff): string[] {
  const { added, removed, changed } = diff.criteria;
  const lines = [`${diff.from} → ${diff.to}`];
  if (diff.maxScore) lines.push(`max score: ${diff.maxScore.from} → ${diff.maxScore.to}`);
  lines.push(`criteria added: ${added.length}`, ...added.map((c) => `  + ${c.id} (max ${c.maxScore}) ${c.question.vi}`));
  lines.push(`criteria removed: ${removed.length}`, ...removed.map((c) => `  - ${c.id} (max ${c.maxScore}) ${c.question.vi}`));
  lines.push(`criteria changed: ${changed.length}`);
  for (const criterion of changed) {
    lines.push(`  ~ ${criterion.id}`, ...criterion.changes.map((c) => `      ${c.field}: ${shown(c.from)} → ${shown(c.to)}`));
  }
  lines.push(...maximaLines("pillar maxima", diff.pillars), ...maximaLines("indicator maxima", diff.indicators));
  if (diff.levels.length === 0) lines.push("levels: unchanged");
  else lines.push("levels:", ...diff.levels.map((c) => `  ${c.field}: ${shown(c.from)} → ${shown(c.to)}`));
  return lines;
}
