import 'server-only';
import os from 'node:os';
import path from 'node:path';
import { all, literal, openDuckDb } from '@/server/datasets/duckdb';
import type { ServiceContext } from '../context';
import { localRowsDir } from '../datasets/local-layers';
import { DRIFT_FEATURES, LABEL_BASELINE_KEY, MISSING_BIN, distinctEdges, topShares, type BaselineFeatures } from './drift-psi';

/**
 * The training distribution of each drift feature, from a dataset version's
 * curated rows aggregated per basket exactly as the inference service summarises
 * a request (inference/src/telemetry.ts basketFeatures): lines = number of rows
 * (the API takes at most 1000), spend = the sum rounded to cents, quantity = the
 * sum of non-negative quantities, context codes as given (empty = missing), hour
 * and weekday as their decimal text (what Postgres' ->> gives for a JSON number).
 * Only labelled baskets of the training weeks count: what the model learned from.
 */
export type ComputedBaseline = { features: BaselineFeatures; baskets: number };

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** DuckDB expressions of each feature over the basket table below. */
const BASKET_COLUMNS: Record<(typeof DRIFT_FEATURES)[number]['key'], string> = {
  lines: 'least(count(*), 1000)::DOUBLE',
  spend: 'round(sum(SPEND::DOUBLE), 2)',
  quantity: 'sum(greatest(QUANTITY::DOUBLE, 0))',
  storeFormat: 'any_value(STORE_FORMAT)',
  storeRegion: 'any_value(STORE_REGION)',
  basketSize: 'any_value(BASKET_SIZE)',
  basketType: 'any_value(BASKET_TYPE)',
  mission: 'any_value(BASKET_DOMINANT_MISSION)',
  seg1: 'any_value(seg_1)',
  hour: 'any_value(SHOP_HOUR)::BIGINT::VARCHAR',
  weekday: 'any_value(SHOP_WEEKDAY)::BIGINT::VARCHAR',
};

export async function computeBaseline(
  ctx: Pick<ServiceContext, 'adapters'>,
  version: { id: string; datasetId: string },
  trainWeeks: [number, number] | null,
): Promise<ComputedBaseline> {
  const rowsDir = await localRowsDir(ctx.adapters.storage, version.datasetId, version.id, ctx.adapters.workDir ?? os.tmpdir());
  const db = await openDuckDb();
  try {
    const source = `read_parquet(${literal(path.join(rowsDir, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'STORE_REGION': VARCHAR, 'BASKET_TYPE': VARCHAR})`;
    const weeks = trainWeeks ? `and SHOP_WEEK between ${Math.trunc(trainWeeks[0])} and ${Math.trunc(trainWeeks[1])}` : '';
    const columns = Object.entries(BASKET_COLUMNS).map(([key, expr]) => `${expr} as "${key}"`).join(', ');
    await db.connection.run(`create temp table baskets as
      select any_value(BASKET_PRICE_SENSITIVITY) as "${LABEL_BASELINE_KEY}", ${columns}
      from ${source} where BASKET_PRICE_SENSITIVITY in ('LA', 'MM', 'UM') ${weeks} group by BASKET_ID`);
    const [{ n }] = (await all<{ n: number }>(db.connection, 'select count(*)::INTEGER as n from baskets')) as [{ n: number }];
    const features: BaselineFeatures = {};
    for (const f of DRIFT_FEATURES) {
      const col = `"${f.key}"`;
      if (f.kind === 'numeric') {
        const [row] = await all<{ q: (number | null)[] | null }>(db.connection, `select quantile_disc(${col}, [${DECILES.join(', ')}]) as q from baskets where ${col} is not null`);
        const edges = distinctEdges(row?.q ?? []);
        const counts = await all<{ bin: number; n: number }>(db.connection, `select ${bucketCase(col, edges)} as bin, count(*)::INTEGER as n from baskets where ${col} is not null group by 1`);
        const total = counts.reduce((s, c) => s + c.n, 0);
        const shares = new Array<number>(edges.length + 1).fill(0);
        for (const c of counts) shares[c.bin] = total ? c.n / total : 0;
        features[f.key] = { kind: 'numeric', edges, shares };
      } else {
        features[f.key] = { kind: 'categorical', shares: await categoricalShares(db.connection, col) };
      }
    }
    features[LABEL_BASELINE_KEY] = { kind: 'categorical', shares: await categoricalShares(db.connection, `"${LABEL_BASELINE_KEY}"`) };
    return { features, baskets: n };
  } finally {
    db.close();
  }
}

async function categoricalShares(connection: Parameters<typeof all>[0], col: string) {
  const counts = await all<{ value: string; n: number }>(
    connection,
    `select coalesce(nullif(trim(${col}::VARCHAR), ''), ${literal(MISSING_BIN)}) as value, count(*)::INTEGER as n from baskets group by 1`,
  );
  return topShares(counts);
}

/** The bin index as Postgres width_bucket(v, edges) gives it: how many edges are ≤ v. */
function bucketCase(col: string, edges: number[]): string {
  if (!edges.length) return '0';
  return `case ${edges.map((e, i) => `when ${col} < ${e} then ${i}`).join(' ')} else ${edges.length} end`;
}
