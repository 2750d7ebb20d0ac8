-- AlterTable
ALTER TABLE "Prediction" DROP CONSTRAINT "Prediction_pkey",
ADD COLUMN     "item" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "keyId" TEXT,
ADD CONSTRAINT "Prediction_pkey" PRIMARY KEY ("requestId", "item");

-- CreateTable
CREATE TABLE "TelemetryFile" (
    "key" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "records" INTEGER NOT NULL,
    "ingestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelemetryFile_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "PendingFeedback" (
    "requestId" TEXT NOT NULL,
    "item" INTEGER NOT NULL DEFAULT 0,
    "trueLabel" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PendingFeedback_pkey" PRIMARY KEY ("requestId","item")
);

-- CreateTable
CREATE TABLE "ScrapeState" (
    "instanceId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "scrapedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScrapeState_pkey" PRIMARY KEY ("instanceId")
);

-- CreateTable
CREATE TABLE "DriftBaseline" (
    "modelVersionId" TEXT NOT NULL,
    "features" JSONB NOT NULL,
    "baskets" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DriftBaseline_pkey" PRIMARY KEY ("modelVersionId")
);

-- CreateIndex
CREATE INDEX "TelemetryFile_deploymentId_ingestedAt_idx" ON "TelemetryFile"("deploymentId", "ingestedAt");

-- CreateIndex
CREATE INDEX "PendingFeedback_at_idx" ON "PendingFeedback"("at");

-- CreateIndex
CREATE INDEX "ScrapeState_deploymentId_idx" ON "ScrapeState"("deploymentId");
