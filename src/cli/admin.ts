import { listAgencies } from "../persistence/agency-store.js";
import { countDemo, isEmptyDemo, removeDemo, type DemoCounts } from "../persistence/demo-store.js";
import { listInvites } from "../persistence/invite-store.js";
import { listPeriods } from "../persistence/period-store.js";
import { listProvinces } from "../persistence/province-store.js";
import { formatVietnamDateTime } from "../domain/periods/period-file.js";
import { AGENCY_COMMANDS, agencyJson } from "./admin-agencies.js";
import { PERIOD_COMMANDS, periodJson, periodLine } from "./admin-periods.js";
import { isMainModule, runProgram, type CliIo, type Command } from "./command-table.js";
import { OperatorError, operatorKey, type Tr } from "./operator-text.js";
import { withDatabase } from "./with-database.js";

/** `admin …`: provinces, agencies, invites, periods, the terminal chat's demo. Every command takes --json, --lang and --help. */

const vn = formatVietnamDateTime;
type Listed = "provinces" | "agencies" | "periods" | "invites";

/** "1 tỉnh, 1 cơ quan, …": what the demo holds, for the operator. */
function demoSummary(counts: DemoCounts, t: Tr): string {
  return (["provinces", "agencies", "periods", "assessments", "answers", "people"] as const).map((what) => t(operatorKey("admin", "demo", "count", what), { count: counts[what] })).join(", ");
}

const OTHER_COMMANDS: readonly Command[] = [
  {
    words: "demo remove",
    options: { yes: { type: "boolean" } },
    async run(context) {
      const { t } = context;
      if (context.args.length > 0) throw new OperatorError("operator.common.unexpected", { words: context.args.join(" "), usage: t("operator.admin.demo.remove.usage") });
      const confirmed = context.values.yes === true;
      const counts = await withDatabase(async (db) => {
        const found = await countDemo(db);
        return confirmed && !isEmptyDemo(found) ? removeDemo(db) : found;
      });
      if (isEmptyDemo(counts)) return context.emit({ removed: counts }, [t("operator.admin.demo.none")]);
      if (!confirmed) throw new OperatorError("operator.admin.demo.confirm", { summary: demoSummary(counts, t) });
      context.emit({ removed: counts }, [t("operator.admin.demo.removed", { summary: demoSummary(counts, t) })]);
    },
  },
  {
    words: "list",
    options: {},
    async run(context) {
      const { t } = context;
      const [what, ...rest] = context.args;
      if (what === undefined || rest.length > 0) throw new OperatorError("operator.common.usageError", { usage: t("operator.admin.list.usage") });
      const demo = (flag: boolean) => (flag ? `  ${t("operator.common.demoMark")}` : "");
      switch (what as Listed) {
        case "provinces": {
          const provinces = await withDatabase(listProvinces);
          const value = provinces.map((p) => ({ id: p.id, name: p.name, agencies: p.agencies, current: p.current, demo: p.demo, createdAt: vn(p.createdAt) }));
          const mark = (p: (typeof provinces)[number]) => (p.demo ? demo(true) : p.current ? "" : `  ${t("operator.admin.list.legacyProvince")}`);
          return context.emit(value, provinces.map((p) => `${t("operator.admin.list.province", { id: p.id, name: p.name, count: p.agencies })}${mark(p)}`));
        }
        case "agencies": {
          const agencies = await withDatabase(listAgencies);
          const lines = agencies.length === 0 ? [t("operator.admin.list.noAgencies")] : agencies.map((a) => `${a.id}  ${a.province}  ${a.group}/${a.type}  ${a.name}${demo(a.demo)}`);
          return context.emit(agencies.map(agencyJson), lines);
        }
        case "periods": {
          const periods = await withDatabase(listPeriods);
          return context.emit(periods.map(periodJson), periods.length === 0 ? [t("operator.admin.period.none")] : periods.map((p) => periodLine(p, t)));
        }
        case "invites": {
          const invites = await withDatabase((db) => listInvites(db));
          const value = invites.map((i) => ({ ...i, expiresAt: vn(i.expiresAt), usedAt: i.usedAt && vn(i.usedAt), createdAt: vn(i.createdAt) }));
          const lines = invites.map((i) =>
            t("operator.admin.list.invite", { id: i.id, role: t(operatorKey("common", "roles", i.role)), target: i.agency ? `${i.agency.name} (${i.province ?? "?"})` : (i.province ?? "?"), status: t(operatorKey("admin", "list", "inviteStatus", i.status)), expiresTime: i.expiresAt }),
          );
          return context.emit(value, invites.length === 0 ? [t("operator.admin.list.noInvites")] : lines);
        }
        default:
          throw new OperatorError("operator.admin.list.unknown", { what, usage: t("operator.admin.list.usage") });
      }
    },
  },
];

export const ADMIN_COMMANDS: readonly Command[] = [...AGENCY_COMMANDS, ...PERIOD_COMMANDS, ...OTHER_COMMANDS];

/** Runs `admin` with these arguments; the exit code is returned (tests run it in-process). */
export function admin(argv: string[], io?: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  return runProgram("admin", ADMIN_COMMANDS, argv, io, env);
}

if (isMainModule(import.meta.url)) process.exitCode = await admin(process.argv.slice(2));
