import 'server-only';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import {
  assertValidKey,
  assertValidPrefix,
  compareKeys,
  createHashingStream,
  StorageKeyError,
  StorageNotFoundError,
  type StoragePort,
  type StoredObjectInfo,
} from './port';

/** In-flight writes live here, on the same filesystem as their targets, so the final rename is atomic. */
const TMP_DIR = '.tmp';

/** Folder-backed storage: key "a/b.csv" is the file <root>/a/b.csv. */
export function createLocalStorage(rootDir: string): StoragePort {
  const root = path.resolve(rootDir);
  const tmpRoot = path.join(root, TMP_DIR);

  function resolveKey(key: string): string {
    assertValidKey(key);
    if (key.split('/', 1)[0] === TMP_DIR) throw new StorageKeyError(key, `"${TMP_DIR}/" is reserved for in-flight writes`);
    const file = path.resolve(root, ...key.split('/'));
    // assertValidKey already forbids "..", this guards against anything it missed.
    const rel = path.relative(root, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) throw new StorageKeyError(key, 'resolves outside the storage root');
    return file;
  }

  async function put(key: string, body: Buffer | string | Readable): Promise<{ key: string; bytes: number; sha256: string }> {
    const target = resolveKey(key);
    await fs.mkdir(tmpRoot, { recursive: true });
    const tmp = path.join(tmpRoot, `${randomBytes(12).toString('hex')}.part`);
    const hashing = createHashingStream();
    const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
    try {
      // `flush` fsyncs before close, so the rename never exposes a file whose bytes are still in the page cache only.
      await pipeline(source, hashing, createWriteStream(tmp, { flags: 'wx', flush: true }));
      await renameIntoPlace(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
    return { key, ...hashing.digest() };
  }

  async function statFile(key: string): Promise<StoredObjectInfo | null> {
    try {
      const st = await fs.stat(resolveKey(key));
      return st.isFile() ? { key, bytes: st.size, modifiedAt: st.mtime } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function list(prefix: string): Promise<StoredObjectInfo[]> {
    assertValidPrefix(prefix);
    // Walk only the deepest folder the prefix names fully; the rest is a string filter (S3 semantics).
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const found: StoredObjectInfo[] = [];
    await walk(folder ? path.join(root, ...folder.split('/')) : root, folder, prefix, found);
    return found.sort((a, b) => compareKeys(a.key, b.key));
  }

  async function walk(dir: string, dirKey: string, prefix: string, out: StoredObjectInfo[]): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
      if (!dirKey && entry.name === TMP_DIR) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        // Descend only into folders that can still contain matching keys.
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(full, key, prefix, out);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const st = await fs.stat(full).catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error)));
        if (st) out.push({ key, bytes: st.size, modifiedAt: st.mtime });
      }
    }
  }

  async function remove(key: string): Promise<boolean> {
    const file = resolveKey(key);
    try {
      await fs.unlink(file);
    } catch (error) {
      // A folder at that path is not an object: nothing to delete, like a missing key.
      if (isMissing(error) || hasCode(error, 'EISDIR')) return false;
      if (hasCode(error, 'EPERM') && (await fs.stat(file)).isDirectory()) return false; // macOS reports EPERM
      throw error;
    }
    await pruneEmptyFolders(path.dirname(file));
    return true;
  }

  /** Remove now-empty folders up to (not including) the root, so deleted prefixes leave no trace. */
  async function pruneEmptyFolders(dir: string): Promise<void> {
    for (let current = dir; current.startsWith(root + path.sep); current = path.dirname(current)) {
      try {
        await fs.rmdir(current);
      } catch (error) {
        if (hasCode(error, 'ENOENT')) continue;
        if (hasCode(error, 'ENOTEMPTY', 'EEXIST')) return;
        throw error;
      }
    }
  }

  /** Rename, re-creating the parent if a concurrent delete pruned it between mkdir and rename. */
  async function renameIntoPlace(tmp: string, target: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await fs.mkdir(path.dirname(target), { recursive: true });
      try {
        await fs.rename(tmp, target);
        return;
      } catch (error) {
        if (!hasCode(error, 'ENOENT') || attempt >= 2) throw error;
      }
    }
  }

  return {
    kind: 'local',
    root: pathToFileURL(root).href,
    uri: (key) => pathToFileURL(resolveKey(key)).href,
    localPath: (key) => resolveKey(key),
    put,
    async getStream(key) {
      let handle;
      try {
        handle = await fs.open(resolveKey(key), 'r');
        if (!(await handle.stat()).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      } catch (error) {
        await handle?.close();
        if (isMissing(error) || hasCode(error, 'EISDIR')) throw new StorageNotFoundError(key);
        throw error;
      }
      return handle.createReadStream();
    },
    async getBuffer(key) {
      try {
        return await fs.readFile(resolveKey(key));
      } catch (error) {
        if (isMissing(error) || hasCode(error, 'EISDIR')) throw new StorageNotFoundError(key);
        throw error;
      }
    },
    stat: statFile,
    exists: async (key) => (await statFile(key)) !== null,
    list,
    async delete(key) {
      await remove(key);
    },
    async deletePrefix(prefix) {
      // An empty prefix would wipe the whole store: make callers say what they mean.
      if (prefix === '') throw new StorageKeyError(prefix, 'deletePrefix needs a non-empty prefix');
      let removed = 0;
      for (const { key } of await list(prefix)) if (await remove(key)) removed++;
      return removed;
    },
    async health() {
      const probe = `.health/probe-${randomBytes(6).toString('hex')}`;
      const payload = `probe ${new Date().toISOString()}`;
      try {
        await put(probe, payload);
        const read = (await fs.readFile(resolveKey(probe))).toString('utf8');
        await remove(probe);
        if (read !== payload) return { ok: false, detail: `probe read back differs at ${root}` };
        return { ok: true, detail: `read/write ok at ${root}` };
      } catch (error) {
        return { ok: false, detail: `storage at ${root} is not usable: ${(error as Error).message}` };
      }
    },
  };
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}

/** ENOTDIR: a path segment is a file ("a" is a file, key "a/b" asked): the key does not exist. */
function isMissing(error: unknown): boolean {
  return hasCode(error, 'ENOENT', 'ENOTDIR');
}
