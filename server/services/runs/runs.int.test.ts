import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Model } from '@/ml/model';
import { createTestDatabase } from '@/test/db';
import { contextAs, userContext } from '@/test/actors';
import { tempDir } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import { createPrismaClient, type Db } from '@/server/db/client';
import type { JobName, JobPayloads, JobQueue } from '@/server/jobs/queue-port';
import { executeRun } from '@/server/jobs/run-jobs';
import { DEMO_ACTOR, requestDemoSetup, setupDemo } from '../demo/setup-demo';
import type { ServiceContext } from '../context';
import { cancelRun } from './cancel-run';
import { launchRun } from './launch-run';
import { getRun, getRunCurves, getRunLogs, listRuns } from './read-runs';
import { recoverRuns } from './recover-runs';
import { retryRun } from './retry-run';
import { advanceSweep, getSweep, launchSweep } from './sweeps';

let db: Db;
let url: string;
let dir: string;
let versionId: string;
const sent: { name: JobName; data: unknown }[] = [];
const queue: JobQueue = {
  async send<N extends JobName>(name: N, data: JobPayloads[N]) {
    sent.push({ name, data });
    return `job-${sent.length}`;
  },
};
let engineer: ServiceContext;

beforeAll(async () => {
  ({ db, url } = await createTestDatabase());
  dir = await tempDir();
  // The trainer process finds storage the way the platform does: under MLOPS_DATA_DIR.
  process.env.MLOPS_DATA_DIR = dir;
  const storage = createLocalStorage(path.join(dir, 'storage'));
  await requestDemoSetup(db, { send: async () => 'demo-job' }, { rows: 20_000 });
  const version = await setupDemo({ actor: DEMO_ACTOR, db, adapters: { storage, workDir: path.join(dir, 'work') } }, { rows: 20_000, seed: 7, train: false });
  versionId = version.id;
  const { ctx } = await userContext(db, 'ml_engineer');
  engineer = { ...ctx, adapters: { storage, queue } };
}, 120_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const deps = () => ({ db, databaseUrl: url, workerId: 'test-worker', concurrency: 1 });

describe('launching a run', () => {
  it('refuses bad input with a message naming the problem, and queues nothing', async () => {
    const before = await db.run.count();
    const viewer = { ...(await userContext(db, 'viewer')).ctx, adapters: engineer.adapters };
    await expect(launchRun(viewer, { dataset: 'demo' })).rejects.toThrow('Your role (viewer) may not launch or change training runs.');
    await expect(launchRun(engineer, { dataset: 'demo', algorithm: 'svm' })).rejects.toThrow('Unknown algorithm "svm": use one of logistic_regression, gbdt, random_forest, decision_tree');
    await expect(launchRun(engineer, { dataset: 'demo', algorithm: 'gbdt', params: { learningRate: 2 } })).rejects.toThrow('Parameter learningRate must be ≤ 1 (got 2)');
    await expect(launchRun(engineer, { dataset: 'demo', params: { depth: 3 } })).rejects.toThrow(/Unknown parameter "depth" for gbdt/);
    await expect(launchRun(engineer, { dataset: 'no-such-data' })).rejects.toThrow('Dataset "no-such-data" not found');
    await expect(launchRun(engineer, { dataset: 'demo@9' })).rejects.toThrow('Dataset demo has no version 9.');
    await expect(launchRun(engineer, { dataset: 'demo', seed: -1 })).rejects.toThrow(/seed: must be ≥ 0/);
    const version = await db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
    const rejected = await db.datasetVersion.create({ data: { datasetId: version.datasetId, status: 'rejected', stage: 'rejected' } });
    await expect(launchRun(engineer, { dataset: rejected.id })).rejects.toThrow('Dataset version demo is rejected (it failed validation): only ready versions can be trained on.');
    expect(await db.run.count()).toBe(before);
    expect(sent).toHaveLength(0);
  });

  it('two users launching at the same moment get two runs with their own numbers', async () => {
    const other = { ...(await userContext(db, 'ml_engineer')).ctx, adapters: engineer.adapters };
    const [a, b] = await Promise.all([launchRun(engineer, { dataset: 'demo', algorithm: 'decision_tree', tags: ['race'] }), launchRun(other, { dataset: 'demo', algorithm: 'decision_tree', tags: ['race'] })]);
    expect(a.id).not.toBe(b.id);
    expect(a.number).not.toBe(b.number);
    expect((await listRuns(engineer, { tag: 'race' })).total).toBe(2);
    expect(sent.filter((s) => s.name === 'run.execute')).toHaveLength(2);
    for (const r of [a, b]) await cancelRun(engineer, r.id);
  });
});

describe('executing a run', () => {
  it('trains in its own process: progress, curves, logs, metrics, artifact, cost', async () => {
    const run = await launchRun(engineer, { dataset: `demo@1`, algorithm: 'gbdt', params: { nEstimators: 15, learningRate: 0.3 }, seed: 3, tags: ['e2e'] });
    expect((await getRun(engineer, run.id)).status).toBe('queued');
    expect(await executeRun(deps(), run.id)).toBe('succeeded');
    const done = await getRun(engineer, run.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, attempts: 1, instanceType: 'ml.m5.large' });
    expect(done.metrics!.accuracy).toBeGreaterThan(0.5);
    expect(done.metrics!.accuracy).toBe(done.accuracy);
    expect(Object.keys(done.metrics!.per_class)).toEqual(['LA', 'MM', 'UM']);
    expect(done.metrics!.confusion_matrix.matrix.flat().reduce((a, b) => a + b, 0)).toBe(done.metrics!.n_test);
    expect(done.metrics!.split.testWeeks[0]).toBeGreaterThan(done.metrics!.split.trainWeeks[1]);
    expect(done.featureImportance.length).toBeGreaterThan(0);
    expect(done.costUsd).toBeGreaterThan(0);
    const curves = (await getRunCurves(engineer, [run.id]))[run.id]!;
    expect(curves.train_loss!.length).toBeGreaterThan(5);
    expect(curves.train_loss![0]!.value).toBeGreaterThan(curves.train_loss![curves.train_loss!.length - 1]!.value);
    const logs = (await getRunLogs(engineer, run.id)).logs.map((l) => l.message).join('\n');
    expect(logs).toMatch(/Time split: train weeks/);
    expect(logs).toMatch(/Evaluated on .* test baskets: accuracy/);
    // The stored artifact is the model, sealed, with the lineage recorded on the run.
    const text = await fs.readFile(new URL(done.artifactUri!), 'utf8');
    const model = Model.load(text);
    expect(model.body.algorithm).toBe('gbdt');
    expect(model.body.training.datasetVersionId).toBe(versionId);
    expect(done.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('cancels a queued run at once and a running one by stopping its process', async () => {
    const queued = await launchRun(engineer, { dataset: 'demo', algorithm: 'decision_tree' });
    expect(await cancelRun(engineer, queued.id)).toMatchObject({ status: 'cancelled' });
    expect(await executeRun(deps(), queued.id)).toBe('skipped');
    await expect(cancelRun(engineer, queued.id)).rejects.toThrow(/already finished \(cancelled\)/);

    const long = await launchRun(engineer, { dataset: 'demo', algorithm: 'gbdt', params: { nEstimators: 5000, learningRate: 0.001, validationFraction: 0 } });
    const outcome = executeRun(deps(), long.id);
    await expect.poll(async () => (await getRun(engineer, long.id)).stage, { timeout: 60_000, interval: 250 }).toMatch(/^training/);
    expect(await cancelRun(engineer, long.id)).toMatchObject({ status: 'cancelling' });
    expect(await outcome).toBe('cancelled');
    const run = await getRun(engineer, long.id);
    expect(run.status).toBe('cancelled');
    expect((await getRunLogs(engineer, long.id)).logs.map((l) => l.message)).toContain('Cancelled: the training process was stopped.');
  }, 120_000);

  it('a trainer killed from outside (say, by the out-of-memory killer) fails the run with what happened, not just "failed"', async () => {
    const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'gbdt', params: { nEstimators: 5000, learningRate: 0.001, validationFraction: 0 }, maxAttempts: 1 });
    const outcome = executeRun(deps(), run.id);
    await expect.poll(async () => (await getRun(engineer, run.id)).stage, { timeout: 60_000, interval: 250 }).toMatch(/^training/);
    const pids = execFileSync('pgrep', ['-f', `run-trainer.ts ${run.id}`], { encoding: 'utf8' }).trim().split('\n').map(Number);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    expect(await outcome).toBe('failed');
    const failed = await getRun(engineer, run.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^The training process was killed \(SIGKILL\)/);
    expect(failed.finishedAt).not.toBeNull();
  }, 120_000);

  it('a run whose dataset version is deleted fails with the reason; retry is refused until the version is back', async () => {
    const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'decision_tree' });
    await db.datasetVersion.update({ where: { id: versionId }, data: { deletedAt: new Date() } });
    try {
      expect(await executeRun(deps(), run.id)).toBe('failed');
      const failed = await getRun(engineer, run.id);
      expect(failed.error).toMatch(/Dataset version demo v1 is deleted; a run can only train on a ready version/);
      await expect(retryRun(engineer, run.id)).rejects.toThrow('Dataset version demo v1 was deleted; choose another version.');
      await expect(launchRun(engineer, { dataset: versionId })).rejects.toThrow('was deleted');
    } finally {
      await db.datasetVersion.update({ where: { id: versionId }, data: { deletedAt: null } });
    }
    expect(await retryRun(engineer, run.id)).toMatchObject({ status: 'queued' });
    expect(await executeRun(deps(), run.id)).toBe('succeeded');
    expect((await getRunLogs(engineer, run.id)).logs.some((l) => l.message.startsWith('── Retried by'))).toBe(true);
  }, 120_000);
});

describe('the web app restarting while a run executes', () => {
  it('loses nothing: the run, its progress and logs live in the database, not in the web process', async () => {
    // "Web app" #1 launches through its own connection, then goes away mid-run.
    const web1 = createPrismaClient(url, 'pricesense:web-1');
    const run = await launchRun({ ...engineer, db: web1 }, { dataset: 'demo', algorithm: 'gbdt', params: { nEstimators: 5000, learningRate: 0.001, validationFraction: 0 } });
    const outcome = executeRun(deps(), run.id); // the worker, a separate process in production
    await expect.poll(async () => (await getRun({ ...engineer, db: web1 }, run.id)).stage, { timeout: 60_000, interval: 250 }).toMatch(/^training/);
    await web1.$disconnect();
    // "Web app" #2 comes up and sees the same run still training, with its curves and log, and can stop it.
    const web2 = createPrismaClient(url, 'pricesense:web-2');
    try {
      const ctx2 = { ...engineer, db: web2 };
      const seen = await getRun(ctx2, run.id);
      expect(seen.status).toBe('running');
      await expect.poll(async () => (await getRun(ctx2, run.id)).progress, { timeout: 30_000 }).toBeGreaterThan(0.1);
      expect((await getRunLogs(ctx2, run.id)).logs.some((l) => l.message.startsWith('Loaded '))).toBe(true);
      await expect.poll(async () => ((await getRunCurves(ctx2, [run.id]))[run.id]!.train_loss ?? []).length, { timeout: 30_000 }).toBeGreaterThan(0);
      await cancelRun(ctx2, run.id);
      expect(await outcome).toBe('cancelled');
    } finally {
      await web2.$disconnect();
    }
  }, 120_000);
});

describe('recovery', () => {
  it('re-queues a run whose worker died while attempts remain, then fails it with the reason', async () => {
    const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'decision_tree', maxAttempts: 2 });
    await db.run.update({ where: { id: run.id }, data: { status: 'running', workerId: 'gone:1', attempts: 1, jobId: 'old' } });
    const sentBefore = sent.length;
    expect(await recoverRuns(db, queue)).toMatchObject({ requeued: 1, failed: 0 });
    expect((await getRun(engineer, run.id)).status).toBe('queued');
    // Sent on the next pass once it is old enough (a fresh launch's own send may still be on its way).
    expect(await recoverRuns(db, queue, new Date(Date.now() + 60_000))).toMatchObject({ sent: 1 });
    expect(sent.slice(sentBefore)).toEqual([{ name: 'run.execute', data: { runId: run.id } }]);
    await db.run.update({ where: { id: run.id }, data: { status: 'running', workerId: 'gone:2', attempts: 2 } });
    expect(await recoverRuns(db, queue)).toMatchObject({ failed: 1 });
    const failed = await getRun(engineer, run.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('Worker gone:2 stopped responding during attempt 2 of 2 (no heartbeat for 45 s); no attempts left.');
  });

  it('leaves runs of a live worker alone', async () => {
    await db.workerHeartbeat.upsert({ where: { id: 'alive:1' }, create: { id: 'alive:1', kind: 'worker', hostname: 'h', pid: 1, startedAt: new Date(), lastSeenAt: new Date() }, update: { lastSeenAt: new Date() } });
    const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'decision_tree' });
    await db.run.update({ where: { id: run.id }, data: { status: 'running', workerId: 'alive:1', attempts: 1 } });
    expect(await recoverRuns(db, queue)).toMatchObject({ requeued: 0, failed: 0 });
    expect((await getRun(engineer, run.id)).status).toBe('running');
    await db.run.update({ where: { id: run.id }, data: { status: 'cancelled' } });
  });
});

describe('sweeps', () => {
  it('a 50-run grid starts `concurrency` runs, then one per finished run, and names the best', async () => {
    const sentBefore = sent.length;
    const sweep = await launchSweep(engineer, { dataset: 'demo', algorithm: 'gbdt', strategy: 'grid', space: { learningRate: [0.05, 0.1, 0.2, 0.3, 0.5], maxLeaves: [4, 8, 16, 24, 31, 40, 48, 56, 63, 64] }, budget: 50, concurrency: 3 });
    expect(sweep.runs).toBe(50);
    const runs = await db.run.findMany({ where: { sweepId: sweep.id }, orderBy: { number: 'asc' } });
    expect(runs).toHaveLength(50);
    expect(new Set(runs.map((r) => JSON.stringify(r.params))).size).toBe(50);
    expect(sent.length - sentBefore).toBe(3);
    // Finish runs one by one (as a worker would); each lets the next start.
    for (const [i, run] of runs.entries()) {
      const current = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(current.jobId, `run ${i + 1} was sent before it ran`).not.toBeNull();
      await db.run.update({ where: { id: run.id }, data: { status: 'succeeded', macroF1: i === 17 ? 0.99 : 0.5, accuracy: 0.6 } });
      await advanceSweep(db, queue, sweep.id);
    }
    expect(sent.length - sentBefore).toBe(50);
    const done = await getSweep(engineer, sweep.id);
    expect(done.status).toBe('succeeded');
    expect(done.bestRunId).toBe(runs[17]!.id);
  });

  it('refuses a sweep with a bad space before creating anything', async () => {
    const before = await db.run.count();
    await expect(launchSweep(engineer, { dataset: 'demo', strategy: 'grid', space: { learningRate: { min: 0.1, max: 0.5 } }, budget: 5 })).rejects.toThrow('A grid needs a list of values for learningRate; ranges are for random search.');
    await expect(launchSweep(engineer, { dataset: 'demo', strategy: 'random', space: { learningRate: { min: 0.1, max: 5 } }, budget: 5 })).rejects.toThrow(/Sweep run \d+: Parameter learningRate must be ≤ 1/);
    await expect(launchSweep(engineer, { dataset: 'demo', strategy: 'grid', space: { nope: [1] }, budget: 5 })).rejects.toThrow('Unknown parameter "nope" for gbdt');
    await expect(launchSweep(contextAs(db, { kind: 'user', userId: 'x', email: 'v@example.com', name: 'v', role: 'viewer' }), { dataset: 'demo', strategy: 'grid', space: { learningRate: [0.1] }, budget: 1 })).rejects.toThrow(/may not launch/);
    expect(await db.run.count()).toBe(before);
  });
});
