-- AlterTable
ALTER TABLE "Lot" ADD COLUMN     "measurementSettledAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN     "backends" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Lots measured before this column existed are settled; the other closed lots get one more
-- run of their measurement from the workers' sweep (it settles them either way).
UPDATE "Lot" SET "measurementSettledAt" = "closedAt" WHERE "status" = 'CLOSED' AND "frechetDistance" IS NOT NULL;
