-- CreateTable
CREATE TABLE "LatentInterpolation" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "fromImageId" TEXT NOT NULL,
    "toImageId" TEXT NOT NULL,
    "steps" INTEGER NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "stripKey" TEXT,
    "details" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "LatentInterpolation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LatentInterpolation_factoryId_modelId_createdAt_idx" ON "LatentInterpolation"("factoryId", "modelId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LatentInterpolation_id_factoryId_key" ON "LatentInterpolation"("id", "factoryId");

-- AddForeignKey
ALTER TABLE "LatentInterpolation" ADD CONSTRAINT "LatentInterpolation_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LatentInterpolation" ADD CONSTRAINT "LatentInterpolation_modelId_factoryId_fkey" FOREIGN KEY ("modelId", "factoryId") REFERENCES "Model"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LatentInterpolation" ADD CONSTRAINT "LatentInterpolation_fromImageId_factoryId_fkey" FOREIGN KEY ("fromImageId", "factoryId") REFERENCES "Image"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LatentInterpolation" ADD CONSTRAINT "LatentInterpolation_toImageId_factoryId_fkey" FOREIGN KEY ("toImageId", "factoryId") REFERENCES "Image"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;
