import 'server-only';
import { recordAudit } from '../audit/record-audit';
import { nowOf, type ServiceContext } from '../context';
import { deleteVersionFiles } from './cleanup';
import { IN_PROGRESS } from './schemas';

/** An import whose process stopped reporting (crash, kill, closed browser) for this long is given up. */
export const STALE_AFTER_MS = 2 * 60_000;

export async function sweepStaleImports(ctx: ServiceContext) {
  const cutoff = new Date(nowOf(ctx).getTime() - STALE_AFTER_MS);
  const stale = await ctx.db.datasetVersion.findMany({
    where: { status: { in: [...IN_PROGRESS] }, OR: [{ heartbeatAt: { lt: cutoff } }, { heartbeatAt: null, createdAt: { lt: cutoff } }] },
    include: { dataset: { select: { name: true } } },
  });
  for (const version of stale) {
    const message = version.status === 'uploading' ? 'Upload interrupted: no data arrived for 2 minutes' : 'Import interrupted: the importing process stopped';
    const changed = await ctx.db.$transaction(async (tx) => {
      const { count } = await tx.datasetVersion.updateMany({ where: { id: version.id, status: version.status }, data: { status: 'failed', stage: 'failed', errorMessage: message, completedAt: nowOf(ctx) } });
      if (count) await recordAudit(tx, ctx, { action: 'dataset.import_failed', entityType: 'dataset_version', entityId: version.id, summary: `Import into ${version.dataset.name}: ${message}` });
      return count;
    });
    if (changed) await deleteVersionFiles(ctx.adapters.storage, version.datasetId, version.id);
  }
  return stale.length;
}
