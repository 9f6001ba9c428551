import pg from "pg";
import { pgConnectionString, type DatabaseTarget } from "./database-url.js";

/** How often a follower tries for the lock, and a leader checks it still holds its connection. */
export const ELECTION_INTERVAL_MS = 500;

/**
 * One sender per bot among instances sharing a PostgreSQL database: the instance that holds a session-level advisory
 * lock sends everything, so the bot's budget (Telegram's 30 a second) is spent in one place, and the others hand what
 * they queue to it. The lock lives on a connection of its own: when the sender dies, PostgreSQL ends its session and
 * frees the lock at once, and the next instance to try (every ELECTION_INTERVAL_MS) takes over. Followers wake the
 * sender with NOTIFY, which it LISTENs for, so a reply queued on any instance goes out at once.
 */
export interface SenderElection {
  /** True while this instance holds the lock. */
  readonly leading: boolean;
  /** Tells the sender something was queued (from a follower; nothing from the sender itself). */
  wake(): void;
  /** Lets go: the connection closes, and with it the lock. */
  stop(): Promise<void>;
}

export interface ElectionHooks {
  /** This instance became the sender. */
  onLead(): void;
  /** This instance lost the lock (its connection broke): it must stop sending at once. */
  onLose(): void;
  /** A follower queued something. */
  onWake(): void;
  onError?(error: unknown): void;
}

/** Starts trying for the sender's lock of the bot(s) whose outbox lives in `target` (one per schema). */
export function startSenderElection(target: Extract<DatabaseTarget, { kind: "postgres" }>, hooks: ElectionHooks, intervalMs = ELECTION_INTERVAL_MS): SenderElection {
  const scope = target.schema ?? "public";
  const lockName = `pdx-outbox-sender:${scope}`;
  const channel = `pdx_outbox_${scope.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`.slice(0, 63);
  let client: pg.Client | null = null;
  let leading = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const lose = (broken: pg.Client | null): void => {
    if (broken !== client) return;
    client = null;
    void broken?.end().catch(() => undefined);
    if (leading) {
      leading = false;
      hooks.onLose();
    }
  };

  async function connect(): Promise<pg.Client> {
    const fresh = new pg.Client({ connectionString: pgConnectionString(target), connectionTimeoutMillis: 5000 });
    fresh.on("error", (error) => {
      hooks.onError?.(error);
      lose(fresh);
    });
    fresh.on("end", () => lose(fresh));
    fresh.on("notification", () => {
      if (leading) hooks.onWake();
    });
    await fresh.connect();
    await fresh.query(`LISTEN ${channel}`);
    client = fresh;
    return fresh;
  }

  async function tick(): Promise<void> {
    let current = client;
    try {
      current ??= await connect();
      if (leading) await current.query("SELECT 1");
      else if ((await current.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [lockName])).rows[0]?.ok === true && !stopped) {
        leading = true;
        hooks.onLead();
      }
    } catch (error) {
      hooks.onError?.(error);
      lose(current);
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), intervalMs);
      timer.unref();
    }
  }
  void tick();

  return {
    get leading() {
      return leading;
    },
    wake() {
      if (client === null || leading) return;
      client.query("SELECT pg_notify($1, '')", [channel]).catch((error: unknown) => hooks.onError?.(error));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const last = client;
      client = null;
      leading = false;
      await last?.end().catch(() => undefined);
    },
  };
}
