-- CreateEnum
CREATE TYPE "UploadStatus" AS ENUM ('PENDING', 'RECEIVING', 'UPLOADED');

-- CreateTable
CREATE TABLE "PendingUpload" (
    "blobKey" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "maxBytes" INTEGER NOT NULL,
    "status" "UploadStatus" NOT NULL DEFAULT 'PENDING',
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PendingUpload_pkey" PRIMARY KEY ("blobKey")
);

-- CreateIndex
CREATE INDEX "PendingUpload_expiresAt_idx" ON "PendingUpload"("expiresAt");

-- CreateIndex
CREATE INDEX "PendingUpload_factoryId_productId_idx" ON "PendingUpload"("factoryId", "productId");

-- AddForeignKey
ALTER TABLE "PendingUpload" ADD CONSTRAINT "PendingUpload_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PendingUpload" ADD CONSTRAINT "PendingUpload_productId_factoryId_fkey" FOREIGN KEY ("productId", "factoryId") REFERENCES "Product"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;
