import 'server-only';
import type { JobQueue } from '@/server/jobs/queue-port';
import type { Db } from '../context';
import { appendRunLog } from './run-log';
import { advanceSweep } from './sweeps';

/** A worker that has not reported for this long is taken for dead (it reports every 15 s). */
export const WORKER_STALE_MS = 45_000;
/** A queued run without a job this old is sent again (the send after its launch was lost). */
const UNSENT_AFTER_MS = 30_000;

/**
 * The worker's recovery pass (every minute, and at start): runs whose worker died
 * go back to the queue while they have attempts left, else fail with the reason;
 * queued runs whose job was never sent are sent; active sweeps move on. Never
 * leaves a run "running" forever.
 */
export async function recoverRuns(db: Db, queue: JobQueue, now = new Date()) {
  // Both backends: a SageMaker run's next worker follows its existing job rather than starting another.
  const running = await db.run.findMany({ where: { status: 'running' }, select: { id: true, number: true, workerId: true, attempts: true, maxAttempts: true, sweepId: true } });
  const workerIds = [...new Set(running.map((r) => r.workerId).filter((w): w is string => !!w))];
  const alive = new Set((await db.workerHeartbeat.findMany({ where: { id: { in: workerIds }, lastSeenAt: { gte: new Date(now.getTime() - WORKER_STALE_MS) } }, select: { id: true } })).map((w) => w.id));
  let requeued = 0;
  let failed = 0;
  for (const run of running) {
    if (run.workerId && alive.has(run.workerId)) continue;
    const who = run.workerId ? `Worker ${run.workerId}` : 'Its worker';
    if (run.attempts < run.maxAttempts) {
      const changed = await db.run.updateMany({ where: { id: run.id, status: 'running', workerId: run.workerId }, data: { status: 'queued', stage: 'queued', jobId: null, workerId: null, progress: 0, etaSeconds: null } });
      if (changed.count) {
        requeued++;
        await db.runMetricPoint.deleteMany({ where: { runId: run.id } });
        await appendRunLog(db, run.id, 'warn', `${who} stopped responding during attempt ${run.attempts} of ${run.maxAttempts}; the run is back in the queue.`);
      }
    } else {
      const error = `${who} stopped responding during attempt ${run.attempts} of ${run.maxAttempts} (no heartbeat for ${WORKER_STALE_MS / 1000} s); no attempts left.`;
      const changed = await db.run.updateMany({ where: { id: run.id, status: 'running', workerId: run.workerId }, data: { status: 'failed', stage: 'failed', error, etaSeconds: null, finishedAt: now } });
      if (changed.count) {
        failed++;
        await appendRunLog(db, run.id, 'error', error);
      }
    }
  }
  const unsent = await db.run.findMany({ where: { status: 'queued', jobId: null, sweepId: null, createdAt: { lt: new Date(now.getTime() - UNSENT_AFTER_MS) } }, select: { id: true }, take: 500 });
  let sent = 0;
  for (const run of unsent) {
    const jobId = await queue.send('run.execute', { runId: run.id });
    await db.run.updateMany({ where: { id: run.id, status: 'queued', jobId: null }, data: { jobId: jobId ?? 'sent' } });
    sent++;
  }
  const sweeps = await db.sweep.findMany({ where: { status: 'running' }, select: { id: true } });
  for (const sweep of sweeps) await advanceSweep(db, queue, sweep.id);
  return { requeued, failed, sent, sweeps: sweeps.length };
}
