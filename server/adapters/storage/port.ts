import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

/**
 * Where datasets, model artifacts and deployment manifests live. Keys are
 * slash-separated relative paths ("datasets/<id>/raw/file.csv.gz"); adapters map
 * them to a folder (local) or a bucket prefix (S3). Chosen once at start-up from
 * config and passed to services in their context.
 */
export interface StoragePort {
  readonly kind: 'local' | 's3';
  /** Human-readable location of the storage root, e.g. "file:///…/.data/storage" or "s3://bucket/prefix". */
  readonly root: string;
  /** Full URI of a key (file:// or s3://), recorded in lineage. */
  uri(key: string): string;
  /**
   * The key's path on this machine's disk, for tools that read files directly
   * (DuckDB), or null when the storage is remote and objects must be downloaded.
   */
  localPath(key: string): string | null;
  /** Write a whole object atomically: readers see the old object or the new one, never half. */
  put(key: string, body: Buffer | string | Readable, options?: { contentType?: string }): Promise<StoredObject>;
  /** Stream an object. Throws StorageNotFoundError when absent. */
  getStream(key: string): Promise<Readable>;
  /** Read an object into memory (for small objects: manifests, artifacts). Throws StorageNotFoundError. */
  getBuffer(key: string): Promise<Buffer>;
  /** Size and modification time, or null when absent. */
  stat(key: string): Promise<StoredObjectInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Every object under a prefix, sorted by key. */
  list(prefix: string): Promise<StoredObjectInfo[]>;
  delete(key: string): Promise<void>;
  /** Delete every object under a prefix; returns how many were removed. */
  deletePrefix(prefix: string): Promise<number>;
  /** Can we read and write right now? Never throws. */
  health(): Promise<{ ok: boolean; detail: string }>;
}

export type StoredObject = { key: string; bytes: number; sha256: string };
export type StoredObjectInfo = { key: string; bytes: number; modifiedAt: Date };

export class StorageNotFoundError extends Error {
  constructor(public readonly key: string) {
    super(`No stored object at "${key}"`);
    this.name = 'StorageNotFoundError';
  }
}

export class StorageKeyError extends Error {
  constructor(public readonly key: string, reason: string) {
    super(`Invalid storage key "${key}": ${reason}`);
    this.name = 'StorageKeyError';
  }
}

/** Keys are relative, slash-separated, without "..", empty or absolute segments. */
export function assertValidKey(key: string): void {
  if (!key || key.length > 1024) throw new StorageKeyError(key, 'must be 1–1024 characters');
  if (key.startsWith('/') || key.includes('\\')) throw new StorageKeyError(key, 'must be a relative path with forward slashes');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw new StorageKeyError(key, 'must not contain empty, "." or ".." segments');
  }
  if (/[\u0000-\u001f]/.test(key)) throw new StorageKeyError(key, 'must not contain control characters');
}

/**
 * Prefixes are plain string prefixes, as in S3: "datasets/1" also matches
 * "datasets/10/…"; pass a trailing slash to mean one folder. "" means everything.
 */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

/** Byte-wise UTF-8 order, the order S3 lists keys in, so every adapter sorts alike. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A pass-through that hashes (sha256) and counts the bytes flowing to the store, so bodies are never buffered whole. */
export function createHashingStream(): Transform & { digest(): { bytes: number; sha256: string } } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(buf);
      bytes += buf.length;
      callback(null, buf);
    },
  });
  let sha256: string | undefined;
  // Hash#digest may run once only; memoize so callers can ask again.
  return Object.assign(stream, { digest: () => ({ bytes, sha256: (sha256 ??= hash.digest('hex')) }) });
}
