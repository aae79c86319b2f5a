-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "scores" JSONB;

-- CreateIndex
CREATE INDEX "Inspection_factoryId_createdAt_id_idx" ON "Inspection"("factoryId", "createdAt", "id");
