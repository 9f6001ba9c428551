import path from "node:path";
import type { Express } from "express";
import pino, { type Logger } from "pino";
import { createOutboxDeliverer, type DelivererDeps, type OutboxDeliverer } from "./app/outbox/deliverer.js";
import type { InboundDeps } from "./app/handle-inbound.js";
import { processUpdates } from "./app/process-updates.js";
import { createReminders, type Reminders } from "./app/send-reminders.js";
import { scheduleEvidenceCleanup } from "./app/evidence-cleanup.js";
import { retentionPolicy, scheduleRetention } from "./app/retention.js";
import { createPublicFiles } from "./app/public-files.js";
import type { ChannelAdapter } from "./channels/channel.js";
import type { OutboxEntry } from "./persistence/outbox-store.js";
import { createTelegramAdapter } from "./channels/telegram/telegram-adapter.js";
import { telegramLimits } from "./domain/delivery/send-policy.js";
import { createZaloAdapter } from "./channels/zalo/zalo-adapter.js";
import type { Config } from "./config.js";
import { buildApp } from "./http/build-app.js";
import { createMetrics, type Metrics } from "./app/metrics.js";
import { publicFilesRouter } from "./http/routes/public-files-route.js";
import { webhookRouter } from "./http/routes/webhook-route.js";
import { uploadRouter } from "./http/routes/upload-route.js";
import { createTranslator } from "./i18n/translator.js";
import { openDatabase, type Database } from "./persistence/database.js";
import { startSenderElection, type SenderElection } from "./persistence/sender-election.js";
import { seed } from "./persistence/seed.js";
import { inboundStore } from "./persistence/inbound-store.js";

export interface Service {
  readonly app: Express;
  readonly database: Database;
  readonly deliverer: OutboxDeliverer;
  readonly adapters: readonly ChannelAdapter[];
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Deadline reminders; `reminders run-once` calls `reminders.runOnce(deliverer, now)`. */
  readonly reminders: Reminders;
  /**
   * Starts background work: outbox polling (on PostgreSQL, the election of the one instance that sends), reminders every
   * minute, and polling of platforms configured for it.
   */
  start(): void;
  /** Whether this instance sends the outbox: always on SQLite; on PostgreSQL while it holds the sender's lock. */
  isSender(): boolean;
  /** Stops background work, waits for what is in flight and closes the database. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  readonly logger?: Logger;
  readonly clock?: () => Date;
  readonly sqliteBusyTimeoutMs?: number;
  /** The platforms' send limits, where they differ from Telegram's and Zalo's defaults (tests, the benchmark). */
  readonly deliveryLimits?: DelivererDeps["limits"];
  /** See InboundDeps.inboundFloodControl (default on). */
  readonly inboundFloodControl?: boolean;
}

/** Where files the service keeps (evidence, generated images) live: beside the SQLite file, or ./data. */
export function dataDir(database: Database): string {
  return database.target.kind === "sqlite" && database.target.file !== ":memory:" ? path.dirname(database.target.file) : path.resolve("data");
}

/** Where downloaded evidence photos are kept (Zalo; Telegram keeps its files). */
function evidenceDir(database: Database): string {
  return path.join(dataDir(database), "evidence");
}

/** The composition root shared by `npm start` and the end-to-end tests: everything but listen(). */
export async function createService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? pino({ level: config.LOG_LEVEL });
  const clock = options.clock ?? (() => new Date());
  const database = await openDatabase(config.DATABASE_URL, options.sqliteBusyTimeoutMs === undefined ? {} : { sqliteBusyTimeoutMs: options.sqliteBusyTimeoutMs });
  await seed(database.db);
  const translator = await createTranslator();
  let election: SenderElection | null = null;
  const isSender = (): boolean => election === null || election.leading;
  const inbound: InboundDeps = {
    port: inboundStore(database),
    db: database.db,
    translator,
    defaultLocale: config.DEFAULT_LOCALE,
    clock,
    dataDir: dataDir(database),
    logger,
    // A follower of the sole sender (PostgreSQL, several instances) queues its replies unleased, for the sender to claim.
    get leaseReplies() {
      return isSender();
    },
    ...(options.inboundFloodControl === undefined ? {} : { inboundFloodControl: options.inboundFloodControl }),
    telegramBotUsername: config.TELEGRAM_BOT_USERNAME,
    publicUrl: config.PUBLIC_URL,
  };

  const publicFiles = createPublicFiles({ dir: path.join(dataDir(database), "public"), publicUrl: config.PUBLIC_URL });
  const adapters: ChannelAdapter[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    adapters.push(
      createTelegramAdapter({
        token: config.TELEGRAM_BOT_TOKEN,
        webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
        apiRoot: config.TELEGRAM_API_ROOT,
        botUsername: config.TELEGRAM_BOT_USERNAME,
        dataDir: dataDir(database),
        publicFiles,
        logger,
      }),
    );
  }
  if (config.ZALO_BOT_TOKEN) {
    adapters.push(
      createZaloAdapter({
        token: config.ZALO_BOT_TOKEN,
        webhookSecret: config.ZALO_WEBHOOK_SECRET,
        apiBase: config.ZALO_API_BASE,
        evidenceDir: evidenceDir(database),
        refRoot: dataDir(database),
        publicFiles,
        download: {
          allowHosts: config.ZALO_DOWNLOAD_HOSTS,
          allowPrivateNetwork: config.ZALO_DOWNLOAD_ALLOW_PRIVATE,
          ...(config.ZALO_DOWNLOAD_PROXY === undefined ? {} : { proxy: new URL(config.ZALO_DOWNLOAD_PROXY) }),
        },
      }),
    );
  }
  const metrics = createMetrics(
    () => database.db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } }),
    isSender,
  );
  const reminders = createReminders({
    db: database.db,
    translator,
    defaultLocale: config.DEFAULT_LOCALE,
    clock,
    logger,
    metrics,
    channels: adapters.map((a) => a.channel),
    buttonChannels: adapters.filter((a) => a.capabilities.buttons).map((a) => a.channel),
  });
  const deliverer = createOutboxDeliverer({
    store: database,
    adapters,
    logger,
    clock,
    metrics,
    beforeSend: reminders.beforeSend,
    onOutcome: reminders.onOutcome,
    role: { isSender, wakeSender: () => election?.wake() },
    limits: options.deliveryLimits ?? { telegram: telegramLimits(config.TELEGRAM_BOT_RATE_PER_SECOND) },
  });
  const webhookDeps = { inbound, logger, metrics, afterHandled: (outbox: readonly OutboxEntry[]) => deliverer.deliverClaimed(outbox) };
  const app = buildApp({
    db: database.db,
    databaseKind: database.target.kind,
    logger,
    metrics,
    ...(config.METRICS_TOKEN === undefined ? {} : { metricsToken: config.METRICS_TOKEN }),
    routers: [
      ...adapters.map((adapter) => webhookRouter(adapter, webhookDeps)),
      publicFilesRouter(publicFiles),
      uploadRouter({ store: database, db: database.db, translator, dataDir: dataDir(database), clock, logger, deliver: (outbox) => deliverer.deliverClaimed(outbox) }),
    ],
  });

  const pollers: { stop(): Promise<void> }[] = [];
  let reminderLoop: { stop(): Promise<void> } | null = null;
  let evidenceCleanup: { stop(): Promise<void> } | null = null;
  let retention: { stop(): Promise<void> } | null = null;
  const polling = (adapter: ChannelAdapter): boolean =>
    (adapter.channel === "telegram" && config.TELEGRAM_MODE === "polling") || (adapter.channel === "zalo" && config.ZALO_MODE === "polling");

  return {
    app,
    database,
    deliverer,
    adapters,
    logger,
    metrics,
    reminders,
    isSender,
    start() {
      const { target } = database;
      if (target.kind === "postgres" && election === null) {
        election = startSenderElection(target, {
          onLead: () => {
            logger.info("this instance sends the outbox now");
            deliverer.lead();
          },
          onLose: () => {
            logger.warn("this instance lost the outbox sender's lock: handing its messages back");
            deliverer.follow();
          },
          onWake: () => deliverer.kick(),
          onError: (error) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "outbox sender election"),
        });
      }
      deliverer.start();
      reminderLoop ??= reminders.schedule(deliverer);
      evidenceCleanup ??= scheduleEvidenceCleanup({ db: database.db, dir: evidenceDir(database), clock, logger });
      retention ??= scheduleRetention({ db: database.db, policy: retentionPolicy(config), clock, logger });
      for (const adapter of adapters) {
        if (!polling(adapter) || !adapter.capabilities.polling) continue;
        pollers.push(
          adapter.startPolling(async (updates) => {
            const handled = await processUpdates(adapter, updates, webhookDeps);
            if (adapter.capabilities.tapAnswers) for (const tap of handled.callbacks) void adapter.answerCallback(tap).catch(() => undefined);
            deliverer.deliverClaimed(handled.outbox);
          }),
        );
        logger.info({ channel: adapter.channel }, "polling for updates");
      }
    },
    async close() {
      await Promise.all(pollers.map((p) => p.stop()));
      await reminderLoop?.stop();
      await evidenceCleanup?.stop();
      await retention?.stop();
      await deliverer.stop();
      await election?.stop();
      await database.close();
    },
  };
}
