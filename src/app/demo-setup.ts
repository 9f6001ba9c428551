import { t } from "../domain/conversation/text.js";
import { formatVietnamDate } from "../domain/periods/period-file.js";
import type { Translator } from "../i18n/translator.js";
import type { Db, Store } from "../persistence/db-client.js";
import { getDefinition, listDefinitions } from "../persistence/definition-store.js";
import { addPeriod } from "../persistence/period-store.js";

const DAY_MS = 86_400_000;

/**
 * On an empty database the terminal chat sets up a demo province, agency and open period for the newest shipped
 * definition and links the local user as the agency's lead, so a newcomer can try the whole flow with no setup.
 * Every row is flagged `demo`: reports, overviews and reminders leave it out, only demo agencies answer into the demo
 * period, and `admin demo remove` deletes it all. A database that already holds agencies or periods is never touched.
 */
export async function ensureDemo(
  store: Store,
  translator: Translator,
  user: { readonly externalUserId: string; readonly displayName: string },
  now: Date,
): Promise<boolean> {
  const { db } = store;
  if ((await db.agency.count()) > 0 || (await db.assessmentPeriod.count()) > 0) return false;
  const newest = await newestDefinitionId(db);
  const vi = (key: string, vars?: Record<string, string | number>): string => translator.text("vi", t(key, vars));
  const agency = await db.$transaction(async (tx) => {
    const province = await tx.province.create({ data: { name: vi("demo.province"), demo: true } });
    return tx.agency.create({ data: { name: vi("demo.agency"), provinceId: province.id, group: "local-newspaper", type: "newspaper", demo: true } });
  });
  await addPeriod(store, {
    definition: newest,
    name: vi("demo.period", { year: String(now.getUTCFullYear()) }),
    referenceFrom: formatVietnamDate(new Date(now.getTime() - 365 * DAY_MS)),
    referenceTo: formatVietnamDate(now),
    entryOpens: new Date(now.getTime() - DAY_MS),
    entryCloses: new Date(now.getTime() + 60 * DAY_MS),
    deadlines: [],
  }, { demo: true });
  await db.$transaction(async (tx) => {
    const person = await tx.person.create({ data: { displayName: user.displayName } });
    await tx.roleGrant.create({ data: { personId: person.id, role: "lead", agencyId: agency.id } });
    await tx.chatIdentity.upsert({
      where: { channel_externalUserId: { channel: "console", externalUserId: user.externalUserId } },
      create: { channel: "console", externalUserId: user.externalUserId, chatId: user.externalUserId, displayName: user.displayName, personId: person.id },
      update: { personId: person.id },
    });
  });
  return true;
}

/** The shipped or imported definition issued last: the one a new period most likely uses. */
async function newestDefinitionId(db: Db): Promise<string> {
  let best: { id: string; issuedOn: string } | null = null;
  for (const summary of await listDefinitions(db)) {
    const definition = await getDefinition(db, summary.id);
    if (definition && (best === null || definition.source.issuedOn > best.issuedOn)) best = { id: definition.id, issuedOn: definition.source.issuedOn };
  }
  if (best === null) throw new Error("no index definition is stored");
  return best.id;
}
