import type pg from 'pg';
import type { Db, Prisma } from '../../server/db/client';
import { ensureDefaultRules } from '../../server/services/alerts/default-rules';
import type { BaselineFeatures } from '../../server/services/monitoring/drift-psi';
import { LATENCY_BOUNDS_MS } from '../../server/services/monitoring/latency-histogram';

/**
 * A realistic 30-day monitoring history for bench/dashboard.ts, written in SQL
 * (generate_series, one statement per day), never row by row: one production
 * deployment, model v1 then v2 deployed half-way (with a shift in spend and
 * region afterwards, so drift has something to find), predictions with a daily
 * rhythm, about a fifth batch requests, `feedback` of them labelled up to six
 * hours later, the minute rollups the collector writes (derived from those
 * predictions, plus ~0.4 % 4xx/5xx responses), drift baselines, the default
 * alert rules with a month of firings, and the cost model's daily records.
 * Deterministic: every random draw is a hash of the row number. The rollups
 * derived from these rows (prediction and confusion counts, traffic hours) are
 * written by the database's triggers as the rows go in, as for any writer.
 */
export type SeedOptions = { predictions: number; days: number; feedback: number; now: number };
export type Seeded = { deploymentId: string; versions: [string, string]; deployAt: number; from: number; now: number };
type Progress = (message: string) => void;

const DAY_MS = 86_400_000;
export const SEED_DEPLOYMENT = 'production';

const REGIONS = ['E01', 'E02', 'E03', 'N01', 'N02', 'N03', 'S01', 'S02', 'S03', 'W01', 'W02'];
const FORMATS = ['LS', 'MS', 'SS', 'XLS'];
const SIZES = ['L', 'M', 'S'];
const TYPES = ['Full Shop', 'Small Shop', 'Top Up', 'XX'];
const MISSIONS = ['Fresh', 'Grocery', 'Mixed', 'Non Food', 'XX'];
const SEGMENTS = ['CT', 'DI', 'FN', 'GB', 'OA', 'OT', 'PE', 'YA'];

const textArray = (values: string[]) => `array[${values.map((v) => `'${v}'`).join(',')}]`;
const uniformShares = (values: string[], missing = 0) =>
  Object.fromEntries([...values.map((v) => [v, (1 - missing) / values.length] as const), ...(missing ? [['(missing)', missing] as const] : [])]);

/** What the worker would have computed from the training data: deciles and category shares close to the v1 traffic. */
export function benchBaseline(): BaselineFeatures {
  const deciles = (edges: number[]) => ({ kind: 'numeric' as const, edges, shares: new Array(edges.length + 1).fill(1 / (edges.length + 1)) as number[] });
  return {
    lines: deciles([1, 2, 3, 5, 6, 8, 11, 14, 21]),
    spend: deciles([3.1, 5.4, 7.9, 10.8, 14.2, 18.6, 24.5, 33.7, 52.9]),
    quantity: deciles([1, 3, 4, 6, 8, 11, 15, 20, 31]),
    storeFormat: { kind: 'categorical', shares: uniformShares(FORMATS) },
    storeRegion: { kind: 'categorical', shares: uniformShares(REGIONS) },
    basketSize: { kind: 'categorical', shares: uniformShares(SIZES) },
    basketType: { kind: 'categorical', shares: uniformShares(TYPES) },
    mission: { kind: 'categorical', shares: uniformShares(MISSIONS) },
    seg1: { kind: 'categorical', shares: uniformShares(SEGMENTS, 0.05) },
    hour: { kind: 'categorical', shares: uniformShares(Array.from({ length: 14 }, (_, i) => String(i + 8))) },
    weekday: { kind: 'categorical', shares: uniformShares(Array.from({ length: 7 }, (_, i) => String(i + 1))) },
    __label: { kind: 'categorical', shares: { LA: 0.3, MM: 0.45, UM: 0.25 } },
  };
}

/** The deployment, its two model versions (with drift baselines and offline metrics), the deploy events, users and the default alert rules. */
export async function seedEntities(db: Db, o: SeedOptions): Promise<Seeded> {
  const from = o.now - o.days * 86_400_000;
  const deployAt = from + (o.days / 2) * 86_400_000;
  const admin = await db.user.create({ data: { email: 'admin@bench.local', name: 'Bench admin', role: 'admin' } });
  await db.user.create({ data: { email: 'viewer@bench.local', name: 'Bench viewer', role: 'viewer' } });
  const dataset = await db.dataset.create({ data: { name: 'bench' } });
  const dv = await db.datasetVersion.create({ data: { datasetId: dataset.id, version: 1, status: 'ready' } });
  const metrics = (accuracy: number) => ({
    accuracy, macro_f1: accuracy - 0.01, confusion_matrix: { labels: ['LA', 'MM', 'UM'], matrix: [[260, 30, 10], [40, 380, 30], [10, 35, 205]] }, split: { trainWeeks: [200607, 200740] },
  });
  const versions: string[] = [];
  for (const v of [1, 2]) {
    const run = await db.run.create({
      data: { name: `bench v${v}`, datasetVersionId: dv.id, algorithm: 'gbdt', status: 'succeeded', startedAt: new Date(from - 3 * 86_400_000 + v * 3_600_000), finishedAt: new Date(from - 3 * 86_400_000 + v * 3_600_000 + 600_000), durationMs: 600_000, instanceType: 'ml.m5.large' },
    });
    const mv = await db.modelVersion.create({
      data: {
        version: v, runId: run.id, datasetVersionId: dv.id, datasetHash: 'bench', algorithm: 'gbdt', params: {}, metrics: metrics(0.82 + v / 100),
        artifactUri: `bench://v${v}`, artifactSha256: 'bench', status: 'Approved', gateResults: [], gatesPassed: true,
      },
    });
    versions.push(mv.id);
    await db.driftBaseline.create({ data: { modelVersionId: mv.id, features: benchBaseline() as unknown as Prisma.InputJsonValue, baskets: 50_000 } });
  }
  const dep = await db.deployment.create({ data: { name: SEED_DEPLOYMENT, currentModelVersionId: versions[1], currentSince: new Date(deployAt), servingStatus: 'serving' } });
  await db.deploymentEvent.createMany({
    data: [
      { deploymentId: dep.id, modelVersionId: versions[0]!, action: 'deploy', actorId: admin.id, startedAt: new Date(from - 2 * 86_400_000), endedAt: new Date(from - 2 * 86_400_000 + 60_000) },
      { deploymentId: dep.id, modelVersionId: versions[1]!, action: 'deploy', actorId: admin.id, previousModelVersionId: versions[0], startedAt: new Date(deployAt), endedAt: new Date(deployAt + 60_000) },
    ],
  });
  await ensureDefaultRules(db);
  return { deploymentId: dep.id, versions: [versions[0]!, versions[1]!], deployAt, from, now: o.now };
}

/** The case expression giving a latency's histogram bucket as the inference service counts it (le: v ≤ bound). */
function latencyBucketSql(column: string): string {
  return `case ${LATENCY_BOUNDS_MS.map((b, i) => `when ${column} <= ${b} then ${i}`).join(' ')} else ${LATENCY_BOUNDS_MS.length} end`;
}

export async function seedPredictions(client: pg.Client, seeded: Seeded, opts: SeedOptions, progress: Progress): Promise<void> {
  const { deploymentId, versions, deployAt } = seeded;
  const spanSeconds = opts.days * 86_400;
  const from = seeded.from;
  await client.query(`create or replace function pg_temp.u(i bigint, k int) returns float8 language sql immutable parallel safe as
    $$ select (hashint8extended(i, k) & 9007199254740991)::float8 / 9007199254740992 $$`);
  // Loading without the secondary indexes and the primary key, then building them once, is several times faster.
  const { rows: indexes } = await client.query<{ def: string }>(
    `select indexdef as def from pg_indexes where tablename = 'Prediction' and indexname <> 'Prediction_pkey'`);
  for (const { def } of indexes) await client.query(`drop index "${/INDEX "?([^" ]+)"? ON/.exec(def)![1]}"`);
  await client.query(`alter table "Prediction" drop constraint "Prediction_pkey"`);
  await client.query('set synchronous_commit = off');

  const perDay = Math.ceil(opts.predictions / opts.days);
  const started = performance.now();
  for (let day = 0; day < opts.days; day++) {
    const lo = day * perDay;
    const hi = Math.min(opts.predictions, lo + perDay);
    if (lo >= hi) break;
    // Row i sits at fraction i/N of the span, warped by a daily rhythm (busier around midday, quiet at night).
    await client.query(`
      insert into "Prediction" ("requestId", item, "deploymentId", "modelVersionId", "keyId", at, "predictedLabel", probabilities, "latencyMs", features, "trueLabel", "feedbackAt")
      select case when i % 10 < 8 then 'q' || i else 'q' || (i - i % 10 + 8) end,
             case when i % 10 < 8 then 0 else (i % 10 - 8)::int end,
             $1, case when at < $4::timestamp(3) then $2 else $3 end, 'key-bench', at, label,
             case label when 'LA' then '{"LA":0.62,"MM":0.28,"UM":0.10}'::jsonb when 'MM' then '{"LA":0.18,"MM":0.64,"UM":0.18}'::jsonb else '{"LA":0.09,"MM":0.3,"UM":0.61}'::jsonb end,
             round((exp(ln(2.5) + 0.55 * z2) + case when pg_temp.u(i, 8) < 0.01 then 60 * pg_temp.u(i, 9) else 0 end)::numeric, 3)::float8,
             jsonb_build_object(
               'lines', lines, 'spend', round((lines * exp(0.55 + 0.5 * z1) * case when at < $4::timestamp(3) then 1 else 1.25 end)::numeric, 2)::float8,
               'quantity', lines + floor(-ln(1 - pg_temp.u(i, 4)) * lines * 0.6),
               'storeFormat', (${textArray(FORMATS)})[1 + floor(pg_temp.u(i, 5) * ${FORMATS.length})::int],
               'storeRegion', (${textArray(REGIONS)})[1 + floor(pg_temp.u(i, 6) ^ case when at < $4::timestamp(3) then 1 else 1.6 end * ${REGIONS.length})::int],
               'basketSize', (${textArray(SIZES)})[1 + floor(pg_temp.u(i, 10) * ${SIZES.length})::int],
               'basketType', (${textArray(TYPES)})[1 + floor(pg_temp.u(i, 11) * ${TYPES.length})::int],
               'mission', (${textArray(MISSIONS)})[1 + floor(pg_temp.u(i, 12) * ${MISSIONS.length})::int],
               'seg1', case when pg_temp.u(i, 13) < 0.05 then null else (${textArray(SEGMENTS)})[1 + floor(pg_temp.u(i, 14) * ${SEGMENTS.length})::int] end,
               'hour', 8 + floor(pg_temp.u(i, 15) * 14)::int, 'weekday', 1 + floor(pg_temp.u(i, 16) * 7)::int),
             case when fb then case when pg_temp.u(i, 18) < 0.83 then label else (array['LA','MM','UM'])[1 + floor(pg_temp.u(i, 19) * 3)::int] end end,
             case when fb then least(at + (pg_temp.u(i, 20) ^ 2 * 6 * 3600) * interval '1 second', $6::timestamp(3)) end
      from (
        select i, $5::timestamp(3) + (s - 0.5 * 86400 / (2 * pi()) * sin(2 * pi() * s / 86400)) * interval '1 second' as at,
               least(1000, 1 + floor(-ln(1 - pg_temp.u(i, 1)) * 7))::int as lines,
               sqrt(-2 * ln(1 - pg_temp.u(i, 2))) * cos(2 * pi() * pg_temp.u(i, 3)) as z1,
               sqrt(-2 * ln(1 - pg_temp.u(i, 21))) * cos(2 * pi() * pg_temp.u(i, 22)) as z2,
               case when pg_temp.u(i, 7) < 0.3 then 'LA' when pg_temp.u(i, 7) < 0.75 then 'MM' else 'UM' end as label,
               pg_temp.u(i, 17) < $7 as fb
        from generate_series($8::bigint, $9::bigint - 1) as i, lateral (select i::float8 / $10 * $11 as s) s
      ) g`,
    [deploymentId, versions[0], versions[1], new Date(deployAt).toISOString(), new Date(from).toISOString(), new Date(opts.now - 1000).toISOString(),
      opts.feedback, lo, hi, opts.predictions, spanSeconds]);
    const done = hi / opts.predictions;
    const elapsed = (performance.now() - started) / 1000;
    progress(`predictions: ${hi.toLocaleString('en-US')} / ${opts.predictions.toLocaleString('en-US')} (day ${day + 1} of ${opts.days}, ${elapsed.toFixed(0)} s, ~${(elapsed / done - elapsed).toFixed(0)} s left)`);
  }
  progress('predictions: building the primary key and indexes');
  await client.query(`alter table "Prediction" add constraint "Prediction_pkey" primary key ("requestId", item)`);
  for (const { def } of indexes) await client.query(def);
  progress('predictions: vacuum analyze');
  await client.query('vacuum analyze "Prediction"');
}

/** The minute rollups the collector would have written for this traffic (requests = item 0 rows, plus a few errors). */
export async function seedMinuteRollups(client: pg.Client, progress: Progress): Promise<void> {
  progress('minute rollups: aggregating predictions per minute');
  const latencyCounts = LATENCY_BOUNDS_MS.map((_, i) => `count(*) filter (where item = 0 and b = ${i})`).concat(`count(*) filter (where item = 0 and b = ${LATENCY_BOUNDS_MS.length})`);
  await client.query(`
    insert into "MetricRollup" ("deploymentId", "modelVersionId", "bucketStart", "bucketSeconds", requests, errors, "statusCounts", "latencyBucketsMs", "latencyCounts", "latencySumMs", "predictionsByClass")
    select "deploymentId", v, m, 60, ok + e4 + e5, e4 + e5,
           jsonb_strip_nulls(jsonb_build_object('200', ok, '400', nullif(e4, 0), '500', nullif(e5, 0))),
           $1::float8[], lat, sum_ms, classes
    from (
      select "deploymentId", max("modelVersionId") as v, date_trunc('minute', at) as m,
             count(*) filter (where item = 0)::int as ok,
             floor(count(*) filter (where item = 0) * 0.003 + pg_temp.u(extract(epoch from date_trunc('minute', at))::bigint, 30))::int as e4,
             floor(count(*) filter (where item = 0) * 0.001 + pg_temp.u(extract(epoch from date_trunc('minute', at))::bigint, 31))::int as e5,
             array[${latencyCounts.join(', ')}]::int[] as lat,
             coalesce(sum("latencyMs") filter (where item = 0), 0) as sum_ms,
             jsonb_strip_nulls(jsonb_build_object('LA', nullif(count(*) filter (where "predictedLabel" = 'LA'), 0), 'MM', nullif(count(*) filter (where "predictedLabel" = 'MM'), 0), 'UM', nullif(count(*) filter (where "predictedLabel" = 'UM'), 0))) as classes
      from (select *, ${latencyBucketSql('"latencyMs"')} as b from "Prediction") p
      group by 1, 3) x`, [LATENCY_BOUNDS_MS]);
  await client.query('vacuum analyze "MetricRollup"');
}

/** A month of alert history on the default rules: a firing and its resolution every few hours, one latency alert still open. */
export async function seedAlertHistory(client: pg.Client, opts: SeedOptions): Promise<void> {
  await client.query(`
    insert into "AlertEvent" (id, "ruleId", state, value, message, "firedAt", "resolvedAt", "notifiedAt")
    select 'ae' || r.id || '-' || k, r.id, case when k = 0 and r.kind = 'latency_p95' then 'firing' else 'resolved' end, 0.3,
           r.name || ' fired', $1::timestamp(3) - (k * 7 + 1) * interval '1 hour',
           case when k = 0 and r.kind = 'latency_p95' then null else $1::timestamp(3) - (k * 7 + 1) * interval '1 hour' + interval '25 minutes' end,
           $1::timestamp(3) - (k * 7 + 1) * interval '1 hour'
    from "AlertRule" r, generate_series(0, $2::int) as k`, [new Date(opts.now).toISOString(), Math.floor((opts.days * 24) / 7)]);
}

/** The cost model's daily records for the span (what record-daily-costs writes every 10 minutes), inference attributed to the serving version. */
export async function seedCosts(client: pg.Client, seeded: Seeded, opts: SeedOptions): Promise<void> {
  const first = new Date(opts.now - opts.days * DAY_MS - 7 * DAY_MS);
  await client.query(`
    insert into "CostRecord" (id, day, component, source, "amountUsd", "usageQuantity", "usageUnit", "deploymentId", "modelVersionId")
    select 'cr' || d::date || c, d::date, c::"CostComponent", 'cost_model',
           case c when 'inference' then 3.2 when 'training' then 1.1 when 'storage' then 0.4 when 'data_transfer' then 0.2 else 2.5 end,
           case c when 'control_plane' then 24 else null end, case c when 'control_plane' then 'hours' else null end,
           case when c in ('inference', 'data_transfer') then $1 end,
           case when c in ('inference', 'data_transfer') then case when d < $4::timestamp(3) then $2 else $3 end end
    from generate_series($5::timestamp(3), $6::timestamp(3), interval '1 day') d,
         unnest(array['training', 'inference', 'storage', 'data_transfer', 'control_plane']) c`,
  [seeded.deploymentId, seeded.versions[0], seeded.versions[1], new Date(seeded.deployAt).toISOString(), first.toISOString(), new Date(opts.now).toISOString()]);
}
