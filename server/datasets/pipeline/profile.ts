import type { DuckDBConnection } from '@duckdb/node-api';
import { all, identifier, one } from '../duckdb';
import type { Bin, ColumnProfile, DatasetProfile } from '@/lib/datasets/types';
import { COLUMNS } from '../schema';

/**
 * What the dataset page charts: counts, the label distribution per row and per
 * basket, per-column distributions and missing counts, histograms and weekly
 * volume. Small (a few KB) so it is stored with the version and served as is.
 */
export type { Bin, ColumnProfile, DatasetProfile } from '@/lib/datasets/types';

const SPEND_EDGES = [0, 0.5, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 50];
const QUANTITY_EDGES = [1, 2, 3, 4, 5, 6, 7, 8, 10, 15, 20, 50];
const LINES_EDGES = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50];
const BASKET_SPEND_EDGES = [0, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200];

function formatEdge(x: number) {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/** Histogram over half-open bins [edge_i, edge_i+1) plus an open last bin; values below the first edge join the first bin. */
async function histogram(c: DuckDBConnection, expr: string, from: string, edges: number[], integer = false): Promise<Bin[]> {
  const cases = edges.map((edge, i) => `when ${expr} >= ${edge} then ${i}`).reverse().join(' ');
  const rows = await all<{ bin: number; n: number }>(c, `select case ${cases} else 0 end as bin, count(*) as n from ${from} group by bin`);
  const counts = new Map(rows.map((r) => [r.bin, r.n]));
  return edges.map((edge, i) => {
    const next = edges[i + 1] ?? null;
    const label = next === null ? `${formatEdge(edge)}+` : integer && next - edge === 1 ? formatEdge(edge) : `${formatEdge(edge)}–${formatEdge(integer ? next - 1 : next)}`;
    return { label, from: edge, to: next, count: counts.get(i) ?? 0 };
  });
}

/** Two scans for all columns' missing/distinct/numeric stats, then one group-by per categorical column. */
async function columnProfiles(c: DuckDBConnection): Promise<ColumnProfile[]> {
  const numeric = COLUMNS.filter((col) => col.kind === 'integer' || col.kind === 'number');
  const base = await one(c, `select ${COLUMNS.map((col) => {
    const n = identifier(col.name);
    return `count(*) filter (where ${n} is null) as ${identifier(`${col.name}:missing`)}, approx_count_distinct(${n}) as ${identifier(`${col.name}:distinct`)}`;
  }).join(', ')} from rows`);
  const stats = await one(c, `select ${numeric.map((col) => {
    const n = identifier(col.name);
    return `{ 'min': min(${n})::DOUBLE, 'max': max(${n})::DOUBLE, 'mean': avg(${n}), 'q': quantile_cont(${n}, [0.5, 0.95, 0.99]) } as ${n}`;
  }).join(', ')} from rows`);
  const profiles: ColumnProfile[] = [];
  for (const col of COLUMNS) {
    const profile: ColumnProfile = { name: col.name, type: col.type, missing: Number(base[`${col.name}:missing`]), distinct: Number(base[`${col.name}:distinct`]) };
    const s = stats[col.name] as { min: number; max: number; mean: number; q: number[] } | undefined;
    if (s) profile.numeric = { min: s.min, max: s.max, mean: s.mean, p50: s.q[0] ?? 0, p95: s.q[1] ?? 0, p99: s.q[2] ?? 0 };
    if (col.kind !== 'id' && col.kind !== 'date' && !(col.kind === 'number')) {
      profile.top = await all<{ value: string; count: number }>(c, `select ${identifier(col.name)}::VARCHAR as value, count(*) as count from rows where ${identifier(col.name)} is not null group by 1 order by 2 desc, 1 limit 12`);
    }
    profiles.push(profile);
  }
  return profiles;
}

export async function profileRows(c: DuckDBConnection): Promise<DatasetProfile> {
  await c.run(`create or replace temp table basket_summary as
    select BASKET_ID, any_value(BASKET_PRICE_SENSITIVITY) as label, any_value(SHOP_WEEK) as week, any_value(SHOP_HOUR) as hour,
      count(*) as lines, sum(SPEND) as spend from rows group by BASKET_ID`);
  const counts = await one<DatasetProfile['counts']>(c, `select
      (select count(*) from rows) as rows,
      (select count(*) from basket_summary) as baskets,
      (select count(*) from basket_summary where label in ('LA', 'MM', 'UM')) as "labelledBaskets",
      (select count(distinct CUST_CODE) from rows) as customers,
      (select count(distinct PROD_CODE) from rows) as products,
      (select count(distinct STORE_CODE) from rows) as stores,
      (select count(distinct SHOP_WEEK) from rows) as weeks,
      (select min(SHOP_WEEK) from rows) as "firstWeek", (select max(SHOP_WEEK) from rows) as "lastWeek",
      (select min(SHOP_DATE)::VARCHAR from rows) as "firstDate", (select max(SHOP_DATE)::VARCHAR from rows) as "lastDate"`);
  const labels = await all<DatasetProfile['labels'][number]>(c,
    `select r.label, r.rows, coalesce(b.baskets, 0) as baskets
     from (select BASKET_PRICE_SENSITIVITY as label, count(*) as rows from rows group by 1) r
     left join (select label, count(*) as baskets from basket_summary group by 1) b using (label) order by r.label`);
  const columns = await columnProfiles(c);
  const weekly = await all<DatasetProfile['weekly'][number]>(c,
    `select w.week, w.rows, b.baskets, w.spend, b."LA", b."MM", b."UM", b."XX" from
       (select SHOP_WEEK as week, count(*) as rows, round(sum(SPEND), 2) as spend from rows group by 1) w
       join (select week, count(*) as baskets, count(*) filter (where label = 'LA') as "LA", count(*) filter (where label = 'MM') as "MM",
               count(*) filter (where label = 'UM') as "UM", count(*) filter (where label = 'XX') as "XX" from basket_summary group by 1) b using (week)
     order by week`);
  const hours = await all<DatasetProfile['hours'][number]>(c, `select hour, count(*) as baskets from basket_summary group by 1 order by 1`);
  return {
    counts,
    labels,
    columns,
    histograms: {
      spend: await histogram(c, 'SPEND', 'rows', SPEND_EDGES),
      quantity: await histogram(c, 'QUANTITY', 'rows', QUANTITY_EDGES, true),
      linesPerBasket: await histogram(c, 'lines', 'basket_summary', LINES_EDGES, true),
      basketSpend: await histogram(c, 'spend', 'basket_summary', BASKET_SPEND_EDGES),
    },
    weekly,
    hours,
  };
}
