-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "totalBytes" BIGINT,
ALTER COLUMN "version" DROP NOT NULL,
ALTER COLUMN "contentHash" DROP NOT NULL,
ALTER COLUMN "status" SET DEFAULT 'uploading';
