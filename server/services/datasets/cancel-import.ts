import 'server-only';
import { AppError, notFound } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, can, nowOf, type ServiceContext } from '../context';
import { deleteVersionFiles } from './cleanup';
import { IN_PROGRESS } from './schemas';

/** Stop an import that has not finished; whatever it stored is removed. A processing worker notices within seconds. */
export async function cancelImport(ctx: ServiceContext, versionId: string, reason = 'cancelled by the user') {
  assertCan(ctx, 'datasets:write');
  const version = await ctx.db.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } });
  if (!version) throw notFound('Import');
  const mine = version.importedById === actorUserId(ctx.actor) || ctx.actor.kind === 'system' || can(ctx.actor, 'users:manage');
  if (!mine) throw new AppError('FORBIDDEN', 'Only the person who started this import (or an admin) can cancel it.');
  if (!(IN_PROGRESS as readonly string[]).includes(version.status)) throw new AppError('CONFLICT', `This import is already ${version.status}.`);
  await ctx.db.$transaction(async (tx) => {
    await tx.datasetVersion.update({ where: { id: versionId }, data: { status: 'cancelled', stage: 'cancelled', errorMessage: reason, completedAt: nowOf(ctx) } });
    await recordAudit(tx, ctx, { action: 'dataset.import_cancel', entityType: 'dataset_version', entityId: versionId, summary: `Cancelled an import into ${version.dataset.name} (${reason})` });
  });
  await deleteVersionFiles(ctx.adapters.storage, version.datasetId, versionId);
  return { id: versionId, status: 'cancelled' as const, dataset: version.dataset.name };
}
