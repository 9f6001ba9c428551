-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "sentParts" INTEGER NOT NULL DEFAULT 0;

