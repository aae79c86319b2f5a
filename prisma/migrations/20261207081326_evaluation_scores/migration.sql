-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "scores" JSONB;
