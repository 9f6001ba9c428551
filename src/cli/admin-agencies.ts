import { z } from "zod";
import { formatVietnamDateTime } from "../domain/periods/period-file.js";
import { AGENCY_GROUPS, AGENCY_TYPES, AgencyImportError, addAgency, findAgenciesByIdOrName, importAgencies, type AgencyRecord } from "../persistence/agency-store.js";
import { MAX_INVITE_EXPIRY_DAYS, createInvite, type InviteTarget } from "../persistence/invite-store.js";
import { UnknownProvinceError, resolveProvince } from "../persistence/province-store.js";
import { parseAgencyCsv, storeProblem, type CsvProblem } from "./agency-csv.js";
import type { Command, CommandContext } from "./command-table.js";
import { checkFlags } from "./flag-check.js";
import { readOperatorFile } from "./operator-files.js";
import { OperatorError, operatorKey, type Tr } from "./operator-text.js";
import { asFlagError, loadCliConfig, withDatabase } from "./with-database.js";

/** `admin province add`, `admin agency add | import`, `admin invite`. */

const vn = formatVietnamDateTime;
const stringFlag = { type: "string" } as const;
const ROLES = ["member", "lead", "supervisor"] as const;

const oneOf = (issue: { input?: unknown }) => (issue.input === undefined ? "operator.reasons.oneOfRequired" : "operator.reasons.oneOf");
/** A text flag: the keys say what is missing or empty (`…agencyNameRequired`, `…agencyNameEmpty`). */
const requiredText = (required: string, empty: string) => z.string({ error: required }).trim().min(1, empty).max(200, "operator.reasons.tooLong");

const agencyFlags = z.object({
  name: requiredText("operator.reasons.agencyNameRequired", "operator.reasons.agencyNameEmpty"),
  province: requiredText("operator.reasons.provinceRequired", "operator.reasons.provinceNotEmpty"),
  group: z.enum(AGENCY_GROUPS, { error: oneOf }),
  type: z.enum(AGENCY_TYPES, { error: oneOf }),
});

const inviteFlags = z.object({
  role: z.enum(ROLES, { error: oneOf }),
  agency: z.string().trim().min(1, "operator.reasons.agencyNotEmpty").optional(),
  province: z.string().trim().min(1, "operator.reasons.provinceNotEmpty").optional(),
  "expires-days": z
    .string()
    .regex(/^\d+$/, "operator.reasons.expiryDays")
    .transform(Number)
    .pipe(z.number().min(1, "operator.reasons.expiryMin").max(MAX_INVITE_EXPIRY_DAYS, "operator.reasons.expiryMax"))
    .optional(),
});

export const agencyJson = (a: AgencyRecord) => ({ id: a.id, name: a.name, province: a.province, provinceId: a.provinceId, group: a.group, type: a.type, demo: a.demo, createdAt: vn(a.createdAt) });

function usageError(context: CommandContext, key: string): never {
  throw new OperatorError("operator.common.usageError", { usage: context.t(key) });
}

function importFailure(problems: readonly CsvProblem[], t: Tr): OperatorError {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  return new OperatorError("operator.common.lines", { text: sorted.map((p) => t("operator.admin.agency.csv.problem", { line: p.line, field: p.field, reason: p.reason })).join("\n") });
}

function inviteTarget(flags: z.infer<typeof inviteFlags>, agencyId: string | undefined): InviteTarget {
  if (flags.role === "supervisor") {
    if (flags.agency !== undefined) throw new OperatorError("operator.admin.invite.supervisorNeedsProvince");
    if (flags.province === undefined) throw new OperatorError("operator.admin.invite.provinceRequired");
    return { kind: "province", province: flags.province, role: "supervisor" };
  }
  if (flags.province !== undefined) throw new OperatorError("operator.admin.invite.agencyRoleNoProvince", { role: flags.role });
  if (agencyId === undefined) throw new OperatorError("operator.admin.invite.agencyRequired", { role: flags.role });
  return { kind: "agency", agencyId, role: flags.role };
}

export const AGENCY_COMMANDS: readonly Command[] = [
  {
    words: "province add",
    options: {},
    async run(context) {
      // An unquoted `Hà Nội` arrives as two words; a name never starts with a flag, so joining them is safe.
      const name = context.args.join(" ").trim();
      if (name === "") usageError(context, "operator.admin.province.add.usage");
      // The 34 units in force since 1 July 2025 are always there: this only tells which one a name means.
      const resolved = await withDatabase((db) => resolveProvince(db, name));
      if (resolved.kind === "unknown") throw new OperatorError("operator.admin.province.unknown", { name, suggestion: resolved.suggestion });
      const { province, formerName } = resolved;
      const merged = formerName === null ? "" : context.t("operator.admin.province.merged", { former: formerName, name: province.name });
      context.emit({ id: province.id, name: province.name, created: false, formerName, createdAt: vn(province.createdAt) }, [
        `${merged}${context.t("operator.admin.province.exists", { name: province.name, id: province.id })}`,
      ]);
    },
  },
  {
    words: "agency add",
    options: { name: stringFlag, province: stringFlag, group: stringFlag, type: stringFlag },
    async run(context) {
      if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t("operator.admin.agency.add.usage") });
      const flags = checkFlags(agencyFlags, context.values, context.t);
      const { agency, formerProvinceName } = await withDatabase((db) => addAgency(db, flags).catch(asFlagError("--province", UnknownProvinceError)));
      const merged = formerProvinceName === null ? "" : ` ${context.t("operator.admin.agency.mergedNote", { former: formerProvinceName, name: agency.province })}`;
      context.emit({ ...agencyJson(agency), formerProvinceName }, [`${context.t("operator.admin.agency.added", { name: agency.name, id: agency.id, province: agency.province })}${merged}`]);
    },
  },
  {
    words: "agency import",
    options: { update: { type: "boolean" } },
    async run(context) {
      const [file, ...rest] = context.args;
      if (file === undefined || rest.length > 0) usageError(context, "operator.admin.agency.import.usage");
      const csv = parseAgencyCsv(readOperatorFile(file));
      if (csv.rows.length === 0) throw importFailure(csv.problems, context.t);
      const update = context.values.update === true;
      const result = await withDatabase(async (db) => {
        try {
          // With bad rows already found, a dry run still reports the rows that clash with the database.
          return await importAgencies(db, csv.rows, { dryRun: csv.problems.length > 0, update });
        } catch (error) {
          if (error instanceof AgencyImportError) throw importFailure([...csv.problems, ...error.problems.map(storeProblem)], context.t);
          throw error;
        }
      });
      if (csv.problems.length > 0) throw importFailure(csv.problems, context.t);
      const { t } = context;
      context.emit(
        {
          imported: result.agencies.length,
          unchanged: result.unchanged.length,
          updated: result.updated.length,
          differing: result.differing.length,
          agencies: result.agencies.map(agencyJson),
          updatedAgencies: result.updated.map(agencyJson),
          differingAgencies: result.differing.map((d) => ({ ...agencyJson(d.agency), line: d.line, fileGroup: d.group, fileType: d.type })),
        },
        [
          ...result.agencies.map((a) => t("operator.admin.agency.importAdded", { id: a.id, province: a.province, name: a.name })),
          ...result.updated.map((a) => t("operator.admin.agency.importUpdated", { id: a.id, province: a.province, name: a.name, group: a.group, type: a.type })),
          ...result.differing.map((d) => t("operator.admin.agency.importDiffers", { line: d.line, name: d.agency.name, group: d.agency.group, type: d.agency.type, fileGroup: d.group, fileType: d.type })),
          t("operator.admin.agency.importSummary", { added: result.agencies.length, unchanged: result.unchanged.length, updated: result.updated.length, differing: result.differing.length }),
          ...(result.differing.length > 0 && !update ? [t("operator.admin.agency.importUpdateHint", { file })] : []),
        ],
      );
    },
  },
  {
    words: "invite",
    options: { agency: stringFlag, province: stringFlag, role: stringFlag, "expires-days": stringFlag },
    async run(context) {
      if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: context.t("operator.admin.invite.usage") });
      const flags = checkFlags(inviteFlags, context.values, context.t, { max: MAX_INVITE_EXPIRY_DAYS });
      // The flags' combination is checked before the database is opened; the agency's id is found below.
      inviteTarget(flags, flags.agency);
      const config = loadCliConfig();
      const invite = await withDatabase(async (db) => {
        let agencyId: string | undefined;
        if (flags.role !== "supervisor" && flags.agency !== undefined) {
          const found = await findAgenciesByIdOrName(db, flags.agency);
          if (found.length === 0) throw new OperatorError("operator.admin.invite.noAgency", { given: flags.agency });
          if (found.length > 1) throw new OperatorError("operator.admin.invite.ambiguous", { given: flags.agency, list: found.map((a) => `${a.name} (${a.province}): --agency ${a.id}`).join("\n  ") });
          agencyId = found[0]?.id;
        }
        const target = inviteTarget(flags, agencyId);
        return createInvite(db, target, { expiresDays: flags["expires-days"] }).catch(asFlagError(target.kind === "province" ? "--province" : "--agency"));
      });
      const link = config.TELEGRAM_BOT_USERNAME ? `https://t.me/${config.TELEGRAM_BOT_USERNAME}?start=${invite.code.replace(/-/g, "")}` : null;
      const { t } = context;
      const scope = invite.agency ? t("operator.admin.invite.forAgency", { role: t(operatorKey("common", "roles", invite.role)), agency: invite.agency.name, province: invite.province ?? "" }) : t("operator.admin.invite.forProvince", { province: invite.province ?? "" });
      context.emit({ code: invite.code, link, role: invite.role, id: invite.id, agency: invite.agency, province: invite.province, expiresAt: vn(invite.expiresAt) }, [
        t("operator.admin.invite.code", { code: invite.code }),
        link === null ? t("operator.admin.invite.noLink") : t("operator.admin.invite.link", { link }),
        t("operator.admin.invite.for", { scope }),
        t("operator.admin.invite.expires", { expiresTime: invite.expiresAt }),
      ]);
    },
  },
];
