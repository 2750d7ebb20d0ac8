-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "qualityStatus" TEXT;
