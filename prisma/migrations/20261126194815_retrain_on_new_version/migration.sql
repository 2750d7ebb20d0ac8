-- CreateEnum
CREATE TYPE "RetrainStatus" AS ENUM ('training', 'registered', 'run_failed', 'failed', 'skipped');

-- CreateTable
CREATE TABLE "RetrainPolicy" (
    "datasetId" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "seed" INTEGER NOT NULL,
    "sourceRunId" TEXT,
    "source" TEXT NOT NULL,
    "schemaColumns" TEXT[],
    "candidateDeploymentId" TEXT,
    "ownerId" TEXT,
    "enabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RetrainPolicy_pkey" PRIMARY KEY ("datasetId")
);

-- CreateTable
CREATE TABLE "RetrainTrigger" (
    "id" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "datasetVersionId" TEXT NOT NULL,
    "status" "RetrainStatus" NOT NULL,
    "message" TEXT,
    "runId" TEXT,
    "modelVersionId" TEXT,
    "gatesPassed" BOOLEAN,
    "candidateFor" TEXT,
    "claimedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RetrainTrigger_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RetrainTrigger_datasetVersionId_key" ON "RetrainTrigger"("datasetVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "RetrainTrigger_runId_key" ON "RetrainTrigger"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "RetrainTrigger_modelVersionId_key" ON "RetrainTrigger"("modelVersionId");

-- CreateIndex
CREATE INDEX "RetrainTrigger_datasetId_createdAt_idx" ON "RetrainTrigger"("datasetId", "createdAt");

-- CreateIndex
CREATE INDEX "RetrainTrigger_status_idx" ON "RetrainTrigger"("status");

-- AddForeignKey
ALTER TABLE "RetrainPolicy" ADD CONSTRAINT "RetrainPolicy_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainPolicy" ADD CONSTRAINT "RetrainPolicy_sourceRunId_fkey" FOREIGN KEY ("sourceRunId") REFERENCES "Run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainPolicy" ADD CONSTRAINT "RetrainPolicy_candidateDeploymentId_fkey" FOREIGN KEY ("candidateDeploymentId") REFERENCES "Deployment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainPolicy" ADD CONSTRAINT "RetrainPolicy_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainTrigger" ADD CONSTRAINT "RetrainTrigger_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainTrigger" ADD CONSTRAINT "RetrainTrigger_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainTrigger" ADD CONSTRAINT "RetrainTrigger_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainTrigger" ADD CONSTRAINT "RetrainTrigger_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
