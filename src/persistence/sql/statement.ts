export type SqlValue = string | number | boolean | Date | null;

/** SQL with `$1…$n` placeholders and its values; written once, run on either database. */
export interface SqlStatement {
  readonly text: string;
  readonly values: readonly SqlValue[];
}

type SqlPart = SqlValue | readonly SqlValue[] | SqlStatement | readonly SqlStatement[];

const isStatement = (part: unknown): part is SqlStatement => typeof part === "object" && part !== null && !(part instanceof Date) && "text" in part;

/**
 * `sql\`… ${value} …\`` numbers the values as `$1…$n`. An array of values becomes a list (`IN (${ids})`); a statement
 * is inlined with its placeholders renumbered, and an array of statements is inlined comma-separated (multi-row VALUES).
 * Hand-written rather than Prisma.sql: the drivers need the `$n` text and a flat value list, which Prisma.sql builds
 * more slowly (measured in the commit that moved this file).
 */
export function sql(strings: TemplateStringsArray, ...parts: readonly SqlPart[]): SqlStatement {
  const flat: SqlValue[] = [];
  const inline = (fragment: SqlStatement): string =>
    fragment.text.replace(/\$(\d+)/g, (_m, n: string) => {
      flat.push(fragment.values[Number(n) - 1] ?? null);
      return `$${flat.length}`;
    });
  let text = strings[0] ?? "";
  parts.forEach((part, i) => {
    const list: readonly (SqlValue | SqlStatement)[] = Array.isArray(part) ? part : [part as SqlValue | SqlStatement];
    if (list.length === 0) throw new Error("sql: an empty list has no SQL form");
    text += list.map((item) => (isStatement(item) ? inline(item) : (flat.push(item), `$${flat.length}`))).join(", ") + (strings[i + 1] ?? "");
  });
  return { text, values: flat };
}
