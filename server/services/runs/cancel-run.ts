import 'server-only';
import { AppError, notFound } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, describeActor, nowOf, type ServiceContext } from '../context';
import { appendRunLog } from './run-log';

/**
 * Cancel a run. A queued run is cancelled at once (its job finds it cancelled and
 * does nothing); a running one gets a cancel request that its worker acts on within
 * seconds (it stops the training process, or the SageMaker job). Finished runs
 * cannot be cancelled.
 */
export async function cancelRun(ctx: ServiceContext, runId: string) {
  assertCan(ctx, 'runs:write');
  const now = nowOf(ctx);
  const result = await ctx.db.$transaction(async (tx) => {
    const run = await tx.run.findUnique({ where: { id: runId }, select: { id: true, number: true, status: true, cancelRequestedAt: true } });
    if (!run) throw notFound(`Run "${runId}"`);
    if (run.status === 'queued') {
      const changed = await tx.run.updateMany({ where: { id: run.id, status: 'queued' }, data: { status: 'cancelled', stage: 'cancelled', finishedAt: now, cancelRequestedAt: now } });
      if (!changed.count) throw new AppError('CONFLICT', `Run #${run.number} just started; try again to cancel it while it runs.`);
      await appendRunLog(tx, run.id, 'warn', `Cancelled before it started, by ${describeActor(ctx.actor)}.`);
    } else if (run.status === 'running') {
      if (!run.cancelRequestedAt) await tx.run.update({ where: { id: run.id }, data: { cancelRequestedAt: now } });
      await appendRunLog(tx, run.id, 'warn', `Cancel requested by ${describeActor(ctx.actor)}; stopping the training process…`);
    } else {
      throw new AppError('CONFLICT', `Run #${run.number} already finished (${run.status}); only queued or running runs can be cancelled.`);
    }
    await recordAudit(tx, ctx, { action: 'run.cancel', entityType: 'run', entityId: run.id, summary: `Cancelled run #${run.number} (was ${run.status})`, before: { status: run.status } });
    return { id: run.id, number: run.number, status: run.status === 'queued' ? ('cancelled' as const) : ('cancelling' as const) };
  });
  return result;
}
