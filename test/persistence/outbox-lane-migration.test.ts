import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrationsDir } from "../../src/persistence/migrate.js";
import { postgresAvailable, postgresBaseUrl } from "../support/databases.js";

/**
 * The outbox_lane migration on a database that already holds messages: replies become the interactive lane, computed
 * messages (a dedupe key) the proactive one, whatever their status; from then on every writer must name the lane.
 */
function migrations(kind: "sqlite" | "postgres"): { before: string[]; lane: string } {
  const dir = migrationsDir(kind);
  const names = readdirSync(dir).filter((d) => /^\d+_/.test(d)).sort();
  const at = names.findIndex((d) => d.endsWith("_outbox_lane"));
  if (at < 0) throw new Error("no outbox_lane migration");
  const read = (name: string) => readFileSync(path.join(dir, name, "migration.sql"), "utf8");
  return { before: names.slice(0, at).map(read), lane: read(names[at] as string) };
}

const insertRows = `
  INSERT INTO "OutboxMessage" ("id", "channel", "chatId", "payload", "status", "dedupeKey", "nextAttemptAt", "createdAt") VALUES
    ('reply-sent', 'telegram', '1', '{}', 'sent', NULL, '2026-11-20 03:00:00', '2026-11-20 03:00:00'),
    ('reply-waiting', 'telegram', '1', '{}', 'pending', NULL, '2026-11-20 03:00:00', '2026-11-20 03:00:00'),
    ('reminder-waiting', 'zalo', '2', '{}', 'pending', 'reminder:a:b', '2026-11-20 03:00:00', '2026-11-20 03:00:00'),
    ('nudge-sent', 'telegram', '3', '{}', 'sent', 'nudge:a:b', '2026-11-20 03:00:00', '2026-11-20 03:00:00')`;

const forgetfulWriter = `
  INSERT INTO "OutboxMessage" ("id", "channel", "chatId", "payload", "status", "dedupeKey", "nextAttemptAt", "createdAt")
  VALUES ('later', 'telegram', '4', '{}', 'pending', 'reminder:c:d', '2026-11-21 03:00:00', '2026-11-21 03:00:00')`;

const expected = [
  { id: "nudge-sent", lane: "proactive" },
  { id: "reminder-waiting", lane: "proactive" },
  { id: "reply-sent", lane: "interactive" },
  { id: "reply-waiting", lane: "interactive" },
];

describe("the outbox_lane migration", () => {
  it("when SQLite holds replies and reminders, then each row gets its lane", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pdx-lane-"));
    const db = new Sqlite(path.join(dir, "app.db"));
    try {
      const { before, lane } = migrations("sqlite");
      for (const sql of before) db.exec(sql);
      db.exec(insertRows);
      db.exec(lane);
      expect(db.prepare(`SELECT "id", "lane" FROM "OutboxMessage" ORDER BY "id"`).all()).toEqual(expected);
      // A writer that forgets the lane is refused rather than putting a reminder among the replies.
      expect(() => db.exec(forgetfulWriter)).toThrow(/NOT NULL/);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!postgresAvailable)("when PostgreSQL holds replies and reminders, then each row gets its lane", async () => {
    const schema = `lane_${process.pid}_${Date.now().toString(36)}`;
    const client = new pg.Client({ connectionString: postgresBaseUrl });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
      const { before, lane } = migrations("postgres");
      for (const sql of before) await client.query(sql);
      await client.query(insertRows);
      await client.query(lane);
      expect((await client.query(`SELECT "id", "lane" FROM "OutboxMessage" ORDER BY "id"`)).rows).toEqual(expected);
      await expect(client.query(forgetfulWriter)).rejects.toThrow(/null value in column "lane"/);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
