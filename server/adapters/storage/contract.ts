import fsPromises from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { StorageKeyError, StorageNotFoundError, type StoragePort } from './port';

/**
 * The behaviour every StoragePort adapter must share, run by each adapter's
 * test file. `makeStorage` is called before every test and must return an
 * empty store (a fresh folder, a fresh bucket prefix).
 */
export function describeStorageContract(name: string, makeStorage: () => Promise<StoragePort>): void {
  describe(`StoragePort contract: ${name}`, () => {
    let storage: StoragePort;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    describe('put and read back', () => {
      it('round-trips a Buffer with its sha256 and size', async () => {
        const body = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
        const stored = await storage.put('bin/data.bin', body);
        expect(stored).toEqual({ key: 'bin/data.bin', bytes: body.length, sha256: sha256(body) });
        expect(await storage.getBuffer('bin/data.bin')).toEqual(body);
        expect(await readAll(await storage.getStream('bin/data.bin'))).toEqual(body);
      });

      it('stores strings as UTF-8 and counts bytes, not characters', async () => {
        const text = 'prix réduit — 割引 🛒';
        const stored = await storage.put('notes/readme.txt', text, { contentType: 'text/plain; charset=utf-8' });
        expect(stored.bytes).toBe(Buffer.byteLength(text, 'utf8'));
        expect(stored.sha256).toBe(sha256(Buffer.from(text, 'utf8')));
        expect((await storage.getBuffer('notes/readme.txt')).toString('utf8')).toBe(text);
      });

      it('streams a multi-chunk Readable and hashes it on the way', async () => {
        const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(16 * 1024, i));
        const expected = Buffer.concat(chunks);
        const stored = await storage.put('datasets/v1/raw.bin', Readable.from(chunks));
        expect(stored).toEqual({ key: 'datasets/v1/raw.bin', bytes: expected.length, sha256: sha256(expected) });
        expect(sha256(await readAll(await storage.getStream('datasets/v1/raw.bin')))).toBe(sha256(expected));
      });

      it('overwrites an existing object and reports its new size', async () => {
        await storage.put('model.json', '{"v":1,"padding":"xxxxxxxx"}');
        await storage.put('model.json', '{"v":2}');
        expect((await storage.getBuffer('model.json')).toString()).toBe('{"v":2}');
        expect((await storage.stat('model.json'))?.bytes).toBe(7);
      });

      it('stats an object with its size and a plausible modification time', async () => {
        await storage.put('a/b.txt', 'hello');
        const info = await storage.stat('a/b.txt');
        expect(info?.key).toBe('a/b.txt');
        expect(info?.bytes).toBe(5);
        expect(Math.abs(info!.modifiedAt.getTime() - Date.now())).toBeLessThan(5 * 60_000);
        expect(await storage.exists('a/b.txt')).toBe(true);
      });
    });

    describe('atomic writes', () => {
      it('keeps the previous object when the body stream fails, and leaves nothing else behind', async () => {
        await storage.put('manifest.json', 'previous');
        const broken = Readable.from(
          (async function* () {
            yield Buffer.from('partial new content');
            throw new Error('source broke mid-way');
          })(),
        );
        await expect(storage.put('manifest.json', broken)).rejects.toThrow('source broke mid-way');
        expect((await storage.getBuffer('manifest.json')).toString()).toBe('previous');
        expect((await storage.list('')).map((o) => o.key)).toEqual(['manifest.json']);
      });

      it('does not create an object when the first write of a key fails', async () => {
        const broken = new Readable({ read() { this.destroy(new Error('nothing to read')); } });
        await expect(storage.put('new/object.bin', broken)).rejects.toThrow('nothing to read');
        expect(await storage.exists('new/object.bin')).toBe(false);
        expect(await storage.list('')).toEqual([]);
      });

      it('serves the previous object while a write is still in flight', async () => {
        await storage.put('doc.txt', 'old');
        const body = new PassThrough();
        body.write('new part one, ');
        const pending = storage.put('doc.txt', body);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect((await storage.getBuffer('doc.txt')).toString()).toBe('old');
        body.end('new part two');
        await pending;
        expect((await storage.getBuffer('doc.txt')).toString()).toBe('new part one, new part two');
      });
    });

    describe('missing objects', () => {
      it('throws StorageNotFoundError from getBuffer and getStream', async () => {
        await expect(storage.getBuffer('nope/missing.txt')).rejects.toBeInstanceOf(StorageNotFoundError);
        await expect(storage.getStream('nope/missing.txt')).rejects.toMatchObject({ name: 'StorageNotFoundError', key: 'nope/missing.txt' });
      });

      it('reports absence from stat and exists, and treats a "folder" as absent', async () => {
        await storage.put('dir/inner.txt', 'x');
        expect(await storage.stat('nope.txt')).toBeNull();
        expect(await storage.exists('nope.txt')).toBe(false);
        expect(await storage.exists('dir')).toBe(false);
        await expect(storage.getBuffer('dir')).rejects.toBeInstanceOf(StorageNotFoundError);
        expect(await storage.exists('dir/inner.txt/deeper')).toBe(false);
      });

      it('deletes idempotently', async () => {
        await storage.put('gone.txt', 'x');
        await storage.delete('gone.txt');
        await storage.delete('gone.txt');
        expect(await storage.exists('gone.txt')).toBe(false);
      });
    });

    describe('key validation', () => {
      const badKeys = ['', '../x', 'a/../../x', '/abs', 'a//b', 'a/./b', 'a/', 'a\\b', 'a\u0001b'];
      it.each(badKeys)('rejects %j everywhere with StorageKeyError', async (key) => {
        await expect(storage.put(key, 'x')).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.getBuffer(key)).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.getStream(key)).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.stat(key)).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.delete(key)).rejects.toBeInstanceOf(StorageKeyError);
        expect(() => storage.uri(key)).toThrow(StorageKeyError);
      });

      it.each(['../', '/abs/', 'a//'])('rejects the prefix %j in list and deletePrefix', async (prefix) => {
        await expect(storage.list(prefix)).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.deletePrefix(prefix)).rejects.toBeInstanceOf(StorageKeyError);
      });
    });

    describe('list', () => {
      const keys = ['b/2.txt', 'a/z.txt', 'a/b/c.txt', 'd/10/y.txt', 'a.txt', 'd/1/x.txt', 'B.txt'];
      beforeEach(async () => {
        for (const key of [...keys].reverse()) await storage.put(key, key);
      });

      it('lists everything recursively in byte order, with sizes', async () => {
        const all = await storage.list('');
        expect(all.map((o) => o.key)).toEqual(['B.txt', 'a.txt', 'a/b/c.txt', 'a/z.txt', 'b/2.txt', 'd/1/x.txt', 'd/10/y.txt']);
        expect(all.every((o) => o.bytes === Buffer.byteLength(o.key) && o.modifiedAt instanceof Date)).toBe(true);
      });

      it('treats the prefix as a string prefix, like S3', async () => {
        expect((await storage.list('a/')).map((o) => o.key)).toEqual(['a/b/c.txt', 'a/z.txt']);
        expect((await storage.list('d/1')).map((o) => o.key)).toEqual(['d/1/x.txt', 'd/10/y.txt']);
        expect((await storage.list('d/1/')).map((o) => o.key)).toEqual(['d/1/x.txt']);
        expect((await storage.list('a')).map((o) => o.key)).toEqual(['a.txt', 'a/b/c.txt', 'a/z.txt']);
        expect(await storage.list('zzz/')).toEqual([]);
      });
    });

    describe('deletePrefix', () => {
      it('removes exactly the objects under the prefix and counts them', async () => {
        for (const key of ['runs/1/model.json', 'runs/1/logs/a.txt', 'runs/10/model.json', 'runs/2/model.json']) await storage.put(key, 'x');
        expect(await storage.deletePrefix('runs/1/')).toBe(2);
        expect((await storage.list('')).map((o) => o.key)).toEqual(['runs/10/model.json', 'runs/2/model.json']);
        expect(await storage.deletePrefix('runs/1/')).toBe(0);
      });

      it('refuses an empty prefix rather than wiping the store', async () => {
        await storage.put('keep.txt', 'x');
        await expect(storage.deletePrefix('')).rejects.toBeInstanceOf(StorageKeyError);
        expect(await storage.exists('keep.txt')).toBe(true);
      });
    });

    describe('locations and health', () => {
      it('gives a local path only when the object is on this disk, with the stored bytes', async () => {
        await storage.put('paths/a.txt', 'local bytes');
        const local = storage.localPath('paths/a.txt');
        if (storage.kind === 'local') expect(await fsPromises.readFile(local!, 'utf8')).toBe('local bytes');
        else expect(local).toBeNull();
        expect(() => storage.localPath('../escape')).toThrow();
      });

      it('gives each key a URI under the root', () => {
        const uri = storage.uri('models/7/model.json');
        expect(uri.startsWith(storage.root)).toBe(true);
        expect(uri.endsWith('/models/7/model.json')).toBe(true);
        expect(storage.uri('a.txt')).not.toBe(storage.uri('b.txt'));
      });

      it('reports healthy storage and leaves no probe objects behind', async () => {
        const health = await storage.health();
        expect(health).toEqual({ ok: true, detail: expect.any(String) });
        expect(health.detail.length).toBeGreaterThan(0);
        expect(await storage.list('')).toEqual([]);
      });
    });
  });
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
