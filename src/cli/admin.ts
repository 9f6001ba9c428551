import { readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { formatVietnamDateTime, formatPeriodProblem, validatePeriodFile } from "../domain/periods/period-file.js";
import { AGENCY_GROUPS, AGENCY_TYPES, AgencyImportError, addAgency, formatImportProblem, importAgencies, listAgencies, type AgencyImportProblem, type AgencyRecord } from "../persistence/agency-store.js";
import { MAX_INVITE_EXPIRY_DAYS, createInvite, listInvites, type InviteTarget } from "../persistence/invite-store.js";
import { addPeriod, listPeriods, type PeriodRecord } from "../persistence/period-store.js";
import { UnknownProvinceError, listProvinces, resolveProvince } from "../persistence/province-store.js";
import { countDemo, isEmptyDemo, removeDemo, type DemoCounts } from "../persistence/demo-store.js";
import { StoreRefusal } from "../persistence/store-errors.js";
import { parseAgencyCsv } from "./agency-csv.js";
import { UserError, checkFlags, parseFlags, printJson, readJsonFile, runCli } from "./cli-support.js";
import { asFlagError, loadCliConfig, withDatabase } from "./with-database.js";

/** `admin …`: provinces, agencies, invites, periods, the terminal chat's demo. Every command takes --json. */

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = ReturnType<typeof parseFlags<Options>>["values"];

interface Command {
  readonly usage: string;
  readonly options: Options;
  run(input: { values: Values; args: string[]; json: boolean }): Promise<void>;
}

const ROLES = ["member", "lead", "supervisor"] as const;
const LISTS = ["provinces", "agencies", "periods", "invites"] as const;
const stringFlag = { type: "string" } as const;

const oneOf = (values: readonly string[]) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required: one of ${values.join(", ")}` : `must be one of ${values.join(", ")} (got "${String(issue.input)}")`;
const requiredText = (what: string) => z.string({ error: `is required (${what})` }).trim().min(1, `must not be empty (${what})`);

const agencyFlags = z.object({
  name: requiredText("the agency's name"),
  province: requiredText("the province's name"),
  group: z.enum(AGENCY_GROUPS, { error: oneOf(AGENCY_GROUPS) }),
  type: z.enum(AGENCY_TYPES, { error: oneOf(AGENCY_TYPES) }),
});

const inviteFlags = z.object({
  role: z.enum(ROLES, { error: oneOf(ROLES) }),
  agency: z.string().trim().min(1, "must not be empty (the agency id)").optional(),
  province: z.string().trim().min(1, "must not be empty (the province's name)").optional(),
  "expires-days": z
    .string()
    .regex(/^\d+$/, `must be a whole number of days from 1 to ${MAX_INVITE_EXPIRY_DAYS}`)
    .transform(Number)
    .pipe(z.number().min(1, "must be at least 1 day").max(MAX_INVITE_EXPIRY_DAYS, `must be at most ${MAX_INVITE_EXPIRY_DAYS} days`))
    .optional(),
});

const vn = formatVietnamDateTime;

function emit(json: boolean, value: unknown, lines: readonly string[]): void {
  if (json) printJson(value);
  else for (const line of lines) console.log(line);
}

function oneArgument(args: readonly string[], usage: string): string {
  if (args.length !== 1 || args[0] === undefined || args[0].trim() === "") throw new UserError(`usage: ${usage}`);
  return args[0];
}

function noArguments(args: readonly string[], usage: string): void {
  if (args.length > 0) throw new UserError(`unexpected "${args.join(" ")}"; usage: ${usage}`);
}

const agencyJson = (a: AgencyRecord) => ({ id: a.id, name: a.name, province: a.province, provinceId: a.provinceId, group: a.group, type: a.type, demo: a.demo, createdAt: vn(a.createdAt) });

const DEMO_MARK = "  [demo]";
const demoMark = (demo: boolean): string => (demo ? DEMO_MARK : "");

/** "1 province, 1 agency, 1 period, …": what the demo holds, for the operator. */
function demoSummary(counts: DemoCounts): string {
  const part = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [
    part(counts.provinces, "province", "provinces"),
    part(counts.agencies, "agency", "agencies"),
    part(counts.periods, "period", "periods"),
    part(counts.assessments, "assessment", "assessments"),
    part(counts.answers, "answer", "answers"),
    part(counts.people, "person", "people"),
  ].join(", ");
}

const periodJson = (p: PeriodRecord) => ({
  id: p.id,
  demo: p.demo,
  definition: p.definition,
  name: p.name,
  referenceFrom: p.referenceFrom,
  referenceTo: p.referenceTo,
  entryOpens: vn(p.entryOpens),
  entryCloses: vn(p.entryCloses),
  deadlines: p.deadlines.map((d) => ({ id: d.id, kind: d.kind, label: d.label, dueAt: vn(d.dueAt), audience: d.audience, offsetsDays: d.offsetsDays })),
  createdAt: vn(p.createdAt),
});

const periodLine = (p: PeriodRecord) =>
  `${p.id}  ${p.name}  ${p.definition}  entry ${vn(p.entryOpens)} → ${vn(p.entryCloses)}  ${p.deadlines.length} deadline(s)${demoMark(p.demo)}`;

const COMMANDS = new Map<string, Command>([
  [
    "province add",
    {
      usage: "admin province add <name>",
      options: {},
      async run({ args, json }) {
        // An unquoted `Hà Nội` arrives as two words; a name never starts with a flag, so joining them is safe.
        const name = args.join(" ").trim();
        if (name === "") throw new UserError("usage: admin province add <name>");
        // The 34 units in force since 1 July 2025 are always there: this only tells which one a name means.
        const resolved = await withDatabase((db) => resolveProvince(db, name));
        if (resolved.kind === "unknown") {
          throw new UserError(`${new UnknownProvinceError(name, resolved.suggestion).message}; only the 34 provincial-level units in force since 1 July 2025 exist`);
        }
        const { province, formerName } = resolved;
        const merged = formerName === null ? "" : `"${formerName}" was merged into ${province.name} on 1 July 2025; `;
        emit(json, { id: province.id, name: province.name, created: false, formerName, createdAt: vn(province.createdAt) }, [
          `${merged}province ${province.name} exists (id ${province.id}); nothing to add`,
        ]);
      },
    },
  ],
  [
    "agency add",
    {
      usage: "admin agency add --name <name> --province <name> --group <group> --type <type>",
      options: { name: stringFlag, province: stringFlag, group: stringFlag, type: stringFlag },
      async run({ values, args, json }) {
        noArguments(args, this.usage);
        const flags = checkFlags(agencyFlags, values);
        const { agency, formerProvinceName } = await withDatabase((db) => addAgency(db, flags).catch(asFlagError("--province", UnknownProvinceError)));
        const merged = formerProvinceName === null ? "" : ` ("${formerProvinceName}" was merged into ${agency.province} on 1 July 2025)`;
        emit(json, { ...agencyJson(agency), formerProvinceName }, [`added agency ${agency.name} (id ${agency.id}) in ${agency.province}${merged}`]);
      },
    },
  ],
  [
    "agency import",
    {
      usage: "admin agency import <file.csv>",
      options: {},
      async run({ args, json }) {
        const file = oneArgument(args, this.usage);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new UserError(`${file}: ${code === "ENOENT" ? "file not found" : `cannot read (${code ?? "error"})`}`);
        }
        const csv = parseAgencyCsv(bytes);
        if (csv.rows.length === 0) throw importFailure(csv.problems);
        const result = await withDatabase(async (db) => {
          try {
            // With bad rows already found, a dry run still reports the rows that clash with the database.
            return await importAgencies(db, csv.rows, { dryRun: csv.problems.length > 0 });
          } catch (error) {
            if (error instanceof AgencyImportError) throw importFailure([...csv.problems, ...error.problems]);
            throw error;
          }
        });
        if (csv.problems.length > 0) throw importFailure(csv.problems);
        emit(json, { imported: result.agencies.length, agencies: result.agencies.map(agencyJson) }, [
          `imported ${result.agencies.length} agencies`,
          ...result.agencies.map((a) => `${a.id}  ${a.province}  ${a.name}`),
        ]);
      },
    },
  ],
  [
    "invite",
    {
      usage: "admin invite --agency <id> --role member|lead [--expires-days N] | admin invite --province <name> --role supervisor [--expires-days N]",
      options: { agency: stringFlag, province: stringFlag, role: stringFlag, "expires-days": stringFlag },
      async run({ values, args, json }) {
        noArguments(args, this.usage);
        const flags = checkFlags(inviteFlags, values);
        const target = inviteTarget(flags);
        const config = loadCliConfig();
        const invite = await withDatabase((db) =>
          createInvite(db, target, { expiresDays: flags["expires-days"] }).catch(asFlagError(target.kind === "province" ? "--province" : "--agency")),
        );
        const link = config.TELEGRAM_BOT_USERNAME ? `https://t.me/${config.TELEGRAM_BOT_USERNAME}?start=${invite.code.replace(/-/g, "")}` : null;
        const scope = invite.agency ? `${invite.role} of ${invite.agency.name} (${invite.province})` : `supervisor of ${invite.province}`;
        emit(json, { code: invite.code, link, role: invite.role, id: invite.id, agency: invite.agency, province: invite.province, expiresAt: vn(invite.expiresAt) }, [
          `code: ${invite.code}  (shown only now: only its hash is stored)`,
          `link: ${link ?? "none (TELEGRAM_BOT_USERNAME is not set)"}`,
          `for: ${scope}`,
          `expires: ${vn(invite.expiresAt)}`,
        ]);
      },
    },
  ],
  [
    "period add",
    {
      usage: "admin period add <file.json>",
      options: {},
      async run({ args, json }) {
        const file = oneArgument(args, this.usage);
        const validation = validatePeriodFile(readJsonFile(file));
        if (!validation.ok) throw new UserError(validation.problems.map((p) => `${file}: ${formatPeriodProblem(p)}`).join("\n"));
        const period = await withDatabase(async (db) => {
          try {
            return await addPeriod(db, validation.period);
          } catch (error) {
            if (error instanceof StoreRefusal) throw new UserError(`${file}: ${error.message}`);
            throw error;
          }
        });
        emit(json, periodJson(period), [`added period ${periodLine(period)}`]);
      },
    },
  ],
  [
    "demo remove",
    {
      usage: "admin demo remove [--yes]",
      options: { yes: { type: "boolean" } },
      async run({ values, args, json }) {
        noArguments(args, this.usage);
        const confirmed = values.yes === true;
        const counts = await withDatabase(async (db) => {
          const found = await countDemo(db);
          return confirmed && !isEmptyDemo(found) ? removeDemo(db) : found;
        });
        if (isEmptyDemo(counts)) return emit(json, { removed: counts }, ["no demo data: nothing to remove"]);
        if (!confirmed) throw new UserError(`the demo holds ${demoSummary(counts)}; nothing removed: run "admin demo remove --yes" to delete it`);
        emit(json, { removed: counts }, [`removed the demo: ${demoSummary(counts)}`]);
      },
    },
  ],
  [
    "list",
    {
      usage: `admin list ${LISTS.join("|")}`,
      options: {},
      async run({ args, json }) {
        const what = oneArgument(args, this.usage);
        switch (what) {
          case "provinces": {
            const provinces = await withDatabase(listProvinces);
            const value = provinces.map((p) => ({ id: p.id, name: p.name, agencies: p.agencies, current: p.current, demo: p.demo, createdAt: vn(p.createdAt) }));
            const mark = (p: (typeof provinces)[number]) => (p.demo ? DEMO_MARK : p.current ? "" : "  [not one of the 34 units: kept from an earlier version]");
            return emit(json, value, provinces.map((p) => `${p.id}  ${p.name}  ${p.agencies} agencies${mark(p)}`));
          }
          case "agencies": {
            const agencies = await withDatabase(listAgencies);
            const lines = agencies.length === 0 ? ["no agencies"] : agencies.map((a) => `${a.id}  ${a.province}  ${a.group}/${a.type}  ${a.name}${demoMark(a.demo)}`);
            return emit(json, agencies.map(agencyJson), lines);
          }
          case "periods": {
            const periods = await withDatabase(listPeriods);
            return emit(json, periods.map(periodJson), periods.length === 0 ? ["no periods"] : periods.map(periodLine));
          }
          case "invites": {
            const invites = await withDatabase((db) => listInvites(db));
            const value = invites.map((i) => ({ ...i, expiresAt: vn(i.expiresAt), usedAt: i.usedAt && vn(i.usedAt), createdAt: vn(i.createdAt) }));
            const lines = invites.map((i) => `${i.id}  ${i.role}  ${i.agency ? `${i.agency.name} (${i.province ?? "?"})` : (i.province ?? "?")}  ${i.status}  expires ${vn(i.expiresAt)}`);
            return emit(json, value, invites.length === 0 ? ["no invites"] : lines);
          }
          default:
            throw new UserError(`cannot list "${what}"; usage: ${this.usage}`);
        }
      },
    },
  ],
]);

/** Areas whose commands take an action word: `admin agency add`, not `admin agency`. */
const AREAS_WITH_ACTIONS = new Set(["province", "agency", "period", "demo"]);

function inviteTarget(flags: z.infer<typeof inviteFlags>): InviteTarget {
  if (flags.role === "supervisor") {
    if (flags.agency !== undefined) throw new UserError("--agency: a supervisor invite is for a province; use --province <name>");
    if (flags.province === undefined) throw new UserError("--province: is required for a supervisor invite");
    return { kind: "province", province: flags.province, role: "supervisor" };
  }
  if (flags.province !== undefined) throw new UserError(`--province: a ${flags.role} invite is for one agency; use --agency <id>`);
  if (flags.agency === undefined) throw new UserError(`--agency: is required for a ${flags.role} invite (the agency id; see admin list agencies)`);
  return { kind: "agency", agencyId: flags.agency, role: flags.role };
}

function importFailure(problems: readonly AgencyImportProblem[]): UserError {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  return new UserError(sorted.map(formatImportProblem).join("\n"));
}

await runCli(async () => {
  const argv = process.argv.slice(2);
  // A first, lenient pass only finds the command words, so that flags may come before them.
  const allOptions: Options = {
    json: { type: "boolean" },
    ...Object.fromEntries([...COMMANDS.values()].flatMap((c) => Object.entries(c.options))),
  };
  const { positionals } = parseArgs({ args: argv, options: allOptions, strict: false, allowPositionals: true });
  const [area, action] = positionals;
  const key = area !== undefined && AREAS_WITH_ACTIONS.has(area) ? [area, action].filter((w) => w !== undefined).join(" ") : area;
  const command = key === undefined ? undefined : COMMANDS.get(key);
  if (command === undefined || key === undefined) {
    const usages = [...COMMANDS.values()].map((c) => c.usage).join("; ");
    throw new UserError(`${key === undefined ? "missing command" : `unknown command "admin ${key}"`}; expected one of: ${usages}`);
  }
  const { values, positionals: words } = parseFlags(argv, { json: { type: "boolean" }, ...command.options });
  await command.run({ values, args: words.slice(key.split(" ").length), json: values.json === true });
});
