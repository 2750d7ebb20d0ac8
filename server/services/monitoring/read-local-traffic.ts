import 'server-only';
import type { TrafficPoint } from '@/lib/monitoring';
import type { Db } from '@/server/db/client';
import { addCounts, histogramQuantile, LATENCY_BOUNDS_MS } from './latency-histogram';
import { rollupRowsIn } from './rollup-spans';

/**
 * Local mode's traffic for the metrics service (read-metrics.ts): requests,
 * errors, status codes, predicted classes and the latency histogram per bucket of
 * the range's resolution, summed in SQL from the rollups — the hour rows for the
 * whole hours, the minute rows for the ends (rollup-spans.ts) — one row per
 * bucket; percentiles from the summed histograms, per bucket and overall.
 */
export type LocalTraffic = { traffic: TrafficPoint[]; p50_ms: number | null; p95_ms: number | null; p99_ms: number | null };

type Row = { t: bigint; requests: number; errors: number; latency: number[] | null; status: Record<string, number> | null; classes: Record<string, number> | null };

export async function readLocalTraffic(db: Db, deploymentId: string, from: number, to: number, res: number): Promise<LocalTraffic> {
  const rows = await db.$queryRaw<Row[]>`
    with r as (
      select (floor(extract(epoch from "bucketStart")::float8 / ${res}) * ${res})::bigint as t, requests, errors, "latencyCounts", "statusCounts", "predictionsByClass"
      from "MetricRollup"
      where "deploymentId" = ${deploymentId} and ${rollupRowsIn(from, to, res)}),
    totals as (select t, sum(requests)::float8 as requests, sum(errors)::float8 as errors from r group by t),
    latency as (
      select t, array_agg(n order by i) as latency from (
        select t, u.i, sum(u.c)::float8 as n from r, unnest(r."latencyCounts") with ordinality as u(c, i) group by 1, 2) x
      group by t),
    status as (
      select t, jsonb_object_agg(k, n) as status from (
        select t, e.key as k, sum(e.value::bigint) as n from r, jsonb_each_text(r."statusCounts") e group by 1, 2) x
      group by t),
    classes as (
      select t, jsonb_object_agg(k, n) as classes from (
        select t, e.key as k, sum(e.value::bigint) as n from r, jsonb_each_text(r."predictionsByClass") e group by 1, 2) x
      group by t)
    select t, requests, errors, latency, status, classes
    from totals left join latency using (t) left join status using (t) left join classes using (t)
    order by t`;
  let overall: number[] = [];
  const traffic = rows.map((row): TrafficPoint => {
    const latency = row.latency ?? [];
    overall = addCounts(overall, latency);
    const t = Number(row.t) * 1000;
    return {
      t: new Date(t).toISOString(), requests: row.requests, errors: row.errors, rps: row.requests / res,
      p50_ms: round(histogramQuantile(0.5, LATENCY_BOUNDS_MS, latency)), p95_ms: round(histogramQuantile(0.95, LATENCY_BOUNDS_MS, latency)), p99_ms: round(histogramQuantile(0.99, LATENCY_BOUNDS_MS, latency)),
      by_status: row.status ?? {}, by_class: row.classes ?? {},
    };
  });
  return {
    traffic,
    p50_ms: round(histogramQuantile(0.5, LATENCY_BOUNDS_MS, overall)), p95_ms: round(histogramQuantile(0.95, LATENCY_BOUNDS_MS, overall)), p99_ms: round(histogramQuantile(0.99, LATENCY_BOUNDS_MS, overall)),
  };
}

function round(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000;
}
