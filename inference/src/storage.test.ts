import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStore, createMemoryStore } from './storage';
import { describeStore } from './testing/store-contract';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inference-storage-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describeStore('local folder', async () => createLocalStore(dir));
describeStore('memory', async () => createMemoryStore());

describe('local folder store', () => {
  it('maps keys to files under the root and writes through .tmp/ (no partial files, no leftovers)', async () => {
    const store = createLocalStore(dir);
    await store.put('telemetry/production/2026-03-01/12/i-00000001.jsonl', 'a\n');
    expect(await fs.readFile(path.join(dir, 'telemetry/production/2026-03-01/12/i-00000001.jsonl'), 'utf8')).toBe('a\n');
    expect(await fs.readdir(path.join(dir, '.tmp'))).toEqual([]);
    await expect(store.put('.tmp/x', 'y')).rejects.toThrow(/reserved for in-flight writes/);
  });
});
