import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '@/server/env';
import { startMoto, type MotoServer } from '@/test/moto';
import { describeStorageContract, readAll, sha256 } from './contract';
import { createStorage } from './index';
import { StorageNotFoundError, type StoragePort } from './port';
import { createS3Client, createS3Storage } from './s3';

const BUCKET = 'mlops-storage-test';
const REGION = 'ap-southeast-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let moto: MotoServer;
let raw: S3Client;
let counter = 0;

function makeStorage(prefix = `t${counter++}`, bucket = BUCKET): StoragePort {
  return createS3Storage({ bucket, prefix, region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials });
}

beforeAll(async () => {
  moto = await startMoto();
  raw = createS3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials });
  await raw.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
});
afterAll(async () => {
  raw?.destroy();
  await moto?.stop();
});

describeStorageContract('s3 (moto)', async () => makeStorage());

/** `count` bytes of random data as a stream of 1 MiB chunks, plus the sha256 it should hash to. */
function randomStream(count: number, failAfter?: number): { stream: Readable; expected: () => string } {
  const chunks: Buffer[] = [];
  const stream = Readable.from(
    (function* () {
      for (let sent = 0; sent < count; sent += 1 << 20) {
        if (failAfter !== undefined && sent >= failAfter) throw new Error('upload source failed');
        const chunk = randomBytes(Math.min(1 << 20, count - sent));
        chunks.push(chunk);
        yield chunk;
      }
    })(),
  );
  return { stream, expected: () => sha256(Buffer.concat(chunks)) };
}

async function putMany(storage: StoragePort, keys: string[], concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      await storage.put(key, key);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe('s3 storage specifics', () => {
  it('keeps objects under the configured prefix and gives s3:// URIs', async () => {
    const storage = makeStorage('tenants/acme');
    await storage.put('models/1/model.json', '{}', { contentType: 'application/json' });
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'tenants/acme/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['tenants/acme/models/1/model.json']);
    const head = await raw.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'tenants/acme/models/1/model.json' }));
    expect(head.ContentType).toBe('application/json');
    expect(storage.root).toBe(`s3://${BUCKET}/tenants/acme`);
    expect(storage.uri('models/1/model.json')).toBe(`s3://${BUCKET}/tenants/acme/models/1/model.json`);
    expect((await storage.list('')).map((o) => o.key)).toEqual(['models/1/model.json']);
  });

  it('uploads a stream larger than 10 MB as a multipart upload', async () => {
    const prefix = `big-${counter++}`;
    const storage = makeStorage(prefix);
    const size = 11 * 1024 * 1024 + 123;
    const { stream, expected } = randomStream(size);
    const stored = await storage.put('datasets/big.bin', stream);
    expect(stored.bytes).toBe(size);
    expect(stored.sha256).toBe(expected());
    // A multipart object's ETag ends in "-<part count>".
    const head = await raw.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${prefix}/datasets/big.bin` }));
    expect(head.ETag).toMatch(/-3"$/);
    expect(head.ContentLength).toBe(size);
    expect(sha256(await readAll(await storage.getStream('datasets/big.bin')))).toBe(expected());
  });

  it('aborts a failed multipart upload: old object kept, no parts left behind', async () => {
    const storage = makeStorage();
    await storage.put('datasets/big.bin', 'previous');
    const { stream } = randomStream(12 * 1024 * 1024, 6 * 1024 * 1024);
    await expect(storage.put('datasets/big.bin', stream)).rejects.toThrow('upload source failed');
    expect((await storage.getBuffer('datasets/big.bin')).toString()).toBe('previous');
    const uploads = await raw.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  describe('more than one page of keys', () => {
    const storage = () => makeStorage('paging');
    const keys = Array.from({ length: 1100 }, (_, i) => `batch/item-${String(i).padStart(5, '0')}.txt`);

    beforeAll(async () => {
      await putMany(storage(), [...keys].reverse());
      await storage().put('other/keep.txt', 'x');
    });

    it('lists all 1,100 keys across ListObjectsV2 pages, in order', async () => {
      const listed = await storage().list('batch/');
      expect(listed).toHaveLength(1100);
      expect(listed.map((o) => o.key)).toEqual(keys);
    });

    it('deletes all 1,100 keys in DeleteObjects batches and nothing else', async () => {
      expect(await storage().deletePrefix('batch/')).toBe(1100);
      expect(await storage().list('batch/')).toEqual([]);
      expect((await storage().list('')).map((o) => o.key)).toEqual(['other/keep.txt']);
    });
  });

  describe('a missing bucket', () => {
    const missing = () => makeStorage('', 'no-such-bucket-here');

    it('makes health() fail with a message naming the bucket, without throwing', async () => {
      const health = await missing().health();
      expect(health.ok).toBe(false);
      expect(health.detail).toContain('"no-such-bucket-here" does not exist');
    });

    it('is an error, not a missing object', async () => {
      const error = await missing().getBuffer('a.txt').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(StorageNotFoundError);
      expect((error as Error).name).toBe('NoSuchBucket');
    });
  });

  it('reports an unreachable endpoint from health() without throwing', async () => {
    const storage = createS3Storage({ bucket: BUCKET, region: REGION, endpoint: 'http://127.0.0.1:9', forcePathStyle: true, credentials });
    const health = await storage.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/ECONNREFUSED|connect/i);
  });

  it('is what createStorage builds for STORAGE_BACKEND=s3', async () => {
    // The env path uses the SDK's default credential chain.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    try {
      const env = parseEnv({ STORAGE_BACKEND: 's3', S3_BUCKET: BUCKET, S3_PREFIX: 'from-env', S3_ENDPOINT: moto.endpoint, S3_FORCE_PATH_STYLE: 'true', AWS_REGION: REGION });
      const storage = createStorage(env);
      await storage.put('hello.txt', 'hi');
      const head = await raw.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'from-env/hello.txt' }));
      expect(head.ContentLength).toBe(2);
      expect((await storage.health()).ok).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
