import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { tempDir } from '@/test/transactions';

/**
 * The worker container's health check (docker/worker.Dockerfile): the real worker
 * touches WORKER_HEARTBEAT_FILE after each heartbeat the database took, and
 * worker-healthcheck.mjs passes only while that file is fresh.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
let url: string;
let dir: string;
let worker: ChildProcess | null = null;

const check = (file: string, maxAgeSeconds?: number) =>
  spawnSync(process.execPath, ['server/jobs/worker-healthcheck.mjs', file, ...(maxAgeSeconds ? [String(maxAgeSeconds)] : [])], { cwd: ROOT, encoding: 'utf8' });

beforeAll(async () => {
  ({ url } = await createTestDatabase());
  dir = await tempDir();
});
afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the worker health check', () => {
  it('fails before the first heartbeat, passes while the worker beats, fails once the beats stop', async () => {
    const file = path.join(dir, 'worker-heartbeat');
    expect(check(file)).toMatchObject({ status: 1, stderr: expect.stringMatching(/no heartbeat yet \(ENOENT\)/) });

    worker = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'server/jobs/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, MLOPS_DATA_DIR: dir, MLOPS_DEMO: 'false', MLOPS_PROCESS: 'worker', LOG_LEVEL: 'warn', WORKER_HEARTBEAT_FILE: file },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await expect.poll(() => check(file).status, { timeout: 60_000, interval: 500 }).toBe(0);
    expect(await fs.readFile(file, 'utf8')).toMatch(/^\S+:\d+ \d{4}-\d\d-\d\dT/);

    worker.kill('SIGKILL');
    const past = new Date(Date.now() - 61_000);
    await fs.utimes(file, past, past);
    expect(check(file)).toMatchObject({ status: 1, stderr: expect.stringMatching(/last heartbeat 61 s ago \(limit 60 s\)/) });
    expect(check(file, 120).status).toBe(0);
  }, 90_000);
});
