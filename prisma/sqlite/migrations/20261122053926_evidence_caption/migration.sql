-- AlterTable
ALTER TABLE "Evidence" ADD COLUMN "caption" TEXT;

