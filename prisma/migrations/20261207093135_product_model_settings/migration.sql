-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "modelSettings" JSONB NOT NULL DEFAULT '{}';
