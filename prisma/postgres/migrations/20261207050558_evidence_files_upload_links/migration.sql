-- AlterTable
ALTER TABLE "Evidence" ADD COLUMN     "contentType" TEXT,
ADD COLUMN     "sha256" TEXT,
ADD COLUMN     "sizeBytes" INTEGER;

-- CreateTable
CREATE TABLE "UploadLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UploadLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UploadLink_tokenHash_key" ON "UploadLink"("tokenHash");

-- CreateIndex
CREATE INDEX "UploadLink_personId_idx" ON "UploadLink"("personId");

