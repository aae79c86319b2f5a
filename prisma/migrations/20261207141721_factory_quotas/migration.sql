-- CreateTable
CREATE TABLE "FactoryQuota" (
    "factoryId" TEXT NOT NULL,
    "maxStoredImages" INTEGER,
    "maxConcurrentTrainingRuns" INTEGER,
    "maxInspectionsPerMinute" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FactoryQuota_pkey" PRIMARY KEY ("factoryId")
);

-- AddForeignKey
ALTER TABLE "FactoryQuota" ADD CONSTRAINT "FactoryQuota_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;
