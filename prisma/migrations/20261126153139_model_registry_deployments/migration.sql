-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "currentSince" TIMESTAMP(3),
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "DeploymentEvent" ADD COLUMN     "actorLabel" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "previousModelVersionId" TEXT;

-- AlterTable
ALTER TABLE "ModelTransition" ADD COLUMN     "actorLabel" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "externalError" TEXT;
