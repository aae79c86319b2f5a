-- DropForeignKey
ALTER TABLE "Job" DROP CONSTRAINT "Job_factoryId_fkey";

-- DropTable
DROP TABLE "Job";

-- DropEnum
DROP TYPE "JobKind";
