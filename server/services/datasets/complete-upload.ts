import 'server-only';
import { contentHashOf } from '@/server/datasets/pipeline/inspect-file';
import { AppError, notFound } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, nowOf, type ServiceContext } from '../context';
import { deleteVersionFiles } from './cleanup';
import type { SourceFile } from './schemas';

/**
 * All files are in: identify the content, and either recognise it as an existing
 * version (the attempt is discarded, nothing is duplicated) or hand it to
 * processing — a worker job, or the caller itself (`inline`, the CLI).
 */
export async function completeUpload(ctx: ServiceContext, versionId: string, opts: { processing: 'queue' | 'inline' }) {
  assertCan(ctx, 'datasets:write');
  const version = await ctx.db.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } });
  if (!version) throw notFound('Import');
  if (version.status !== 'uploading') throw new AppError('CONFLICT', `This import is already ${version.status}.`);
  const files = version.sourceFiles as unknown as SourceFile[];
  const missing = files.filter((f) => !f.sha256).map((f) => f.name);
  if (missing.length) throw new AppError('CONFLICT', `Still waiting for ${missing.join(', ')}.`);
  const contentHash = contentHashOf(files.map((f) => f.sha256!));

  const existing = await ctx.db.datasetVersion.findFirst({ where: { datasetId: version.datasetId, contentHash, status: 'ready' } });
  if (existing) {
    await ctx.db.$transaction(async (tx) => {
      await tx.datasetVersion.update({ where: { id: versionId }, data: { status: 'cancelled', stage: 'duplicate', contentHash, errorMessage: `Same content as version ${existing.version}`, completedAt: nowOf(ctx) } });
      await recordAudit(tx, ctx, {
        action: 'dataset.import_duplicate', entityType: 'dataset_version', entityId: existing.id,
        summary: `Import into ${version.dataset.name} has the same content as version ${existing.version}; nothing new was stored`,
      });
    });
    await deleteVersionFiles(ctx.adapters.storage, version.datasetId, versionId);
    return { duplicateOf: existing, version: null };
  }

  const updated = await ctx.db.datasetVersion.update({
    where: { id: versionId },
    data: { status: 'importing', stage: 'queued', progress: 0, contentHash, heartbeatAt: nowOf(ctx) },
  });
  if (opts.processing === 'queue') {
    if (!ctx.adapters.queue) throw new AppError('UNAVAILABLE', 'No job queue is configured to process the import.');
    await ctx.adapters.queue.send('dataset.process', { versionId });
  }
  return { duplicateOf: null, version: updated };
}
