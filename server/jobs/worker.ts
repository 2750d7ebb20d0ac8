import 'server-only';
import fs from 'node:fs/promises';
import os from 'node:os';
import { createPrismaClient } from '@/server/db/client';
import { findRunningEmbeddedPostgres } from '@/server/db/embedded-info';
import { dataDir, parseEnv } from '@/server/env';
import { logger } from '@/server/logger';
import { createAdapters } from '@/server/adapters/create-adapters';
import { startCostRecording } from './cost-jobs';
import { runDatasetProcessJob, runImportSweep } from './dataset-jobs';
import { continueDemoSetup, DEMO_ACTOR, setupDemo } from '@/server/services/demo/setup-demo';
import { syncServingStatus } from '@/server/services/deployments/sync-serving-status';
import { evaluateAlerts } from '@/server/services/alerts/evaluate-alerts';
import { runHousekeeping } from './housekeeping';
import { startMonitoringCollector } from './monitoring-collector';
import { createBoss, ensureQueues, jobOptions, QUEUES } from './queues';
import type { JobQueue } from './queue-port';
import { executeRun, requeueActiveRuns } from './run-jobs';
import { retrainJobs } from './retrain-jobs';
import { recoverRuns } from '@/server/services/runs/recover-runs';
import { advanceSweep } from '@/server/services/runs/sweeps';

/**
 * The background worker: takes jobs from the Postgres queue (pg-boss). Any number
 * of workers, on this or other machines, can point at the same database. It
 * reports a heartbeat so the health check and the UI know it is alive.
 */
const HEARTBEAT_MS = 15_000;

async function main() {
  const env = parseEnv(process.env);
  const url = env.DATABASE_URL ?? (await findRunningEmbeddedPostgres(dataDir(env)));
  if (!url) throw new Error('The database is not running. Start the platform with `npm start`, or set DATABASE_URL.');
  const db = createPrismaClient(url, 'pricesense:worker');
  const boss = createBoss(url, 'pricesense:worker-queue');
  boss.on('error', (error) => logger.error({ err: error }, 'queue error'));
  await boss.start();
  await ensureQueues(boss);
  await boss.schedule(QUEUES.housekeeping, '*/10 * * * *');
  await boss.work(QUEUES.housekeeping, async () => {
    const result = await runHousekeeping(db);
    logger.info(result, 'housekeeping done');
  });
  const producer: JobQueue = { send: (name, data) => boss.send(name, data, jobOptions(name)) };
  const adapters = await createAdapters(env, { queue: producer });
  const demoCtx = { actor: DEMO_ACTOR, db, adapters };
  const continueDemo = () => continueDemoSetup(demoCtx).catch((error: Error) => logger.error({ err: error.message }, 'demo set-up failed'));
  const retrains = retrainJobs(db, adapters);
  await boss.schedule(QUEUES.sweepImports, '* * * * *');
  await boss.work(QUEUES.sweepImports, () => runImportSweep(db, adapters));
  // Costs: yesterday's and today's, every 10 minutes and once now.
  await startCostRecording(boss, { actor: { kind: 'system', label: 'cost recording' }, db, adapters });
  await boss.work<{ rows: number; seed: number }>(QUEUES.demoSetup, { batchSize: 1 }, async ([job]) => {
    if (job) await setupDemo(demoCtx, job.data);
  });
  // One import at a time per worker: DuckDB uses both cores and up to ~1.5 GB.
  await boss.work<{ versionId: string }>(QUEUES.datasetProcess, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    if (job) await runDatasetProcessJob(db, adapters, job.data.versionId);
  });

  const id = `${os.hostname()}:${process.pid}`;
  const startedAt = new Date();
  // Training runs: WORKER_CONCURRENCY at a time (pg-boss 10: one work() per slot),
  // each in its own process; a finished sweep run lets the next one start.
  const runDeps = { db, databaseUrl: url, workerId: id, concurrency: env.WORKER_CONCURRENCY };
  for (let slot = 0; slot < env.WORKER_CONCURRENCY; slot++) {
    await boss.work<{ runId: string }>(QUEUES.runExecute, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (!job) return;
      const outcome = await executeRun(runDeps, job.data.runId);
      const run = await db.run.findUnique({ where: { id: job.data.runId }, select: { sweepId: true } });
      if (run?.sweepId) await advanceSweep(db, producer, run.sweepId);
      await continueDemo();
      await retrains.afterRun(job.data.runId);
      logger.info({ runId: job.data.runId, outcome }, 'run job done');
    });
  }
  const recover = () => recoverRuns(db, producer).then((r) => (r.requeued || r.failed || r.sent) && logger.warn(r, 'run recovery'));
  await boss.schedule(QUEUES.recoverRuns, '* * * * *');
  await boss.work(QUEUES.recoverRuns, async () => {
    await recover();
    await continueDemo();
    await retrains.everyMinute();
  });
  // What the inference instances report (serving, or refusing a bad artifact) reaches the database and the audit log.
  await boss.schedule(QUEUES.syncServing, '* * * * *');
  await boss.work(QUEUES.syncServing, () => syncServingStatus({ actor: { kind: 'system', label: 'inference status' }, db, adapters }).then((r) => r.newErrors && logger.warn(r, 'inference refused a manifest')));
  // Local telemetry: inference /metrics into minute rollups and telemetry files into predictions, every 15 s.
  const collector = startMonitoringCollector({ db, adapters }, { retentionDays: env.MONITORING_RETENTION_DAYS });
  // Alert rules every minute: fire and resolve (webhooks), drift baselines of new models, CloudWatch alarms in AWS mode.
  await boss.schedule(QUEUES.evaluateAlerts, '* * * * *');
  await boss.work(QUEUES.evaluateAlerts, { batchSize: 1 }, async () => {
    const r = await evaluateAlerts({ actor: { kind: 'system', label: 'alerts' }, db, adapters });
    if (r.fired.length || r.resolved.length || r.failed.length || r.notifyFailed || r.baselines.computed || r.alarms?.error) logger.info(r, 'alerts evaluated');
  });
  // The heartbeat file (containers' health check, worker-healthcheck.mjs) is touched only
  // after the database took the heartbeat: fresh means the loop runs and the database answers.
  const beat = () =>
    db.workerHeartbeat
      .upsert({
        where: { id },
        create: { id, kind: 'worker', hostname: os.hostname(), pid: process.pid, startedAt, lastSeenAt: new Date(), info: { concurrency: env.WORKER_CONCURRENCY } },
        update: { lastSeenAt: new Date() },
      })
      .then(async () => {
        if (env.WORKER_HEARTBEAT_FILE) await fs.writeFile(env.WORKER_HEARTBEAT_FILE, `${id} ${new Date().toISOString()}\n`);
      })
      .catch((error: Error) => logger.warn({ err: error.message }, 'heartbeat failed'));
  await beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  // Runs left behind by a worker that died are picked up at once, not at the next minute.
  setTimeout(() => void recover().catch((error: Error) => logger.warn({ err: error.message }, 'run recovery failed')), 1000).unref();
  logger.info({ id, concurrency: env.WORKER_CONCURRENCY }, 'worker ready');

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'worker stopping');
    clearInterval(timer);
    await collector.stop().catch(() => undefined);
    const handedBack = await requeueActiveRuns(db, reason).catch(() => 0);
    if (handedBack) logger.warn({ runs: handedBack }, 'runs handed back to the queue');
    await boss.stop({ graceful: true, timeout: 10_000, close: true }).catch(() => undefined);
    await db.workerHeartbeat.delete({ where: { id } }).catch(() => undefined);
    await db.$disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Started by the supervisor with an IPC channel: if the supervisor dies, so do we.
  process.on('disconnect', () => void stop('supervisor exited'));
}

main().catch((error: Error) => {
  logger.fatal({ err: error.message }, 'worker failed to start');
  process.exit(1);
});
