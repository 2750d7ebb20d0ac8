import 'server-only';
import { recordAudit } from '../audit/record-audit';
import type { ServiceContext } from '../context';
import { readInstances } from './read-deployments';

/**
 * Bring what the inference instances report into the database (worker, every
 * 30 s): the deployment's serving status, and an audit event the first time an
 * instance refuses a manifest (a corrupt or tampered artifact), so the failure
 * reaches people and not only the instance's log.
 */
export async function syncServingStatus(ctx: ServiceContext) {
  const deployments = await ctx.db.deployment.findMany({ select: { id: true, name: true, servingError: true, servingReportedAt: true } });
  let errors = 0;
  for (const dep of deployments) {
    const live = (await readInstances(ctx, dep.name)).filter((i) => !i.stale);
    const failing = live.find((i) => i.state === 'error' && i.lastError);
    const serving = live.find((i) => i.state === 'serving');
    const status = failing ? 'error' : serving ? 'serving' : live.length ? 'waiting' : 'no-instances';
    const error = failing?.lastError ? `${failing.instanceId}: ${failing.lastError.message}` : null;
    const reportedAt = live[0] ? new Date(live[0].reportedAt) : dep.servingReportedAt;
    await ctx.db.$transaction(async (tx) => {
      await tx.deployment.update({ where: { id: dep.id }, data: { servingStatus: status, servingError: error, servingReportedAt: reportedAt } });
      if (error && error !== dep.servingError) {
        errors++;
        await recordAudit(tx, ctx, { action: 'deployment.serving_error', entityType: 'deployment', entityId: dep.id, summary: `The inference service of ${dep.name} refused its manifest and keeps serving the previous model — ${error}`, after: { error } });
      }
    });
  }
  return { deployments: deployments.length, newErrors: errors };
}
