-- DropIndex
DROP INDEX "OutboxMessage_status_nextAttemptAt_idx";

-- DropIndex
DROP INDEX "OutboxMessage_channel_chatId_createdAt_idx";

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "lane" TEXT NOT NULL DEFAULT 'interactive';

-- CreateIndex
CREATE INDEX "OutboxMessage_status_lane_createdAt_nextAttemptAt_idx" ON "OutboxMessage"("status", "lane", "createdAt", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_chatId_lane_createdAt_idx" ON "OutboxMessage"("channel", "chatId", "lane", "createdAt");


-- Computed messages (the ones with a dedupe key) are the proactive lane; from now on every writer says which lane.
UPDATE "OutboxMessage" SET "lane" = 'proactive' WHERE "dedupeKey" IS NOT NULL;
ALTER TABLE "OutboxMessage" ALTER COLUMN "lane" DROP DEFAULT;
