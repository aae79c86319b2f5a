-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'ENGINEER', 'MANAGER', 'VIEWER');

-- CreateEnum
CREATE TYPE "ImageLabel" AS ENUM ('QUALIFIED', 'DEFECTIVE', 'UNLABELED');

-- CreateEnum
CREATE TYPE "ImageSplit" AS ENUM ('TRAIN', 'VALIDATION', 'TEST', 'NONE');

-- CreateEnum
CREATE TYPE "ImageSource" AS ENUM ('UPLOAD', 'LINE', 'DATASET', 'SYNTHETIC');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('QUEUED', 'TRAINING', 'READY', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "LotStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "InspectionStatus" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('PASS', 'FAIL');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('USER', 'API_KEY', 'SYSTEM');

-- CreateEnum
CREATE TYPE "JobKind" AS ENUM ('TRAIN', 'INSPECT', 'EVALUATE');

-- CreateTable
CREATE TABLE "Factory" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Factory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "name" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "lastSeenAt" TIMESTAMPTZ(3),
    "userAgent" TEXT,
    "ip" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Product" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT,
    "imageSize" INTEGER NOT NULL,
    "channels" INTEGER NOT NULL,
    "preprocessing" JSONB NOT NULL DEFAULT '{}',
    "activeModelId" TEXT,
    "archivedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DefectType" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DefectType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Image" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "blobKey" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "contentType" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "label" "ImageLabel" NOT NULL DEFAULT 'UNLABELED',
    "defectTypeId" TEXT,
    "split" "ImageSplit" NOT NULL DEFAULT 'NONE',
    "source" "ImageSource" NOT NULL DEFAULT 'UPLOAD',
    "capturedAt" TIMESTAMPTZ(3),
    "line" TEXT,
    "station" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Model" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "ModelStatus" NOT NULL DEFAULT 'QUEUED',
    "hyperParameters" JSONB NOT NULL DEFAULT '{}',
    "backend" TEXT,
    "generatorKey" TEXT,
    "discriminatorKey" TEXT,
    "encoderKey" TEXT,
    "referenceKey" TEXT,
    "referenceStats" JSONB,
    "threshold" DOUBLE PRECISION,
    "scoreNormalisation" JSONB,
    "metrics" JSONB,
    "isActive" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "trainedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "step" INTEGER NOT NULL DEFAULT 0,
    "totalSteps" INTEGER NOT NULL,
    "losses" JSONB NOT NULL DEFAULT '[]',
    "lastCheckpointKey" TEXT,
    "checkpointStep" INTEGER,
    "workerId" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lot" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "externalId" TEXT,
    "status" "LotStatus" NOT NULL DEFAULT 'OPEN',
    "modelId" TEXT,
    "frechetDistance" DOUBLE PRECISION,
    "imageCount" INTEGER NOT NULL DEFAULT 0,
    "passCount" INTEGER NOT NULL DEFAULT 0,
    "failCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Lot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Inspection" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "lotId" TEXT,
    "status" "InspectionStatus" NOT NULL DEFAULT 'QUEUED',
    "idempotencyKey" TEXT,
    "reconstructionLoss" DOUBLE PRECISION,
    "latentDistance" DOUBLE PRECISION,
    "latentFrechet" DOUBLE PRECISION,
    "featureLoss" DOUBLE PRECISION,
    "anomalyScore" DOUBLE PRECISION,
    "normalizedScore" DOUBLE PRECISION,
    "threshold" DOUBLE PRECISION,
    "verdict" "Verdict",
    "reconstructionKey" TEXT,
    "residualKey" TEXT,
    "timings" JSONB,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "reviewVerdict" "Verdict",
    "reviewedById" TEXT,
    "reviewedAt" TIMESTAMPTZ(3),
    "reviewNote" TEXT,
    "line" TEXT,
    "station" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Inspection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "metrics" JSONB,
    "baselines" JSONB,
    "perDefect" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "actorType" "ActorType" NOT NULL,
    "actorUserId" TEXT,
    "actorApiKeyId" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "factoryId" TEXT NOT NULL,
    "kind" "JobKind" NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "payload" JSONB NOT NULL DEFAULT '{}',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "runAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 3,
    "lockedBy" TEXT,
    "lockedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkerNode" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "jobsInFlight" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkerNode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Factory_slug_key" ON "Factory"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_factoryId_idx" ON "Membership"("factoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_factoryId_key" ON "Membership"("userId", "factoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "ApiKey_factoryId_createdAt_idx" ON "ApiKey"("factoryId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_id_factoryId_key" ON "ApiKey"("id", "factoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Product_factoryId_slug_key" ON "Product"("factoryId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "Product_id_factoryId_key" ON "Product"("id", "factoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Product_activeModelId_factoryId_key" ON "Product"("activeModelId", "factoryId");

-- CreateIndex
CREATE INDEX "DefectType_factoryId_productId_idx" ON "DefectType"("factoryId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "DefectType_productId_name_key" ON "DefectType"("productId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "DefectType_id_factoryId_key" ON "DefectType"("id", "factoryId");

-- CreateIndex
CREATE INDEX "Image_factoryId_productId_split_label_idx" ON "Image"("factoryId", "productId", "split", "label");

-- CreateIndex
CREATE INDEX "Image_factoryId_productId_createdAt_idx" ON "Image"("factoryId", "productId", "createdAt");

-- CreateIndex
CREATE INDEX "Image_defectTypeId_idx" ON "Image"("defectTypeId");

-- CreateIndex
CREATE UNIQUE INDEX "Image_productId_sha256_key" ON "Image"("productId", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "Image_id_factoryId_key" ON "Image"("id", "factoryId");

-- CreateIndex
CREATE INDEX "Model_factoryId_productId_createdAt_idx" ON "Model"("factoryId", "productId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Model_productId_version_key" ON "Model"("productId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Model_id_factoryId_key" ON "Model"("id", "factoryId");

-- CreateIndex
CREATE INDEX "TrainingRun_factoryId_modelId_idx" ON "TrainingRun"("factoryId", "modelId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRun_id_factoryId_key" ON "TrainingRun"("id", "factoryId");

-- CreateIndex
CREATE INDEX "Lot_factoryId_productId_createdAt_idx" ON "Lot"("factoryId", "productId", "createdAt");

-- CreateIndex
CREATE INDEX "Lot_modelId_idx" ON "Lot"("modelId");

-- CreateIndex
CREATE UNIQUE INDEX "Lot_factoryId_productId_externalId_key" ON "Lot"("factoryId", "productId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Lot_id_factoryId_key" ON "Lot"("id", "factoryId");

-- CreateIndex
CREATE INDEX "Inspection_factoryId_productId_createdAt_idx" ON "Inspection"("factoryId", "productId", "createdAt");

-- CreateIndex
CREATE INDEX "Inspection_factoryId_lotId_idx" ON "Inspection"("factoryId", "lotId");

-- CreateIndex
CREATE INDEX "Inspection_factoryId_status_idx" ON "Inspection"("factoryId", "status");

-- CreateIndex
CREATE INDEX "Inspection_modelId_idx" ON "Inspection"("modelId");

-- CreateIndex
CREATE INDEX "Inspection_imageId_idx" ON "Inspection"("imageId");

-- CreateIndex
CREATE UNIQUE INDEX "Inspection_factoryId_idempotencyKey_key" ON "Inspection"("factoryId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Inspection_id_factoryId_key" ON "Inspection"("id", "factoryId");

-- CreateIndex
CREATE INDEX "Evaluation_factoryId_modelId_createdAt_idx" ON "Evaluation"("factoryId", "modelId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_id_factoryId_key" ON "Evaluation"("id", "factoryId");

-- CreateIndex
CREATE INDEX "AuditLog_factoryId_createdAt_idx" ON "AuditLog"("factoryId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_factoryId_targetType_targetId_idx" ON "AuditLog"("factoryId", "targetType", "targetId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_priority_idx" ON "Job"("status", "runAt", "priority");

-- CreateIndex
CREATE INDEX "Job_factoryId_kind_createdAt_idx" ON "Job"("factoryId", "kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Job_id_factoryId_key" ON "Job"("id", "factoryId");

-- CreateIndex
CREATE INDEX "WorkerNode_heartbeatAt_idx" ON "WorkerNode"("heartbeatAt");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_activeModelId_factoryId_fkey" FOREIGN KEY ("activeModelId", "factoryId") REFERENCES "Model"("id", "factoryId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DefectType" ADD CONSTRAINT "DefectType_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DefectType" ADD CONSTRAINT "DefectType_productId_factoryId_fkey" FOREIGN KEY ("productId", "factoryId") REFERENCES "Product"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_productId_factoryId_fkey" FOREIGN KEY ("productId", "factoryId") REFERENCES "Product"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_defectTypeId_factoryId_fkey" FOREIGN KEY ("defectTypeId", "factoryId") REFERENCES "DefectType"("id", "factoryId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Model" ADD CONSTRAINT "Model_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Model" ADD CONSTRAINT "Model_productId_factoryId_fkey" FOREIGN KEY ("productId", "factoryId") REFERENCES "Product"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_modelId_factoryId_fkey" FOREIGN KEY ("modelId", "factoryId") REFERENCES "Model"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lot" ADD CONSTRAINT "Lot_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lot" ADD CONSTRAINT "Lot_productId_factoryId_fkey" FOREIGN KEY ("productId", "factoryId") REFERENCES "Product"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lot" ADD CONSTRAINT "Lot_modelId_factoryId_fkey" FOREIGN KEY ("modelId", "factoryId") REFERENCES "Model"("id", "factoryId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_productId_factoryId_fkey" FOREIGN KEY ("productId", "factoryId") REFERENCES "Product"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_modelId_factoryId_fkey" FOREIGN KEY ("modelId", "factoryId") REFERENCES "Model"("id", "factoryId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_imageId_factoryId_fkey" FOREIGN KEY ("imageId", "factoryId") REFERENCES "Image"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_lotId_factoryId_fkey" FOREIGN KEY ("lotId", "factoryId") REFERENCES "Lot"("id", "factoryId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_modelId_factoryId_fkey" FOREIGN KEY ("modelId", "factoryId") REFERENCES "Model"("id", "factoryId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_factoryId_fkey" FOREIGN KEY ("factoryId") REFERENCES "Factory"("id") ON DELETE CASCADE ON UPDATE CASCADE;
