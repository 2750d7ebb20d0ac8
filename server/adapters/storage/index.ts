import 'server-only';
import { storageDir, type Env } from '@/server/env';
import { createLocalStorage } from './local';
import type { StoragePort } from './port';
import { createS3Storage } from './s3';

export type { StoragePort, StoredObject, StoredObjectInfo } from './port';
export { StorageKeyError, StorageNotFoundError } from './port';

/**
 * The storage adapter the configuration asks for, built once at start-up and
 * passed to services. S3 credentials come from the SDK's default chain
 * (AWS_ACCESS_KEY_ID…, profile, instance or IRSA role), never from our config.
 */
export function createStorage(env: Env): StoragePort {
  if (env.STORAGE_BACKEND === 's3') {
    // envSchema already requires it; this narrows the type and guards hand-built Env objects.
    if (!env.S3_BUCKET) throw new Error('S3_BUCKET is required when STORAGE_BACKEND=s3');
    return createS3Storage({
      bucket: env.S3_BUCKET,
      prefix: env.S3_PREFIX,
      region: env.AWS_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    });
  }
  return createLocalStorage(storageDir(env));
}
