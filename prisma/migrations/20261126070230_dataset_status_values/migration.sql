-- AlterEnum
-- New enum values get a migration of their own: PostgreSQL cannot use a value
-- added in the same transaction (the migrator runs each migration in one).
ALTER TYPE "DatasetVersionStatus" ADD VALUE 'uploading';
ALTER TYPE "DatasetVersionStatus" ADD VALUE 'cancelled';
