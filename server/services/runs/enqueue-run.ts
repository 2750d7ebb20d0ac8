import 'server-only';
import { AppError } from '@/server/errors';
import type { ServiceContext } from '../context';

/**
 * Hand a queued run to the workers. If the queue is unreachable the run stays
 * queued without a job and the worker's recovery pass sends it later, so a
 * launch is never lost.
 */
export async function enqueueRun(ctx: ServiceContext, runId: string): Promise<string | null> {
  if (!ctx.adapters.queue) throw new AppError('UNAVAILABLE', 'No job queue in this process: runs cannot be started here.');
  const jobId = await ctx.adapters.queue.send('run.execute', { runId });
  if (jobId) await ctx.db.run.updateMany({ where: { id: runId, status: 'queued' }, data: { jobId } });
  return jobId;
}
