import 'server-only';
import { AppError, notFound } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, describeActor, type ServiceContext } from '../context';
import { enqueueRun } from './enqueue-run';
import { resolveTrainableVersion } from './resolve-dataset-version';
import { appendRunLog } from './run-log';

/**
 * Retry a failed or cancelled run in place: same id, configuration and dataset
 * version (which must still be ready); its curves restart, its logs are kept with a
 * marker, so a script polling the id sees the new attempt.
 */
export async function retryRun(ctx: ServiceContext, runId: string) {
  assertCan(ctx, 'runs:write');
  const run = await ctx.db.$transaction(async (tx) => {
    const run = await tx.run.findUnique({ where: { id: runId }, select: { id: true, number: true, status: true, datasetVersionId: true } });
    if (!run) throw notFound(`Run "${runId}"`);
    if (run.status !== 'failed' && run.status !== 'cancelled') throw new AppError('CONFLICT', `Run #${run.number} is ${run.status}; only failed or cancelled runs can be retried.`);
    await resolveTrainableVersion(tx, run.datasetVersionId);
    const changed = await tx.run.updateMany({
      where: { id: run.id, status: run.status },
      data: {
        status: 'queued', stage: 'queued', progress: 0, etaSeconds: null, error: null, attempts: 0, jobId: null, workerId: null, cancelRequestedAt: null,
        startedAt: null, finishedAt: null, durationMs: null, accuracy: null, macroF1: null, costUsd: null,
      },
    });
    if (!changed.count) throw new AppError('CONFLICT', `Run #${run.number} changed meanwhile; reload and try again.`);
    await tx.runMetricPoint.deleteMany({ where: { runId: run.id } });
    await appendRunLog(tx, run.id, 'info', `── Retried by ${describeActor(ctx.actor)} (was ${run.status}) ──`);
    await recordAudit(tx, ctx, { action: 'run.retry', entityType: 'run', entityId: run.id, summary: `Retried run #${run.number} (was ${run.status})`, before: { status: run.status } });
    return run;
  });
  await enqueueRun(ctx, run.id);
  return { id: run.id, number: run.number, status: 'queued' as const };
}
