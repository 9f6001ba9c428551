-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "identityId" TEXT,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "dedupeKey" TEXT,
    "lane" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentParts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);
-- Computed messages (the ones with a dedupe key) are the proactive lane.
INSERT INTO "new_OutboxMessage" ("attempts", "channel", "chatId", "createdAt", "dedupeKey", "lane", "id", "identityId", "lastError", "nextAttemptAt", "payload", "sentAt", "sentParts", "status") SELECT "attempts", "channel", "chatId", "createdAt", "dedupeKey", CASE WHEN "dedupeKey" IS NULL THEN 'interactive' ELSE 'proactive' END, "id", "identityId", "lastError", "nextAttemptAt", "payload", "sentAt", "sentParts", "status" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");
CREATE INDEX "OutboxMessage_status_lane_createdAt_nextAttemptAt_idx" ON "OutboxMessage"("status", "lane", "createdAt", "nextAttemptAt");
CREATE INDEX "OutboxMessage_channel_chatId_lane_createdAt_idx" ON "OutboxMessage"("channel", "chatId", "lane", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

