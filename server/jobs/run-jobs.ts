import 'server-only';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '@/server/db/client';
import { logger } from '@/server/logger';
import { appendRunLog } from '@/server/services/runs/run-log';
import { executeOnSageMaker, type SageMakerRunDeps } from './sagemaker-run';

/**
 * The worker side of a training run: claim it (queued → running, atomically, so
 * two workers never run the same one), start the trainer in a child process, stop
 * it when a cancel is requested, and record how it ended. The child writes
 * progress, curves and the result itself; this side owns failure and cancel.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CANCEL_POLL_MS = 1000;
const KILL_GRACE_MS = 5000;
const TAIL_LINES = 40;

export type RunExecutorDeps = { db: Db; databaseUrl: string; workerId: string; concurrency: number; /** Default: built from the worker's env. */ sagemaker?: SageMakerRunDeps };

/**
 * Runs this worker has claimed (with their trainer once started), so a graceful
 * stop can hand them back; `handingBack` tells their executions not to record a
 * failure for the trainer it stops.
 */
const active = new Map<string, ChildProcess | null>();
const handingBack = new Set<string>();

export async function executeRun(deps: RunExecutorDeps, runId: string): Promise<'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'requeued'> {
  const { db } = deps;
  const claimed = await db.run.updateMany({
    where: { id: runId, status: 'queued' },
    data: { status: 'running', stage: 'starting', startedAt: new Date(), workerId: deps.workerId, attempts: { increment: 1 }, progress: 0, error: null },
  });
  if (!claimed.count) return 'skipped'; // cancelled while queued, or another worker has it
  active.set(runId, null);
  const run = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { number: true, attempts: true, maxAttempts: true, backend: true } });
  await appendRunLog(db, runId, 'info', `Attempt ${run.attempts} of ${run.maxAttempts} started on worker ${deps.workerId}.`);
  logger.info({ runId, run: run.number, attempt: run.attempts }, 'run started');
  if (run.backend === 'sagemaker') {
    try {
      const outcome = await executeOnSageMaker(deps, runId);
      return handingBack.has(runId) ? 'requeued' : outcome;
    } finally {
      active.delete(runId);
    }
  }

  const threads = Math.max(1, Math.floor(os.availableParallelism() / deps.concurrency));
  // node itself with tsx's loader (not the tsx wrapper), so the trainer is this process's direct child.
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'server/jobs/run-trainer.ts', runId], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: deps.databaseUrl, MLOPS_PROCESS: 'trainer', MLOPS_ML_THREADS: String(threads), MLOPS_WORKER_ID: deps.workerId },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  active.set(runId, child);
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) tail.push(line.slice(0, 500));
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let cancelling = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const poll = setInterval(() => {
    void db.run.findUnique({ where: { id: runId }, select: { cancelRequestedAt: true } }).then((r) => {
      if (r?.cancelRequestedAt && !cancelling) {
        cancelling = true;
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), KILL_GRACE_MS).unref();
      }
    }).catch(() => undefined);
  }, CANCEL_POLL_MS);
  const { code, signal } = await exited;
  clearInterval(poll);
  active.delete(runId);

  if (handingBack.has(runId)) return 'requeued';
  const now = new Date();
  const current = await db.run.findUnique({ where: { id: runId }, select: { status: true, cancelRequestedAt: true, startedAt: true } });
  if (current?.status === 'succeeded') return 'succeeded';
  if (current?.status !== 'running') return 'skipped'; // handed back to the queue by a stopping worker
  const durationMs = current.startedAt ? now.getTime() - current.startedAt.getTime() : null;
  if (current.cancelRequestedAt) {
    await db.run.updateMany({ where: { id: runId, status: 'running' }, data: { status: 'cancelled', stage: 'cancelled', etaSeconds: null, finishedAt: now, durationMs } });
    await appendRunLog(db, runId, 'warn', 'Cancelled: the training process was stopped.');
    return 'cancelled';
  }
  const lastError = await db.runLog.findFirst({ where: { runId, level: 'error' }, orderBy: { id: 'desc' }, select: { message: true, at: true } });
  const fromThisAttempt = lastError && current.startedAt && lastError.at >= current.startedAt ? lastError.message : null;
  const error = fromThisAttempt ?? `The training process ${signal ? `was killed (${signal})` : `exited with code ${code}`}${tail.length ? `: ${tail[tail.length - 1]}` : ''}.`;
  if (tail.length && !fromThisAttempt) await appendRunLog(db, runId, 'error', `Training process output (last ${tail.length} lines):\n${tail.join('\n')}`);
  await db.run.updateMany({ where: { id: runId, status: 'running' }, data: { status: 'failed', stage: 'failed', etaSeconds: null, error, finishedAt: now, durationMs } });
  logger.warn({ runId, code, signal, error }, 'run failed');
  return 'failed';
}

/**
 * A stopping worker hands its runs back: each goes to the queue again (without
 * using up an attempt) and its trainer is stopped. The recovery pass sends them.
 */
export async function requeueActiveRuns(db: Db, reason: string) {
  const ids = [...active.keys()];
  for (const [id, child] of active) {
    handingBack.add(id);
    child?.kill('SIGKILL');
  }
  for (const id of ids) {
    const changed = await db.run.updateMany({ where: { id, status: 'running' }, data: { status: 'queued', stage: 'queued', jobId: null, workerId: null, progress: 0, etaSeconds: null, attempts: { decrement: 1 } } });
    if (changed.count) {
      await db.runMetricPoint.deleteMany({ where: { runId: id } });
      await appendRunLog(db, id, 'warn', `The worker stopped (${reason}); the run is back in the queue.`);
    }
  }
  return ids.length;
}
