import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '@/server/env';
import { describeStorageContract } from './contract';
import { createStorage } from './index';
import { createLocalStorage } from './local';
import { StorageKeyError, StorageNotFoundError, type StoragePort } from './port';

let base: string;
let counter = 0;
const freshRoot = () => path.join(base, `store-${counter++}`);

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-storage-'));
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describeStorageContract('local', async () => createLocalStorage(freshRoot()));

describe('local storage specifics', () => {
  let root: string;
  let storage: StoragePort;
  beforeEach(() => {
    root = freshRoot();
    storage = createLocalStorage(root);
  });

  it('maps keys to files under the root and URIs to file:// URLs', async () => {
    await storage.put('datasets/d1/raw/week 1.csv', 'a,b\n');
    expect(await fs.readFile(path.join(root, 'datasets', 'd1', 'raw', 'week 1.csv'), 'utf8')).toBe('a,b\n');
    expect(storage.kind).toBe('local');
    expect(storage.root).toBe(pathToFileURL(root).href);
    expect(storage.uri('datasets/d1/raw/week 1.csv')).toBe(pathToFileURL(path.join(root, 'datasets/d1/raw/week 1.csv')).href);
  });

  it('cleans up its temp file when a write fails', async () => {
    await storage.put('keep.txt', 'kept');
    const broken = Readable.from(
      (async function* () {
        yield Buffer.alloc(64 * 1024, 1);
        throw new Error('disk source failed');
      })(),
    );
    await expect(storage.put('keep.txt', broken)).rejects.toThrow('disk source failed');
    expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([]);
    expect(await fs.readFile(path.join(root, 'keep.txt'), 'utf8')).toBe('kept');
  });

  it('reserves the temp folder and hides it from list', async () => {
    await expect(storage.put('.tmp/sneaky', 'x')).rejects.toBeInstanceOf(StorageKeyError);
    await fs.mkdir(path.join(root, '.tmp'), { recursive: true });
    await fs.writeFile(path.join(root, '.tmp', 'leftover.part'), 'half');
    await storage.put('visible.txt', 'x');
    expect((await storage.list('')).map((o) => o.key)).toEqual(['visible.txt']);
  });

  it('removes folders left empty by delete and deletePrefix, but keeps the root', async () => {
    await storage.put('runs/1/a/b/model.json', 'x');
    await storage.put('runs/1/metrics.json', 'x');
    await storage.put('runs/2/model.json', 'x');
    expect(await storage.deletePrefix('runs/1/')).toBe(2);
    await expect(fs.access(path.join(root, 'runs', '1'))).rejects.toMatchObject({ code: 'ENOENT' });
    await storage.delete('runs/2/model.json');
    await expect(fs.access(path.join(root, 'runs'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await fs.stat(root)).isDirectory()).toBe(true);
  });

  it('does not follow a key through a file: "a" is a file, so "a/b" is missing', async () => {
    await storage.put('a', 'file');
    await expect(storage.getStream('a/b')).rejects.toBeInstanceOf(StorageNotFoundError);
    expect(await storage.stat('a/b')).toBeNull();
    await expect(storage.put('a/b', 'x')).rejects.toThrow();
  });

  it('reports an unusable root from health without throwing', async () => {
    const file = path.join(base, `not-a-dir-${counter++}`);
    await fs.writeFile(file, 'x');
    const health = await createLocalStorage(file).health();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain(file);
  });

  it('leaves no .health folder behind after a probe', async () => {
    expect((await storage.health()).ok).toBe(true);
    expect(await fs.readdir(root)).not.toContain('.health');
  });
});

describe('createStorage', () => {
  it('builds local storage in STORAGE_DIR by default', () => {
    const dir = freshRoot();
    const storage = createStorage(parseEnv({ STORAGE_DIR: dir }));
    expect(storage.kind).toBe('local');
    expect(storage.root).toBe(pathToFileURL(dir).href);
  });

  it('builds S3 storage from the S3 settings', () => {
    const env = parseEnv({ STORAGE_BACKEND: 's3', S3_BUCKET: 'mlops-artifacts', S3_PREFIX: 'prod', AWS_REGION: 'ap-southeast-1' });
    const storage = createStorage(env);
    expect(storage.kind).toBe('s3');
    expect(storage.root).toBe('s3://mlops-artifacts/prod');
    expect(storage.uri('models/1/model.json')).toBe('s3://mlops-artifacts/prod/models/1/model.json');
  });
});
