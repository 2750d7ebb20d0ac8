import 'server-only';
import { ALGORITHMS, DEFAULT_ALGORITHM, estimatorSpec } from '@/ml/estimators';
import type { ServiceContext } from '@/server/services/context';
import { getDataset, listDatasets } from '@/server/services/datasets/read-datasets';
import type { AlgorithmOption, DatasetOption } from './types';

/** Datasets with their ready versions (newest first): what a run can train on. */
export async function loadDatasetOptions(ctx: ServiceContext): Promise<DatasetOption[]> {
  const datasets = await listDatasets(ctx);
  const details = await Promise.all(datasets.filter((d) => d.latest).map((d) => getDataset(ctx, d.name)));
  return details
    .map((d) => ({
      name: d.name,
      versions: d.versions
        .filter((v) => v.status === 'ready')
        .sort((a, b) => (b.version ?? 0) - (a.version ?? 0))
        .map((v) => ({ id: v.id, version: v.version, label: `v${v.version ?? '?'}${v.basketCount ? ` · ${v.basketCount.toLocaleString('en-US')} baskets` : ''}` })),
    }))
    .filter((d) => d.versions.length > 0);
}

/** The parameter schemas without the constructors, so they can cross to the client. */
export function algorithmOptions(): { options: AlgorithmOption[]; defaultAlgorithm: string } {
  return {
    defaultAlgorithm: DEFAULT_ALGORITHM,
    options: ALGORITHMS.map((a) => {
      const spec = estimatorSpec(a);
      return { algorithm: a, label: spec.label, summary: spec.summary, params: spec.params.map((p) => ({ ...p, options: p.options ? [...p.options] : undefined })) };
    }),
  };
}
