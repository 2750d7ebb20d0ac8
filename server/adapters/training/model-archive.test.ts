import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readModelArchive } from './model-archive';

describe('model archive reader', () => {
  it('reads the files of an archive made by tar, as SageMaker makes model.tar.gz', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'archive-'));
    try {
      await fs.mkdir(path.join(dir, 'model', 'sub'), { recursive: true });
      await fs.writeFile(path.join(dir, 'model', 'model.json'), '{"a":1}');
      await fs.writeFile(path.join(dir, 'model', 'sub', 'big.bin'), Buffer.alloc(1500, 7));
      const file = path.join(dir, 'model.tar.gz');
      expect(spawnSync('tar', ['-czf', file, '-C', path.join(dir, 'model'), '.']).status).toBe(0);
      const files = readModelArchive(await fs.readFile(file));
      expect([...files.keys()].sort()).toEqual(['model.json', 'sub/big.bin']);
      expect(files.get('model.json')!.toString()).toBe('{"a":1}');
      expect(files.get('sub/big.bin')!.equals(Buffer.alloc(1500, 7))).toBe(true);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a truncated archive', () => {
    const header = Buffer.alloc(512);
    header.write('model.json', 0);
    header.write('00000001750 ', 124);
    header.write('0', 156);
    expect(() => readModelArchive(gzipSync(Buffer.concat([header, Buffer.alloc(512)])))).toThrow(/truncated inside "model.json"/);
  });
});
