import 'server-only';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { StoragePort } from '@/server/adapters/storage/port';
import { storageKeys } from './schemas';

/** The version's Parquet rows on local disk: in place for local storage, else downloaded once to the cache. */
export async function localRowsDir(storage: StoragePort, datasetId: string, versionId: string, cacheRoot: string) {
  const prefix = `${storageKeys.curated(datasetId, versionId)}rows/`;
  const inPlace = storage.localPath(prefix.slice(0, -1));
  if (inPlace) return inPlace;
  const dir = path.join(cacheRoot, 'datasets', versionId, 'rows');
  const marker = path.join(dir, '.complete');
  if (await fs.stat(marker).catch(() => null)) return dir;
  for (const object of await storage.list(prefix)) {
    const target = path.join(dir, ...object.key.slice(prefix.length).split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await pipeline(await storage.getStream(object.key), createWriteStream(target));
  }
  await fs.writeFile(marker, new Date().toISOString());
  return dir;
}

