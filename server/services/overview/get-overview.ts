import 'server-only';
import { getHealth } from '../health/get-health';
import { assertCan, type ServiceContext } from '../context';

/** What the landing page shows: how far the installation is through the lifecycle, and whether it is healthy. */
export async function getOverview(ctx: ServiceContext) {
  assertCan(ctx, 'read');
  const [datasets, runs, models, deployments, users, recentEvents, health] = await Promise.all([
    ctx.db.dataset.count(),
    ctx.db.run.count(),
    ctx.db.modelVersion.count(),
    ctx.db.deployment.count({ where: { currentModelVersionId: { not: null } } }),
    ctx.db.user.count({ where: { isActive: true } }),
    ctx.db.auditEvent.findMany({ orderBy: { id: 'desc' }, take: 6, select: { id: true, at: true, actorLabel: true, summary: true, action: true } }),
    getHealth({ db: ctx.db, storage: ctx.adapters.storage }),
  ]);
  return {
    counts: { datasets, runs, models, deployments, users },
    recentEvents: recentEvents.map((e) => ({ ...e, id: e.id.toString() })),
    health,
  };
}
