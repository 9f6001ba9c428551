/**
 * Several instances of the production command on one PostgreSQL database share one bot (issue 25): people who all
 * start in the same second, behind a load balancer that spreads their updates over the instances, against a fake Bot
 * API enforcing Telegram's documented limits with 30 ms of clock jitter. Two waves per instance count:
 * - steady: 429s and the next question's p50/p99, nothing lost, repeated or reordered;
 * - takeover: the instance that sends (the elected one, read from its /metrics) is killed with SIGKILL mid-wave; how
 *   long until another instance sends, and again what was lost, repeated or reordered.
 */
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { addAgency } from "../../src/persistence/agency-store.js";
import { openDatabase } from "../../src/persistence/database.js";
import { getDefinition } from "../../src/persistence/definition-store.js";
import { createInvite } from "../../src/persistence/invite-store.js";
import { addPeriod } from "../../src/persistence/period-store.js";
import { TELEGRAM_FLOOD_CONTROL } from "../../test/support/fake-telegram.js";
import { exited, freePort, startProduction } from "../../test/support/production-service.js";
import { benchQuestions, startDriver } from "./driver-client.js";
import type { MembersReport } from "./load-driver.js";

const SECRET = "instances-secret-1";
const PEOPLE = 50;
/** A reply accepted by the platform this long before the kill counts as in flight: its "sent" mark takes milliseconds. */
const IN_FLIGHT_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x: number): number => Math.round(x * 10) / 10;
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

interface Instance {
  readonly url: string;
  readonly child: ChildProcess;
}

/** Whether the instance reports itself as the outbox's sender (`pdx_outbox_sender 1`); false when it does not answer. */
async function isSender(instance: Instance): Promise<boolean> {
  const text = await fetch(`${instance.url}/metrics`).then((r) => r.text(), () => "");
  return /^pdx_outbox_sender 1$/m.test(text);
}

async function senders(instances: readonly Instance[]): Promise<Instance[]> {
  const flags = await Promise.all(instances.map(isSender));
  return instances.filter((_, i) => flags[i]);
}

function figures(run: MembersReport) {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return {
    p50_ms: round(quantile(sorted, 0.5)),
    p99_ms: round(quantile(sorted, 0.99)),
    throttled_429: run.throttledAll,
    lost: run.lost,
    duplicated: run.duplicated,
    reordered: run.reordered,
    failed_over: run.failedOver,
  };
}

/** One instance count on a schema of its own; `questions` per person. Resolves with both waves' figures. */
async function benchCount(postgresUrl: string, count: number, questions: number) {
  const schema = `bench_instances_${process.pid}_${count}`;
  const url = `${postgresUrl}${postgresUrl.includes("?") ? "&" : "?"}schema=${schema}`;
  const driver = await startDriver();
  const instances: Instance[] = [];
  try {
    await driver.request({ type: "flood", control: { ...TELEGRAM_FLOOD_CONTROL, jitterMs: 30 } });
    const env = { DATABASE_URL: url, LOG_LEVEL: "silent", TELEGRAM_BOT_TOKEN: "1:instances", TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: driver.apiRoot };
    // The first migrates and seeds the shipped definitions; the others start on a ready database.
    for (let i = 0; i < count; i += 1) {
      const port = await freePort();
      instances.push({ url: `http://127.0.0.1:${port}`, child: await startProduction(env, port) });
    }
    const setup = await openDatabase(url);
    const codes: string[] = [];
    try {
      const definition = await getDefinition(setup.db, "press-dx-1827-2024");
      if (!definition) throw new Error("definition missing");
      await addPeriod(setup, {
        definition: definition.id, name: "Instances", referenceFrom: "2023-10-01", referenceTo: "2024-10-31",
        entryOpens: new Date(Date.now() - 86_400_000), entryCloses: new Date(Date.now() + 30 * 86_400_000), deadlines: [],
      });
      for (let m = 0; m < 2 * PEOPLE; m += 1) {
        const { agency } = await addAgency(setup.db, { name: `Báo nhiều máy ${m + 1}`, province: "Hà Nội", group: "local-newspaper", type: "newspaper" });
        codes.push((await createInvite(setup.db, { kind: "agency", agencyId: agency.id, role: "member" }, { now: new Date(), expiresDays: 365 })).code);
      }
      const asked = benchQuestions(definition).slice(0, questions);
      const wave = (first: number) => ({
        type: "members" as const, url: instances[0]?.url ?? "", urls: instances.map((i) => i.url), secret: SECRET,
        codes: codes.slice(first, first + PEOPLE), firstMember: first, concurrency: PEOPLE, questions: asked, readMs: [1500, 4500] as [number, number],
      });
      const deadline = Date.now() + 10_000;
      while ((await senders(instances)).length !== 1 && Date.now() < deadline) await sleep(100);
      const steady = await driver.request(wave(0));
      if (steady.type !== "members-done") throw new Error("unexpected load driver report");

      const running = driver.request(wave(PEOPLE));
      // Mid-wave: people have joined and answer their first questions.
      await sleep(6_000);
      const [sender] = await senders(instances);
      if (sender === undefined) throw new Error("no instance reports itself as the sender");
      const killedAt = Date.now();
      sender.child.kill("SIGKILL");
      await exited(sender.child);
      const survivors = instances.filter((i) => i !== sender);
      let takeoverMs: number | null = null;
      while (Date.now() - killedAt < 30_000) {
        if ((await senders(survivors)).length === 1) {
          takeoverMs = Date.now() - killedAt;
          break;
        }
        await sleep(25);
      }
      const killed = await running;
      if (killed.type !== "members-done") throw new Error("unexpected load driver report");
      // A reply the platform accepted just before the kill, which the killed instance had no time to mark sent, is sent
      // again by the next sender (at least once: Telegram cannot say whether a request it answered reached it). Any
      // other repeat would be a fault of ours.
      const inFlight = killed.repeats.filter((r) => r.firstAt <= killedAt && r.firstAt > killedAt - IN_FLIGHT_MS).length;
      return {
        instances: count, people: PEOPLE, questions, steady: figures(steady),
        sender_killed: { takeover_ms: takeoverMs, ...figures(killed), repeated_in_flight_at_kill: inFlight, repeated_otherwise: killed.repeats.length - inFlight },
      };
    } finally {
      await setup.close();
    }
  } finally {
    for (const instance of instances) {
      if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill("SIGTERM");
      await exited(instance.child);
    }
    await driver.stop();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

/**
 * Two and three instances in turn (the production command must be built: `dist/main.js`); the quick run, which only
 * proves the bench works, takes three alone.
 */
export async function benchInstances(postgresUrl: string, questions: number, quick: boolean) {
  return { ...(quick ? {} : { two: await benchCount(postgresUrl, 2, questions) }), three: await benchCount(postgresUrl, 3, questions) };
}
