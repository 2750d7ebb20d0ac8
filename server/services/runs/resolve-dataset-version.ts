import 'server-only';
import { AppError } from '@/server/errors';
import type { DbTx } from '../context';

/**
 * "<version id>", "<dataset name>" (its latest ready version), "<name>@3" or
 * "<name>:v3" → a version that can be trained on, or an error that says why not.
 */
export async function resolveTrainableVersion(db: DbTx, ref: string) {
  const select = { id: true, version: true, status: true, deletedAt: true, minWeek: true, maxWeek: true, basketCount: true, rowCount: true, contentHash: true, datasetId: true, dataset: { select: { name: true } } } as const;
  const byId = await db.datasetVersion.findUnique({ where: { id: ref }, select });
  let version = byId;
  if (!version) {
    const match = /^(.+?)(?:@|:v)(\d+)$/.exec(ref);
    const name = match ? match[1]! : ref;
    const dataset = await db.dataset.findUnique({ where: { name }, select: { id: true } });
    if (!dataset) throw new AppError('VALIDATION', `Dataset "${ref}" not found: give a dataset name, "name@<version>", or a version id.`, { fields: [{ field: 'dataset', message: 'not found' }] });
    version = match
      ? await db.datasetVersion.findFirst({ where: { datasetId: dataset.id, version: Number(match[2]) }, select })
      : await db.datasetVersion.findFirst({ where: { datasetId: dataset.id, status: 'ready', deletedAt: null }, orderBy: { version: 'desc' }, select });
    if (!version) throw new AppError('VALIDATION', match ? `Dataset ${name} has no version ${match[2]}.` : `Dataset ${name} has no ready version to train on yet.`, { fields: [{ field: 'dataset', message: 'no such version' }] });
  }
  const label = `${version.dataset.name}${version.version ? ` v${version.version}` : ''}`;
  if (version.deletedAt) throw new AppError('VALIDATION', `Dataset version ${label} was deleted; choose another version.`, { fields: [{ field: 'dataset', message: 'deleted' }] });
  if (version.status !== 'ready') {
    throw new AppError('VALIDATION', `Dataset version ${label} is ${version.status}${version.status === 'rejected' ? ' (it failed validation)' : ''}: only ready versions can be trained on.`, { fields: [{ field: 'dataset', message: `version is ${version.status}` }] });
  }
  return { ...version, label };
}
