import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutboxDeliverer, type OutboxDeliverer } from "../../src/app/outbox/deliverer.js";
import type { OutboundMessage } from "../../src/channels/channel.js";
import { enqueue } from "../../src/persistence/outbox-store.js";
import { startSenderElection, type ElectionHooks, type SenderElection } from "../../src/persistence/sender-election.js";
import { postgresAvailable, postgresKind, type TestDatabase } from "../support/databases.js";
import { recordingPlatform, type Recorded } from "../support/recording-channel.js";

/**
 * Several instances on one PostgreSQL database share the bot's budget: one of them, elected by an advisory lock, sends
 * everything; when it dies another takes over within seconds, with nothing lost, repeated or reordered.
 */

const reply = (text: string): OutboundMessage => ({ kind: "reply", reply: { text, choices: [], questionId: undefined } });
const silent = pino({ level: "silent" });

/** One instance: its deliverer, wired to its election as the service wires them. */
interface Instance {
  readonly log: Recorded[];
  readonly deliverer: OutboxDeliverer;
  readonly election: SenderElection;
}

describe.skipIf(!postgresAvailable)("one sender per bot on PostgreSQL", () => {
  let database: TestDatabase;
  const instances: Instance[] = [];
  beforeEach(async () => {
    database = await postgresKind.open();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      await instance.election.stop();
      await instance.deliverer.stop();
    }
    await database.close();
  });

  /** `refuseTakeovers`: how many times the database refuses this instance's hand-back of every leased row (a busy pool). */
  function instance(options: { hang?: boolean; crashes?: boolean; refuseTakeovers?: number } = {}): Instance {
    const log: Recorded[] = [];
    const never = new Promise<void>(() => undefined);
    const adapter = recordingPlatform(log, () => undefined, options.hang ? () => never : undefined);
    let election: SenderElection | null = null;
    let refusals = options.refuseTakeovers ?? 0;
    const sql = {
      ...database.sql,
      run: (statement: Parameters<typeof database.sql.run>[0]) =>
        statement.sql.includes(`SET "status" = 'pending', "nextAttemptAt"`) && !statement.sql.includes(`"id" IN`) && refusals-- > 0
          ? Promise.reject(new Error("timeout exceeded when trying to connect"))
          : database.sql.run(statement),
    };
    const deliverer = createOutboxDeliverer({
      store: { db: database.db, sql }, adapters: [adapter], logger: silent, clock: () => new Date(),
      role: { isSender: () => election?.leading === true, wakeSender: () => election?.wake() },
    });
    // An instance that crashes hears nothing of losing its lock: its messages stay where they were.
    const hooks: ElectionHooks = options.crashes
      ? { onLead: () => deliverer.lead(), onLose: () => undefined, onWake: () => deliverer.kick() }
      : { onLead: () => deliverer.lead(), onLose: () => deliverer.follow(), onWake: () => deliverer.kick() };
    election = startSenderElection(database.target as Extract<TestDatabase["target"], { kind: "postgres" }>, hooks, 50);
    deliverer.start();
    const made = { log, deliverer, election };
    instances.push(made);
    return made;
  }
  /** What a webhook on `on` does: queue leased (the sender) or not (a follower), then hand over. */
  const answer = async (on: Instance, chatId: string, texts: string[]) =>
    on.deliverer.deliverClaimed(
      await database.db.$transaction((tx) => enqueue(tx, { channel: "telegram", chatId, identityId: null }, texts.map(reply), new Date(), { leased: on.election.leading })),
    );
  const until = async (condition: () => Promise<boolean> | boolean, limitMs: number): Promise<number> => {
    const started = Date.now();
    while (!(await condition())) {
      if (Date.now() - started > limitMs) throw new Error("timed out");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Date.now() - started;
  };
  const unsent = () => database.db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } });

  it("when three instances take webhooks, then exactly one sends, every reply once and each chat in order", async () => {
    const all = [instance(), instance(), instance()];
    await until(() => all.some((i) => i.election.leading), 5_000);
    expect(all.filter((i) => i.election.leading)).toHaveLength(1);
    for (let n = 0; n < 5; n += 1) {
      for (let chat = 0; chat < 12; chat += 1) await answer(all[(chat + n) % 3] as Instance, `c${chat}`, [`m/${n}`]);
    }
    await until(async () => (await unsent()) === 0, 10_000);
    const [sender] = all.filter((i) => i.election.leading);
    expect(sender?.log).toHaveLength(60);
    expect(all.filter((i) => i !== sender).flatMap((i) => i.log)).toEqual([]);
    for (let chat = 0; chat < 12; chat += 1) {
      expect(sender?.log.filter((m) => m.chatId === `c${chat}`).map((m) => m.text)).toEqual(["m/0", "m/1", "m/2", "m/3", "m/4"]);
    }
  });

  it.each([0, 2])("when the sender dies holding messages (taking over refused %i times), then another instance takes over within 5 s and sends each once, in order", async (refusals) => {
    const doomed = instance({ hang: true, crashes: true });
    await until(() => doomed.election.leading, 5_000);
    const heir = instance({ refuseTakeovers: refusals });
    await answer(doomed, "42", ["q/1", "q/2"]);
    await answer(heir, "42", ["q/3"]);
    await answer(heir, "43", ["q/1"]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heir.log).toEqual([]);
    // The process dies: its connection, and with it the lock, is gone; its memory is never heard from again.
    await doomed.election.stop();
    const takeover = await until(async () => (await unsent()) === 0, 5_000);
    expect(takeover).toBeLessThan(5_000);
    expect(heir.log.filter((m) => m.chatId === "42").map((m) => m.text)).toEqual(["q/1", "q/2", "q/3"]);
    expect(heir.log).toHaveLength(4);
  });
});
