-- AlterTable
ALTER TABLE "ChatIdentity" ADD COLUMN "formerPersonId" TEXT;

