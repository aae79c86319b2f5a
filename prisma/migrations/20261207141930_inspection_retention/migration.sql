-- AlterTable
ALTER TABLE "Factory" ADD COLUMN     "inspectionRetentionDays" INTEGER;

-- CreateTable
CREATE TABLE "PendingBlobDeletion" (
    "id" BIGSERIAL NOT NULL,
    "factoryId" TEXT NOT NULL,
    "blobKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingBlobDeletion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PendingBlobDeletion_factoryId_id_idx" ON "PendingBlobDeletion"("factoryId", "id");

-- CreateIndex
CREATE INDEX "Image_blobKey_idx" ON "Image"("blobKey");

-- AddForeignKey
ALTER TABLE "PendingBlobDeletion" ADD CONSTRAINT "PendingBlobDeletion_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma cannot say so): the API's bounds, for writers other than the API.
ALTER TABLE "Factory" ADD CONSTRAINT "Factory_inspectionRetentionDays_check"
  CHECK ("inspectionRetentionDays" IS NULL OR "inspectionRetentionDays" BETWEEN 1 AND 3650);
