import pino from "pino";
import { createOutboxDeliverer, type OutboxDeliverer } from "../../src/app/outbox/deliverer.js";
import { createReminders, type Reminders } from "../../src/app/send-reminders.js";
import { SEND_ONLY_CAPABILITIES, sendOnly, type ChannelAdapter, type OutboundMessage, type SendError } from "../../src/channels/channel.js";
import type { PeriodFile } from "../../src/domain/periods/period-file.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { addAgency, type AgencyRecord } from "../../src/persistence/agency-store.js";
import type { Db, Store } from "../../src/persistence/db-client.js";
import { addPeriod, type PeriodRecord } from "../../src/persistence/period-store.js";

/** A local time in Vietnam. */
export const vn = (local: string): Date => new Date(`${local}+07:00`);

/** The coming year's period as the README gives it (examples/period-2027.json). */
export const PERIOD_2027: PeriodFile = {
  definition: "press-dx-1827-2024",
  name: "Năm 2027",
  referenceFrom: "2026-10-01",
  referenceTo: "2027-10-31",
  entryOpens: vn("2027-11-01T00:00:00"),
  entryCloses: vn("2027-11-15T23:59:59"),
  deadlines: [
    {
      kind: "province-report",
      label: { vi: "Báo cáo Sở trước 25/11/2027", en: "Report to the province by 25 Nov 2027" },
      dueAt: vn("2027-11-25T17:00:00"),
      audience: "unsubmitted-agencies",
      offsetsDays: [14, 7, 3, 1, 0],
    },
    {
      kind: "national-report",
      label: { vi: "Báo cáo Bộ trước 15/12/2027", en: "National report by 15 Dec 2027" },
      dueAt: vn("2027-12-15T17:00:00"),
      audience: "province-supervisors",
      offsetsDays: [14, 7, 3, 1, 0],
    },
  ],
};

export async function seedAgencies(store: Store, names: readonly string[], province = "Hà Nội"): Promise<{ period: PeriodRecord; agencies: AgencyRecord[] }> {
  const agencies: AgencyRecord[] = [];
  for (const name of names) agencies.push((await addAgency(store.db, { name, province, group: "local-newspaper", type: "newspaper" })).agency);
  const period = await addPeriod(store, PERIOD_2027);
  return { period, agencies };
}

let people = 0;

/** A linked person with one chat identity, as after redeeming an invite. */
export async function linkPerson(
  db: Db,
  who: {
    readonly name: string;
    readonly role: "member" | "lead" | "supervisor";
    readonly agencyId?: string;
    readonly provinceId?: string;
    readonly channel?: "telegram" | "zalo" | "console";
    readonly reachable?: boolean;
    readonly remindersEnabled?: boolean;
    readonly locale?: "vi" | "en";
  },
): Promise<{ personId: string; identityId: string; chatId: string }> {
  people += 1;
  const person = await db.person.create({ data: { displayName: who.name, locale: who.locale ?? "vi" } });
  await db.roleGrant.create({ data: { personId: person.id, role: who.role, agencyId: who.agencyId ?? null, provinceId: who.provinceId ?? null } });
  const chatId = `${who.channel ?? "telegram"}-${people}-${process.pid}`;
  const identity = await db.chatIdentity.create({
    data: {
      personId: person.id,
      channel: who.channel ?? "telegram",
      externalUserId: chatId,
      chatId,
      reachable: who.reachable ?? true,
      remindersEnabled: who.remindersEnabled ?? true,
    },
  });
  return { personId: person.id, identityId: identity.id, chatId };
}

export interface SentMessage {
  readonly channel: string;
  readonly chatId: string;
  readonly text: string;
  readonly choices: readonly { value: string; label: string }[];
  readonly questionId: string | undefined;
}

/** A channel that records what it sends; `failFor` makes sends to a chat fail; `hold` keeps a send hanging. */
export function recordingChannel(channel: "telegram" | "zalo", log: SentMessage[] = []) {
  const failFor = new Map<string, SendError>();
  const hold = new Set<string>();
  const started: string[] = [];
  const adapter: ChannelAdapter = {
    channel,
    capabilities: { buttons: channel === "telegram", textLimitChars: channel === "telegram" ? 4096 : 2000, ...SEND_ONLY_CAPABILITIES },
    ...sendOnly(channel),
    verify: () => true,
    parse: () => [],
    async send(chatId: string, message: OutboundMessage) {
      started.push(chatId);
      if (hold.has(chatId)) return new Promise<void>(() => undefined);
      const failure = failFor.get(chatId);
      if (failure) throw failure;
      if (message.kind !== "reply") return;
      log.push({ channel, chatId, text: message.reply.text, choices: message.reply.choices, questionId: message.reply.questionId });
    },
  };
  return { adapter, sent: log, failFor, hold, started };
}

export const silent = pino({ level: "silent" });

/** One service instance's reminder machinery: the reminders and a deliverer wired with their hooks. */
export async function reminderStack(
  store: Store,
  adapters: readonly ChannelAdapter[],
  clock: () => Date,
  options: { readonly leaseRenewMs?: number } = {},
): Promise<{ reminders: Reminders; deliverer: OutboxDeliverer }> {
  const reminders = createReminders({
    db: store.db,
    translator: await createTranslator(),
    defaultLocale: "vi",
    clock,
    logger: silent,
    channels: adapters.map((a) => a.channel),
    buttonChannels: adapters.filter((a) => a.capabilities.buttons).map((a) => a.channel),
  });
  // The send policy's clock moves only when the deliverer sleeps: reminders keep their pace and no test waits for it.
  let monotonic = 0;
  const deliverer = createOutboxDeliverer({
    store,
    adapters,
    logger: silent,
    clock,
    monotonicMs: () => monotonic,
    sleep: async (ms) => {
      monotonic += ms;
    },
    beforeSend: reminders.beforeSend,
    onOutcome: reminders.onOutcome,
    ...options,
  });
  return { reminders, deliverer };
}
