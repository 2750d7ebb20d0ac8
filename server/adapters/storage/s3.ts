import 'server-only';
import { createHash } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  assertValidKey,
  assertValidPrefix,
  createHashingStream,
  StorageKeyError,
  StorageNotFoundError,
  type StoragePort,
  type StoredObject,
  type StoredObjectInfo,
} from './port';

export type S3StorageOptions = {
  bucket: string;
  /** Folder inside the bucket that holds every key, without leading/trailing slashes. */
  prefix?: string;
  region: string;
  /** S3-compatible endpoint (MinIO, moto, LocalStack); omit for AWS. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Omit to use the SDK's default chain (env vars, profile, instance/IRSA role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

/** DeleteObjects accepts at most this many keys per call. */
const DELETE_BATCH = 1000;
const HEALTH_TIMEOUT_MS = 5000;

export function createS3Client(opts: Omit<S3StorageOptions, 'bucket' | 'prefix'>): S3Client {
  return new S3Client({
    region: opts.region,
    endpoint: opts.endpoint,
    forcePathStyle: opts.forcePathStyle ?? false,
    credentials: opts.credentials,
  });
}

export function createS3Storage(opts: S3StorageOptions): StoragePort {
  const client = createS3Client(opts);
  const { bucket } = opts;
  const base = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (base) assertValidKey(base);
  const toS3Key = (key: string) => (base ? `${base}/${key}` : key);
  const fromS3Key = (s3Key: string) => (base ? s3Key.slice(base.length + 1) : s3Key);
  const root = `s3://${bucket}${base ? `/${base}` : ''}`;

  function objectKey(key: string): string {
    assertValidKey(key);
    return toS3Key(key);
  }

  async function put(key: string, body: Buffer | string | Readable, options?: { contentType?: string }): Promise<StoredObject> {
    const Key = objectKey(key);
    let Body: Buffer | Readable;
    let digest: () => { bytes: number; sha256: string };
    let hashing: ReturnType<typeof createHashingStream> | undefined;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      const buf = Buffer.from(body);
      const result = { bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
      Body = buf;
      digest = () => result;
    } else {
      const stream = (hashing = createHashingStream());
      // pipeline (not .pipe) so an error in the caller's stream fails the upload instead of hanging it.
      pipeline(body, stream, () => undefined);
      Body = stream;
      digest = stream.digest;
    }
    // Upload sends one PutObject for small bodies and a multipart upload (aborted on failure) for large ones;
    // either way S3 exposes the object only once it is complete.
    try {
      await new Upload({ client, params: { Bucket: bucket, Key, Body, ContentType: options?.contentType } }).done();
    } catch (error) {
      hashing?.destroy(); // release the caller's stream when S3 refused the upload
      throw error;
    }
    return { key, ...digest() };
  }

  async function getObject(key: string) {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      if (!out.Body) throw new StorageNotFoundError(key);
      return out.Body;
    } catch (error) {
      throw mapNotFound(error, key);
    }
  }

  async function stat(key: string): Promise<StoredObjectInfo | null> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      return { key, bytes: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (mapNotFound(error, key) instanceof StorageNotFoundError) return null;
      throw error;
    }
  }

  /** One ListObjectsV2 page at a time, following continuation tokens. */
  async function* pages(prefix: string): AsyncGenerator<StoredObjectInfo[]> {
    assertValidPrefix(prefix);
    const Prefix = base ? `${base}/${prefix}` : prefix;
    let ContinuationToken: string | undefined;
    do {
      const out: ListObjectsV2CommandOutput = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix, ContinuationToken }));
      yield (out.Contents ?? [])
        // Console-made "folder" markers end in "/" and are not objects of ours.
        .filter((o) => o.Key && !o.Key.endsWith('/'))
        .map((o) => ({ key: fromS3Key(o.Key!), bytes: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) }));
      ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  return {
    kind: 's3',
    root,
    localPath: (key) => {
      assertValidKey(key);
      return null;
    },
    uri: (key) => `s3://${bucket}/${objectKey(key)}`,
    put,
    async getStream(key) {
      return (await getObject(key)) as Readable;
    },
    async getBuffer(key) {
      const bytes = await (await getObject(key)).transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    stat,
    exists: async (key) => (await stat(key)) !== null,
    async list(prefix) {
      // S3 already returns keys in UTF-8 byte order, across pages too.
      const all: StoredObjectInfo[] = [];
      for await (const page of pages(prefix)) all.push(...page);
      return all;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },
    async deletePrefix(prefix) {
      // An empty prefix would wipe the whole store: make callers say what they mean.
      if (prefix === '') throw new StorageKeyError(prefix, 'deletePrefix needs a non-empty prefix');
      let removed = 0;
      // A page holds at most 1000 keys, so each page is one DeleteObjects call.
      for await (const page of pages(prefix)) {
        for (let i = 0; i < page.length; i += DELETE_BATCH) {
          const batch = page.slice(i, i + DELETE_BATCH);
          const out = await client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((o) => ({ Key: toS3Key(o.key) })), Quiet: true },
            }),
          );
          const failed = out.Errors ?? [];
          if (failed.length > 0) {
            const first = failed[0]!;
            throw new Error(`Could not delete ${failed.length} object(s) under "${prefix}", e.g. ${first.Key}: ${first.Code} ${first.Message}`);
          }
          removed += batch.length;
        }
      }
      return removed;
    },
    async health() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
        return { ok: true, detail: `bucket reachable at ${root}` };
      } catch (error) {
        return { ok: false, detail: `${root}: ${describeS3Error(error, bucket)}` };
      }
    },
  };
}

type S3ErrorLike = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };

/** Missing *objects* become StorageNotFoundError; a missing bucket stays an error (it is misconfiguration). */
function mapNotFound(error: unknown, key: string): unknown {
  if (error instanceof StorageNotFoundError) return error;
  const e = error as S3ErrorLike;
  if (e?.name === 'NoSuchBucket') return error;
  if (e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404) return new StorageNotFoundError(key);
  return error;
}

/** HEAD responses carry no body, so the SDK's message is often just "UnknownError": say what the status means. */
function describeS3Error(error: unknown, bucket: string): string {
  const e = error as S3ErrorLike;
  const status = e?.$metadata?.httpStatusCode;
  if (status === 404) return `bucket "${bucket}" does not exist (HeadBucket 404)`;
  if (status === 403) return `access to bucket "${bucket}" denied (HeadBucket 403): check credentials and policy`;
  if (status === 301) return `bucket "${bucket}" is in another region (HeadBucket 301): check AWS_REGION`;
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}
