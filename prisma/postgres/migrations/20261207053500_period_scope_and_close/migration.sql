-- AlterTable
ALTER TABLE "AssessmentPeriod" ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "scopeGroups" TEXT,
ADD COLUMN     "scopeProvinces" TEXT;

