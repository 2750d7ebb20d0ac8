import 'server-only';
import { parseInput } from '@/server/errors';
import type { Prisma } from '@/server/db/client';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, nowOf, type ServiceContext } from '../context';
import { startImportInput, type SourceFile } from './schemas';

/**
 * Open an import: the dataset (created on first use) gets a new version in status
 * "uploading" that lists the files to come. Nothing is visible as a version until
 * the import succeeds.
 */
export async function startImport(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'datasets:write');
  const data = parseInput(startImportInput, input);
  const userId = actorUserId(ctx.actor);
  return ctx.db.$transaction(async (tx) => {
    let dataset = await tx.dataset.findUnique({ where: { name: data.dataset } });
    if (!dataset) {
      dataset = await tx.dataset.create({ data: { name: data.dataset, description: data.description ?? null, createdById: userId } });
      await recordAudit(tx, ctx, { action: 'dataset.create', entityType: 'dataset', entityId: dataset.id, summary: `Created dataset ${dataset.name}`, after: { name: dataset.name } });
    }
    const files: SourceFile[] = data.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: null }));
    const version = await tx.datasetVersion.create({
      data: {
        datasetId: dataset.id,
        status: 'uploading',
        stage: 'uploading',
        sourceFiles: files as unknown as Prisma.InputJsonValue,
        totalBytes: BigInt(data.files.reduce((sum, f) => sum + f.bytes, 0)),
        importedById: userId,
        heartbeatAt: nowOf(ctx),
      },
    });
    await recordAudit(tx, ctx, {
      action: 'dataset.import_start',
      entityType: 'dataset_version',
      entityId: version.id,
      summary: `Started importing ${files.length} file(s) into ${dataset.name}`,
      after: { files: files.map((f) => f.name) },
    });
    return { datasetId: dataset.id, datasetName: dataset.name, versionId: version.id, files: files.map((f) => f.name) };
  });
}
