import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureEmbeddedPostgres, runningPostmaster, stopEmbeddedPostgres } from './embedded-postgres';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) {
    await stopEmbeddedPostgres(dir).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  }
});

describe('the embedded PostgreSQL', () => {
  it('starts one server per data folder even when two processes ask at once, and the last to leave stops it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricesense-pg-'));
    dirs.push(dir);
    const [a, b] = await Promise.all([
      ensureEmbeddedPostgres({ dataDir: dir, role: 'test-a' }),
      ensureEmbeddedPostgres({ dataDir: dir, role: 'test-b' }),
    ]);
    expect(a.url).toBe(b.url);
    expect([a.startedHere, b.startedHere].filter(Boolean)).toHaveLength(1);
    const running = await runningPostmaster(path.join(dir, 'postgres'));
    expect(running?.port).toBe(a.port);

    expect(await a.release()).toBe('left-running');
    expect(await runningPostmaster(path.join(dir, 'postgres'))).not.toBeNull();
    expect(await b.release()).toBe('stopped');
    expect(await runningPostmaster(path.join(dir, 'postgres'))).toBeNull();

    // Data survives a restart; the credentials file is private.
    const again = await ensureEmbeddedPostgres({ dataDir: dir, role: 'test-c' });
    expect(again.startedHere).toBe(true);
    expect(again.url).toBe(a.url);
    expect((await fs.stat(path.join(dir, 'postgres.json'))).mode & 0o077).toBe(0);
    await again.release();
  });
});
