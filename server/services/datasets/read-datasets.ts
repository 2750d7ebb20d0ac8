import 'server-only';
import type { DatasetProfile } from '@/server/datasets/pipeline/profile';
import type { QualityReport } from '@/server/datasets/pipeline/checks';
import { AppError, notFound } from '@/server/errors';
import { assertCan, type ServiceContext } from '../context';
import type { SourceFile } from './schemas';

const VERSION_FIELDS = {
  id: true, version: true, status: true, stage: true, progress: true, contentHash: true, rowCount: true, basketCount: true,
  customerCount: true, productCount: true, minWeek: true, maxWeek: true, totalBytes: true, errorMessage: true,
  createdAt: true, completedAt: true, sourceFiles: true, qualityStatus: true, importedBy: { select: { email: true, name: true } },
} as const;

type Presented<T> = Omit<T, 'rowCount' | 'totalBytes' | 'sourceFiles' | 'qualityStatus'> & { rowCount: number | null; totalBytes: number | null; sourceFiles: SourceFile[]; qualityStatus: QualityReport['status'] | null };

/** BigInt counts become numbers (safe: < 2^53) so results serialise as JSON. */
function present<T extends { rowCount: bigint | null; totalBytes: bigint | null; sourceFiles: unknown; qualityStatus: string | null }>(v: T): Presented<T> {
  return { ...v, qualityStatus: v.qualityStatus as QualityReport['status'] | null, rowCount: v.rowCount === null ? null : Number(v.rowCount), totalBytes: v.totalBytes === null ? null : Number(v.totalBytes), sourceFiles: v.sourceFiles as SourceFile[] };
}

export async function listDatasets(ctx: ServiceContext) {
  assertCan(ctx, 'read');
  const datasets = await ctx.db.dataset.findMany({
    orderBy: { updatedAt: 'desc' },
    include: {
      createdBy: { select: { email: true } },
      versions: { where: { status: 'ready' }, orderBy: { version: 'desc' }, take: 1, select: VERSION_FIELDS },
      _count: { select: { versions: { where: { status: 'ready' } } } },
    },
  });
  return datasets.map((d) => ({ id: d.id, name: d.name, description: d.description, createdAt: d.createdAt, updatedAt: d.updatedAt, createdBy: d.createdBy?.email ?? null, versionCount: d._count.versions, latest: d.versions[0] ? present(d.versions[0]) : null }));
}

export async function getDataset(ctx: ServiceContext, nameOrId: string) {
  assertCan(ctx, 'read');
  const dataset = await ctx.db.dataset.findFirst({ where: { OR: [{ id: nameOrId }, { name: nameOrId }] }, include: { createdBy: { select: { email: true } } } });
  if (!dataset) throw notFound(`Dataset "${nameOrId}"`);
  const [versions, attempts] = await Promise.all([
    ctx.db.datasetVersion.findMany({ where: { datasetId: dataset.id, status: 'ready' }, orderBy: { version: 'desc' }, select: VERSION_FIELDS }),
    ctx.db.datasetVersion.findMany({ where: { datasetId: dataset.id, status: { not: 'ready' } }, orderBy: { createdAt: 'desc' }, take: 20, select: VERSION_FIELDS }),
  ]);
  return { ...dataset, createdBy: dataset.createdBy?.email ?? null, versions: versions.map(present), attempts: attempts.map(present) };
}

export async function getDatasetVersion(ctx: ServiceContext, versionId: string) {
  assertCan(ctx, 'read');
  const version = await ctx.db.datasetVersion.findUnique({ where: { id: versionId }, select: { ...VERSION_FIELDS, datasetId: true, heartbeatAt: true, qualityReport: true, profile: true, storagePrefix: true, dataset: { select: { id: true, name: true } } } });
  if (!version) throw notFound('Dataset version');
  return { ...present(version), qualityReport: version.qualityReport as QualityReport | null, profile: version.profile as DatasetProfile | null };
}

/**
 * A ready version from "name" (latest), "name@3", "name:v3" or an id — how the CLI,
 * the API and run launchers refer to data.
 */
export async function resolveDatasetVersion(ctx: ServiceContext, ref: string) {
  assertCan(ctx, 'read');
  const byId = await ctx.db.datasetVersion.findUnique({ where: { id: ref }, select: { id: true, status: true } });
  if (byId) {
    if (byId.status !== 'ready') throw new AppError('CONFLICT', `Dataset version ${ref} is ${byId.status}, not ready.`);
    return getDatasetVersion(ctx, byId.id);
  }
  const match = /^(.+?)(?:[@:]v?(\d+))?$/.exec(ref.trim());
  const name = match?.[1] ?? ref;
  const number = match?.[2] ? Number(match[2]) : null;
  const dataset = await ctx.db.dataset.findUnique({ where: { name } });
  if (!dataset) throw notFound(`Dataset or version "${ref}"`);
  const version = await ctx.db.datasetVersion.findFirst({ where: { datasetId: dataset.id, status: 'ready', ...(number ? { version: number } : {}) }, orderBy: { version: 'desc' }, select: { id: true } });
  if (!version) throw notFound(number ? `Version ${number} of dataset ${name}` : `A ready version of dataset ${name}`);
  return getDatasetVersion(ctx, version.id);
}
