import 'server-only';
import type { StoragePort } from '@/server/adapters/storage/port';
import { logger } from '@/server/logger';
import { storageKeys } from './schemas';

/** Remove whatever an unfinished or failed import wrote. Never throws: the database state is what counts. */
export async function deleteVersionFiles(storage: StoragePort, datasetId: string, versionId: string) {
  try {
    return await storage.deletePrefix(storageKeys.version(datasetId, versionId));
  } catch (error) {
    logger.warn({ err: (error as Error).message, versionId }, 'could not delete the files of an import');
    return 0;
  }
}
