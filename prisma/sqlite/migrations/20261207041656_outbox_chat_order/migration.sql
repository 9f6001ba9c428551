-- CreateIndex
CREATE INDEX "OutboxMessage_channel_chatId_createdAt_idx" ON "OutboxMessage"("channel", "chatId", "createdAt");

