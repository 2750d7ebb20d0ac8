import path from 'node:path';
import type { StoragePort } from '../server/adapters/storage/port';
import type { Db } from '../server/db/client';
import { executeRun } from '../server/jobs/run-jobs';
import type { JobQueue } from '../server/jobs/queue-port';
import type { ServiceContext } from '../server/services/context';
import { continueDemoSetup, DEMO_ACTOR, requestDemoSetup, setupDemo } from '../server/services/demo/setup-demo';

/**
 * The first-start demo, for real, in a test database: a synthetic dataset, a
 * trained logistic regression (in a trainer process, as the worker runs it),
 * registered, approved and deployed to production by "demo set-up".
 */
export async function setUpDemoModel(opts: { db: Db; url: string; dir: string; storage: StoragePort; predictKey: string; rows?: number }) {
  const queue: JobQueue = { send: async () => 'job' };
  // The trainer process finds storage the way the platform does: under MLOPS_DATA_DIR.
  process.env.MLOPS_DATA_DIR = opts.dir;
  await requestDemoSetup(opts.db, { send: async () => 'demo-job' }, { rows: opts.rows ?? 20_000 });
  const ctx: ServiceContext = { actor: DEMO_ACTOR, db: opts.db, adapters: { storage: opts.storage, queue, predictKey: opts.predictKey, workDir: path.join(opts.dir, 'work') } };
  await setupDemo(ctx, { rows: opts.rows ?? 20_000, seed: 7 });
  const run = await opts.db.run.findFirstOrThrow({ where: { tags: { has: 'demo' } } });
  const before = await continueDemoSetup(ctx);
  await executeRun({ db: opts.db, databaseUrl: opts.url, workerId: 'test-worker', concurrency: 1 }, run.id);
  // The worker and the minute job may finish the set-up at the same moment: one does it.
  const [after, concurrent] = await Promise.all([continueDemoSetup(ctx), continueDemoSetup(ctx)]);
  return { runId: run.id, ctx, before, after: after ?? concurrent, concurrent: [after, concurrent] };
}
