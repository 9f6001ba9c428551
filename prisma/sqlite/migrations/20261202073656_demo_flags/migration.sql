-- AlterTable (ADD COLUMN rather than Prisma's table rebuild: the tables keep their rows and foreign keys untouched)
ALTER TABLE "Province" ADD COLUMN "demo" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Agency" ADD COLUMN "demo" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "AssessmentPeriod" ADD COLUMN "demo" BOOLEAN NOT NULL DEFAULT false;

-- Demo data the terminal chat created before it was flagged: its province and agency by their exact names, and its
-- period only when no other agency answered in it (a period real agencies used stays theirs).
UPDATE "Province" SET "demo" = true WHERE "name" = 'Tỉnh Dùng thử';
UPDATE "Agency" SET "demo" = true
  WHERE "name" = 'Báo Điện tử Dùng thử' AND "provinceId" IN (SELECT "id" FROM "Province" WHERE "demo" = true);
UPDATE "AssessmentPeriod" SET "demo" = true
  WHERE "name" LIKE 'Kỳ dùng thử năm %'
    AND NOT EXISTS (SELECT 1 FROM "Deadline" d WHERE d."periodId" = "AssessmentPeriod"."id")
    AND NOT EXISTS (
      SELECT 1 FROM "Assessment" a JOIN "Agency" g ON g."id" = a."agencyId"
      WHERE a."periodId" = "AssessmentPeriod"."id" AND g."demo" = false);

