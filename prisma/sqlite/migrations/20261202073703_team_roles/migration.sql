-- AlterTable
ALTER TABLE "RoleGrant" ADD COLUMN "assignedParts" TEXT;
ALTER TABLE "RoleGrant" ADD COLUMN "revokedAt" DATETIME;
ALTER TABLE "RoleGrant" ADD COLUMN "revokedById" TEXT;

-- AlterTable
ALTER TABLE "Invite" ADD COLUMN "createdById" TEXT;

