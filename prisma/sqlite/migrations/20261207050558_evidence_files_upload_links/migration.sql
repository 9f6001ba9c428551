-- AlterTable
ALTER TABLE "Evidence" ADD COLUMN "contentType" TEXT;
ALTER TABLE "Evidence" ADD COLUMN "sha256" TEXT;
ALTER TABLE "Evidence" ADD COLUMN "sizeBytes" INTEGER;

-- CreateTable
CREATE TABLE "UploadLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "UploadLink_tokenHash_key" ON "UploadLink"("tokenHash");

-- CreateIndex
CREATE INDEX "UploadLink_personId_idx" ON "UploadLink"("personId");

