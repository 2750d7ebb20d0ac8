import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { StorageConfig } from './config';

/**
 * The little the service needs from storage: read the manifest and artifacts,
 * write its status and telemetry. Its own implementation (the control plane's
 * adapters are server-only); keys map to the same places as theirs: <root>/<key>
 * on disk, s3://<bucket>/<prefix>/<key> in S3.
 */
export type ObjectStore = {
  /** Where keys live, for messages (a folder or s3:// URI). */
  readonly root: string;
  /** The object's bytes, or null when it does not exist. */
  get(key: string): Promise<Buffer | null>;
  /** Like get, but 'unchanged' when the object's version tag still equals `etag`: a cheap poll. */
  getIfChanged(key: string, etag: string | null): Promise<{ body: Buffer; etag: string | null } | 'unchanged' | null>;
  put(key: string, body: Buffer | string, contentType?: string): Promise<void>;
  close?(): void;
};

export class StorageKeyError extends Error {
  constructor(key: string, why: string) {
    super(`Invalid storage key ${JSON.stringify(key)}: ${why}`);
    this.name = 'StorageKeyError';
  }
}

/** Keys come from the manifest, which another system writes: never let one escape the root. */
export function assertValidKey(key: string): void {
  if (!key || key.length > 1024) throw new StorageKeyError(key, 'must be 1–1024 characters');
  if (key.startsWith('/') || key.includes('\\') || key.includes('\0')) throw new StorageKeyError(key, 'must be a relative path with forward slashes');
  if (key.split('/').some((part) => part === '' || part === '.' || part === '..')) throw new StorageKeyError(key, 'must not contain empty, "." or ".." segments');
}

/** In-flight writes live here, on the same filesystem as their targets, so the final rename is atomic. */
const TMP_DIR = '.tmp';

export function createLocalStore(rootDir: string): ObjectStore {
  const root = path.resolve(rootDir);
  const fileOf = (key: string) => {
    assertValidKey(key);
    if (key.split('/', 1)[0] === TMP_DIR) throw new StorageKeyError(key, `"${TMP_DIR}/" is reserved for in-flight writes`);
    return path.join(root, ...key.split('/'));
  };

  async function get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(fileOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  return {
    root,
    get,
    async getIfChanged(key, etag) {
      // Inode + nanosecond mtime + size: a replaced file (new inode by rename) or rewritten one always differs.
      let tag: string;
      try {
        const st = await fs.stat(fileOf(key), { bigint: true });
        tag = `${st.ino}:${st.mtimeNs}:${st.size}`;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      if (tag === etag) return 'unchanged';
      const body = await get(key);
      return body ? { body, etag: tag } : null;
    },
    async put(key, body) {
      const target = fileOf(key);
      const tmpDir = path.join(root, TMP_DIR);
      await fs.mkdir(tmpDir, { recursive: true });
      await fs.mkdir(path.dirname(target), { recursive: true });
      const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
      try {
        await fs.writeFile(tmp, body, { flag: 'wx', flush: true });
        await fs.rename(tmp, target);
      } catch (error) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
    },
  };
}

export type S3StoreOptions = {
  bucket: string;
  prefix?: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Omit to use the SDK's default chain (env vars, profile, instance or IRSA role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

export function createS3Store(opts: S3StoreOptions): ObjectStore {
  const client = new S3Client({ region: opts.region, endpoint: opts.endpoint, forcePathStyle: opts.forcePathStyle ?? false, credentials: opts.credentials });
  const base = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const Bucket = opts.bucket;
  const objectKey = (key: string) => {
    assertValidKey(key);
    return base ? `${base}/${key}` : key;
  };

  async function read(key: string, etag: string | null) {
    try {
      const res = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key), IfNoneMatch: etag ?? undefined }));
      const body = Buffer.from(await res.Body!.transformToByteArray());
      return { body, etag: res.ETag ?? null };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 304) return 'unchanged' as const;
      if (status === 404 || (error as Error).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  return {
    root: `s3://${Bucket}${base ? `/${base}` : ''}`,
    async get(key) {
      const found = await read(key, null);
      return found && found !== 'unchanged' ? found.body : null;
    },
    getIfChanged: read,
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: objectKey(key), Body: body, ContentType: contentType }));
    },
    close: () => client.destroy(),
  };
}

/** Keeps objects in memory: for tests, and for a service built without storage (it then waits forever). */
export function createMemoryStore(): ObjectStore & { objects: Map<string, Buffer> } {
  const objects = new Map<string, Buffer>();
  const versions = new Map<string, number>();
  let version = 0;
  return {
    root: 'memory:',
    objects,
    get: async (key) => objects.get(key) ?? null,
    async getIfChanged(key, etag) {
      const body = objects.get(key);
      if (!body) return null;
      const tag = String(versions.get(key));
      return tag === etag ? 'unchanged' : { body, etag: tag };
    },
    async put(key, body) {
      assertValidKey(key);
      objects.set(key, Buffer.from(body));
      versions.set(key, ++version);
    },
  };
}

export function createStore(config: StorageConfig): ObjectStore {
  return config.backend === 's3'
    ? createS3Store({ bucket: config.bucket, prefix: config.prefix, region: config.region, endpoint: config.endpoint, forcePathStyle: config.forcePathStyle })
    : createLocalStore(config.dir);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
