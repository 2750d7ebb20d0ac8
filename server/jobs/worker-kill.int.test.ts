import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { userContext } from '@/test/actors';
import { tempDir } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { Db } from '@/server/db/client';
import { createJobQueue } from '@/server/jobs/queues';
import { DEMO_ACTOR, requestDemoSetup, setupDemo } from '@/server/services/demo/setup-demo';
import { launchRun } from '@/server/services/runs/launch-run';
import { cancelRun } from '@/server/services/runs/cancel-run';
import { getRun, getRunLogs } from '@/server/services/runs/read-runs';

/**
 * The real worker process, killed with SIGKILL in the middle of a run: the run
 * must not stay "running"; a new worker re-queues and runs it again. A worker
 * stopped gracefully hands its run back to the queue.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
let db: Db;
let url: string;
let dir: string;
const workers: ChildProcess[] = [];

function startWorker() {
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['--conditions=react-server', 'server/jobs/worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, MLOPS_DATA_DIR: dir, WORKER_CONCURRENCY: '1', MLOPS_PROCESS: 'worker', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}
const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

beforeAll(async () => {
  ({ db, url } = await createTestDatabase());
  dir = await tempDir();
  await requestDemoSetup(db, { send: async () => 'demo-job' }, { rows: 20_000 });
  await setupDemo({ actor: DEMO_ACTOR, db, adapters: { storage: createLocalStorage(path.join(dir, 'storage')), workDir: path.join(dir, 'work') } }, { rows: 20_000, seed: 5, train: false });
}, 120_000);
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await fs.rm(dir, { recursive: true, force: true });
});

describe('a worker killed mid-run', () => {
  it('leaves no run stuck: the next worker re-queues it, and a graceful stop hands it back', async () => {
    const queue = await createJobQueue(url, 'pricesense:test-queue');
    const { ctx } = await userContext(db, 'ml_engineer');
    const engineer = { ...ctx, adapters: { ...ctx.adapters, queue } };
    try {
      const first = startWorker();
      const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'gbdt', params: { nEstimators: 5000, learningRate: 0.001, validationFraction: 0 }, maxAttempts: 2 });
      await expect.poll(async () => (await getRun(engineer, run.id)).stage, { timeout: 90_000, interval: 500 }).toMatch(/^training/);
      const dead = (await getRun(engineer, run.id)).workerId!;
      // The worker's own process (the tsx launcher in front of it is not the worker).
      const { pid } = await db.workerHeartbeat.findUniqueOrThrow({ where: { id: dead } });
      process.kill(pid, 'SIGKILL');
      await exited(first);
      // Its trainer follows it (the IPC channel closes): progress stops moving.
      const progressAt = async () => (await getRun(engineer, run.id)).progress;
      await expect.poll(async () => {
        const a = await progressAt();
        await new Promise((r) => setTimeout(r, 2500));
        return (await progressAt()) === a;
      }, { timeout: 30_000 }).toBe(true);
      expect((await getRun(engineer, run.id)).status).toBe('running');
      // 45 s without a heartbeat is how a dead worker is recognised; age its last one instead of waiting.
      await db.workerHeartbeat.update({ where: { id: dead }, data: { lastSeenAt: new Date(Date.now() - 120_000) } });
      const second = startWorker();
      await expect.poll(async () => {
        const r = await getRun(engineer, run.id);
        return r.status === 'running' && r.attempts === 2 && r.workerId !== dead;
      }, { timeout: 90_000, interval: 500 }).toBe(true);
      const logs = (await getRunLogs(engineer, run.id)).logs.map((l) => l.message);
      expect(logs).toContain(`Worker ${dead} stopped responding during attempt 1 of 2; the run is back in the queue.`);

      const live = await db.workerHeartbeat.findUniqueOrThrow({ where: { id: (await getRun(engineer, run.id)).workerId! } });
      process.kill(live.pid, 'SIGTERM');
      await exited(second);
      const handedBack = await getRun(engineer, run.id);
      expect(handedBack.status).toBe('queued');
      expect((await getRunLogs(engineer, run.id)).logs.map((l) => l.message)).toContain('The worker stopped (SIGTERM); the run is back in the queue.');
      await cancelRun(engineer, run.id);
    } finally {
      await queue.stop();
    }
  }, 300_000);
});
