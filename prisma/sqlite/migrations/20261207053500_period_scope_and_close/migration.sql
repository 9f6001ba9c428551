-- AlterTable
ALTER TABLE "AssessmentPeriod" ADD COLUMN "closedAt" DATETIME;
ALTER TABLE "AssessmentPeriod" ADD COLUMN "scopeGroups" TEXT;
ALTER TABLE "AssessmentPeriod" ADD COLUMN "scopeProvinces" TEXT;

