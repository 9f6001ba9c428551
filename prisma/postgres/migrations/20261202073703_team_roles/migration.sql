-- AlterTable
ALTER TABLE "RoleGrant" ADD COLUMN     "assignedParts" TEXT,
ADD COLUMN     "revokedAt" TIMESTAMP(3),
ADD COLUMN     "revokedById" TEXT;

-- AlterTable
ALTER TABLE "Invite" ADD COLUMN     "createdById" TEXT;

