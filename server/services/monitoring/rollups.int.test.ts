import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telemetryKey } from '@/inference/src/contract';
import { confusionScores, addConfusion, type Confusion } from '@/lib/monitoring';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { StoragePort } from '@/server/adapters/storage/port';
import { createPrismaClient, type Db, type Prisma } from '@/server/db/client';
import { applyMigrations } from '@/server/db/migrate';
import { createTestDatabase } from '@/test/db';
import { actualRollups, expectedRollups } from '@/test/monitoring-rollups';
import { tempDir } from '@/test/transactions';
import type { ServiceContext } from '../context';
import { applyRetention } from './apply-retention';
import { driftAgainst } from './drift';
import type { BaselineFeatures } from './drift-psi';
import { syncDriftRollups } from './drift-rollups';
import { ingestTelemetry } from './ingest-telemetry';
import { histogramQuantile, LATENCY_BOUNDS_MS } from './latency-histogram';
import { getDeploymentMetrics } from './read-metrics';
import { addRollup } from './scrape-metrics';

/**
 * The rollups the dashboard reads against the raw rows they summarise: equal
 * after ingestion, late and corrected feedback, files read twice, other writers
 * and retention; the reads over them (metrics, live accuracy, drift) equal the
 * same numbers computed from the raw rows; an upgraded installation gets them
 * built from the history it has.
 */
let db: Db;
let dir: string;
let storage: StoragePort;
let system: ServiceContext;
let dep: { id: string; name: string };
let versions: [string, string];
const MIN = 60_000;
const HOUR = 3_600_000;
/** The clock of every scenario (not on a minute or hour boundary). */
const T0 = Date.UTC(2030, 0, 10, 12, 34, 56, 789);
const at = (ms: number) => ({ ...system, now: () => new Date(ms) });
const LABELS = ['LA', 'MM', 'UM'];
const METRICS = { accuracy: 0.8, macro_f1: 0.79, confusion_matrix: { labels: LABELS, matrix: [[30, 5, 5], [5, 40, 5], [5, 5, 30]] } };

const baseline = (shift = 0): BaselineFeatures => ({
  lines: { kind: 'numeric', edges: [2, 5 + shift, 9], shares: [0.2, 0.3, 0.3, 0.2] },
  spend: { kind: 'numeric', edges: [10.5, 30, 55.25], shares: [0.25, 0.25, 0.25, 0.25] },
  storeFormat: { kind: 'categorical', shares: { LS: 0.5, SS: 0.3, MS: 0.2 } },
  hour: { kind: 'categorical', shares: Object.fromEntries(Array.from({ length: 14 }, (_, k) => [String(8 + k), 1 / 14])) },
  __label: { kind: 'categorical', shares: { LA: 0.3, MM: 0.4, UM: 0.3 } },
});

const features = (i: number) => ({
  lines: 1 + (i % 12), spend: Math.round(((i * 7.3) % 80) * 100) / 100, quantity: i % 20,
  storeFormat: ['LS', 'SS', 'MS', 'XLS', null][i % 5] ?? null, hour: 8 + (i % 15), weekday: 1 + (i % 7),
});
const labelOf = (i: number) => LABELS[i % 3]!;
const prediction = (id: string, item: number, i: number, t: number, mv = versions[0]) => ({
  type: 'prediction', requestId: id, item, at: new Date(t).toISOString(), modelVersionId: mv, keyId: 'k', label: labelOf(i),
  probabilities: { LA: 0.2, MM: 0.5, UM: 0.3 }, latencyMs: 1 + (i % 9), features: features(i),
});
const feedback = (id: string, item: number, t: number, trueLabel: string) => ({ type: 'feedback', requestId: id, item, at: new Date(t).toISOString(), keyId: 'k', trueLabel });

let seq = 0;
async function writeFile(records: object[]) {
  await storage.put(telemetryKey('production', new Date(T0), 'replica', 'boot', seq++), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
const ingest = () => ingestTelemetry(at(T0), { retentionDays: 30, scope: 'days' });
const expectRollupsMatchRows = async () => expect(await actualRollups(db)).toEqual(await expectedRollups(db));

/** Drift from the raw rows, as before any bins existed: the bin state is set aside for the call. */
async function rawDrift(where: Parameters<typeof driftAgainst>[1], b: BaselineFeatures) {
  const states = await db.driftRollupState.findMany();
  await db.driftRollupState.deleteMany();
  try {
    return await driftAgainst(db, where, b, METRICS, 1e9);
  } finally {
    await db.driftRollupState.createMany({ data: states });
  }
}

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  dir = await tempDir();
  storage = createLocalStorage(path.join(dir, 'storage'));
  system = { actor: { kind: 'system', label: 'rollups test' }, db, adapters: { storage } };
  const dataset = await db.dataset.create({ data: { name: 'rollups' } });
  const dv = await db.datasetVersion.create({ data: { datasetId: dataset.id, version: 1, status: 'ready' } });
  const ids: string[] = [];
  for (const v of [1, 2]) {
    const run = await db.run.create({ data: { name: `v${v}`, datasetVersionId: dv.id, algorithm: 'gbdt', status: 'succeeded' } });
    const mv = await db.modelVersion.create({ data: { version: v, runId: run.id, datasetVersionId: dv.id, datasetHash: 'h', algorithm: 'gbdt', params: {}, metrics: METRICS, artifactUri: `x://${v}`, artifactSha256: 'x', gateResults: [], gatesPassed: true } });
    await db.driftBaseline.create({ data: { modelVersionId: mv.id, features: baseline(v - 1) as unknown as Prisma.InputJsonValue, baskets: 100 } });
    ids.push(mv.id);
  }
  versions = [ids[0]!, ids[1]!];
  dep = await db.deployment.create({ data: { name: 'production', currentModelVersionId: versions[0] }, select: { id: true, name: true } });
}, 60_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('monitoring rollups', () => {
  it('keep prediction and confusion counts equal to the rows: ingestion, late and corrected feedback, files read twice, other writers, retention', async () => {
    // 400 predictions over ~40 hours (some batch requests, both versions), and feedback for 10 not yet ingested.
    await writeFile([
      ...Array.from({ length: 400 }, (_, i) => (i < 100 ? prediction(`r${Math.floor(i / 2)}`, i % 2, i, T0 - i * 6 * MIN - (i % 7) * 1000, versions[i % 3 === 0 ? 1 : 0]) : prediction(`r${i}`, 0, i, T0 - i * 6 * MIN - (i % 7) * 1000))),
      ...Array.from({ length: 10 }, (_, k) => feedback(`late${k}`, 0, T0 - k * MIN, labelOf(k + 1))),
    ]);
    expect(await ingest()).toMatchObject({ predictions: 400, pendingFeedback: 10 });
    await expectRollupsMatchRows();

    // Feedback for 150 of them, minutes to hours after each prediction, one in four wrong.
    await writeFile(Array.from({ length: 150 }, (_, i) => {
      const id = i < 100 ? `r${Math.floor(i / 2)}` : `r${i}`;
      return feedback(id, i < 100 ? i % 2 : 0, T0 - i * 6 * MIN + (i % 50) * MIN, i % 4 === 0 ? labelOf(i + 1) : labelOf(i));
    }));
    await ingest();
    await expectRollupsMatchRows();

    // The late predictions arrive (their feedback waiting is joined), and 20 labels are corrected later.
    await writeFile([
      ...Array.from({ length: 10 }, (_, k) => prediction(`late${k}`, 0, k, T0 - k * MIN - 30_000)),
      ...Array.from({ length: 20 }, (_, i) => feedback(`r${i + 100}`, 0, T0 - 5 * MIN, labelOf(i + 2))),
    ]);
    expect(await ingest()).toMatchObject({ predictions: 10 });
    expect(await db.pendingFeedback.count()).toBe(0);
    await expectRollupsMatchRows();

    // Every file read again: nothing counts twice.
    const before = await actualRollups(db);
    await db.telemetryFile.deleteMany();
    expect(await ingest()).toMatchObject({ files: 3, predictions: 0 });
    expect(await actualRollups(db)).toEqual(before);

    // Another writer, straight into the table: rows, a label, a deletion.
    await db.prediction.createMany({ data: [0, 1, 2].map((k) => ({ requestId: `direct${k}`, deploymentId: dep.id, modelVersionId: null, at: new Date(T0 - k * HOUR), predictedLabel: 'UM', latencyMs: 1, trueLabel: 'UM', feedbackAt: new Date(T0 - k * HOUR + MIN) })) });
    await db.prediction.update({ where: { requestId_item: { requestId: 'r390', item: 0 } }, data: { trueLabel: 'LA', feedbackAt: new Date(T0 - 2 * MIN) } });
    await db.prediction.delete({ where: { requestId_item: { requestId: 'r120', item: 0 } } });
    await expectRollupsMatchRows();

    // Retention 30 days later: the oldest predictions go, with whole hours of rollups.
    const removed = await applyRetention(at(T0 + 30 * 86_400_000 - 20 * HOUR), { retentionDays: 30 });
    expect(removed.predictions).toBeGreaterThan(100);
    expect(removed.predictionRollups).toBeGreaterThan(0);
    await expectRollupsMatchRows();
    expect(await db.predictionRollup.count({ where: { bucketStart: { lt: new Date(Math.floor((T0 - 20 * HOUR) / HOUR) * HOUR) } } })).toBe(0);
  });

  it('live accuracy over a range equals the confusion counts of the rows whose feedback minute lies in it', async () => {
    const rows = await db.prediction.findMany({ where: { deploymentId: dep.id, trueLabel: { not: null } }, select: { trueLabel: true, predictedLabel: true, feedbackAt: true } });
    for (const [range, res] of [['1h', 60], ['24h', 300], ['7d', 3600], ['30d', 3600]] as const) {
      const m = await getDeploymentMetrics(at(T0), { deployment: 'production', range });
      const from = T0 - { '1h': 1, '24h': 24, '7d': 168, '30d': 720 }[range] * HOUR;
      const c: Confusion = {};
      for (const r of rows) {
        const minute = Math.floor(r.feedbackAt!.getTime() / MIN) * MIN;
        if (minute >= from && minute < T0) addConfusion(c, r.trueLabel!, r.predictedLabel, 1);
      }
      const s = confusionScores(c);
      expect(m.range.resolution_seconds).toBe(res);
      expect({ labelled: m.labelled, accuracy: m.live_accuracy }, range).toEqual({ labelled: s.labelled, accuracy: s.accuracy === null ? null : Math.round(s.accuracy * 1e4) / 1e4 });
      expect(m.series.accuracy.reduce((sum, p) => sum + p.labelled, 0)).toBe(s.labelled);
    }
  });

  it('keeps the traffic rollup’s hour rows the sum of their minutes, and reads long ranges from them exactly', async () => {
    const canary = await db.deployment.create({ data: { name: 'canary' } });
    const delta = (k: number) => ({
      requests: 3 + (k % 5), errors: k % 3 === 0 ? 1 : 0, statusCounts: { 200: 2 + (k % 5), ...(k % 3 === 0 ? { [k % 2 ? '500' : '404']: 1 } : {}) },
      latencyCounts: LATENCY_BOUNDS_MS.map((_, i) => (i === k % 6 ? 2 : i === 9 ? k % 2 : 0)).concat(k % 4 === 0 ? 1 : 0), latencySumMs: 1.25 * k,
      predictionsByClass: { [labelOf(k)]: 3 + (k % 5) },
    });
    // Three days of minutes (every 7th); every third scraped twice, the second merging into the row.
    for (let k = 0; k < 3 * 24 * 60; k += 7) {
      const minute = new Date(Math.floor((T0 - k * MIN) / MIN) * MIN);
      await db.$transaction(async (tx) => {
        await addRollup(tx, canary.id, versions[k % 2]!, minute, delta(k));
        if (k % 3 === 0) await addRollup(tx, canary.id, versions[0], minute, delta(k + 1));
      });
    }
    await db.metricRollup.create({ data: { deploymentId: canary.id, bucketStart: new Date(T0 - 50 * HOUR + 1234), bucketSeconds: 60, requests: 5, latencyBucketsMs: LATENCY_BOUNDS_MS, latencyCounts: [5], statusCounts: { 200: 5 } } });
    await expectRollupsMatchRows();

    const minutes = await db.metricRollup.findMany({ where: { deploymentId: canary.id, bucketSeconds: 60 } });
    const ranges: [string, Parameters<typeof getDeploymentMetrics>[1], number][] = [
      ['30d', { deployment: 'canary', range: '30d' }, 3600],
      ['7d', { deployment: 'canary', range: '7d' }, 3600],
      ['24h', { deployment: 'canary', range: '24h' }, 300],
      ['custom, hourly', { deployment: 'canary', from: new Date(T0 - 8 * 24 * HOUR - 17 * MIN).toISOString(), to: new Date(T0 - 3 * HOUR - 41 * MIN).toISOString() }, 3600],
    ];
    for (const [name, query, res] of ranges) {
      const m = await getDeploymentMetrics(at(T0), query);
      expect(m.range.resolution_seconds, name).toBe(res);
      const from = Date.parse(m.range.from);
      const inRange = minutes.filter((r) => r.bucketStart.getTime() >= from && r.bucketStart.getTime() < Date.parse(m.range.to));
      const latency = LATENCY_BOUNDS_MS.map((_, i) => i).concat(LATENCY_BOUNDS_MS.length).map((i) => inRange.reduce((s, r) => s + (r.latencyCounts[i] ?? 0), 0));
      expect({ requests: m.requests, errors: m.errors, p95: m.p95_ms }, name).toEqual({
        requests: inRange.reduce((s, r) => s + r.requests, 0), errors: inRange.reduce((s, r) => s + r.errors, 0),
        p95: Math.round(histogramQuantile(0.95, LATENCY_BOUNDS_MS, latency)! * 1000) / 1000,
      });
      expect(m.series.traffic.reduce((s, p) => s + Object.values(p.by_class).reduce((a, b) => a + b, 0), 0), name)
        .toBe(inRange.reduce((s, r) => s + Object.values(r.predictionsByClass as Record<string, number>).reduce((a, b) => a + b, 0), 0));
      expect(m.series.traffic.length, name).toBeLessThanOrEqual(720);
    }
  });

  it('counts drift from hour bins exactly as from the raw rows, kept by ingestion, rebuilt for a new baseline or version', async () => {
    const ranges = [
      { from: new Date(T0 - 30 * 86_400_000), to: new Date(T0) },
      { from: new Date(T0 - 5.5 * HOUR - 7 * MIN), to: new Date(T0 - 31 * MIN) },
      { from: new Date(T0 - 20 * HOUR), to: new Date(T0 - 20 * HOUR + 40 * MIN) },
    ];
    const compare = async (mv: string, b: BaselineFeatures) => {
      for (const r of ranges) {
        const where = { deploymentId: dep.id, modelVersionId: mv, ...r };
        const binned = await driftAgainst(db, where, b, METRICS);
        expect(binned, r.from.toISOString()).toEqual(await rawDrift(where, b));
      }
    };
    // Drift the raw way first; then the worker bins the history and the answers stay the same.
    const raw = await driftAgainst(db, { deploymentId: dep.id, modelVersionId: versions[0], ...ranges[0]! }, baseline(0), METRICS, 1e9);
    expect(raw.sampledCount).toBeGreaterThan(200);
    expect(await syncDriftRollups(at(T0), { retentionDays: 30, budgetMs: 60_000 })).toMatchObject({ deployments: 1, done: true });
    expect(await db.driftRollup.count()).toBeGreaterThan(0);
    expect(await driftAgainst(db, { deploymentId: dep.id, modelVersionId: versions[0], ...ranges[0]! }, baseline(0), METRICS, 1e9)).toEqual(raw);
    await compare(versions[0], baseline(0));
    // And the answer does come from the bins: one more in each hour's row count shows.
    await db.driftRollup.updateMany({ where: { key: 0 }, data: { n: { increment: 1 } } });
    expect((await driftAgainst(db, { deploymentId: dep.id, modelVersionId: versions[0], ...ranges[0]! }, baseline(0), METRICS)).sampledCount).toBeGreaterThan(raw.sampledCount);
    await db.driftRollup.updateMany({ where: { key: 0 }, data: { n: { decrement: 1 } } });

    // New traffic, and a late file for an hour binned long ago: ingestion bins both. Read twice, still once.
    await writeFile([prediction('new1', 0, 7, T0 - 2 * MIN), prediction('new2', 0, 8, T0 - 3 * MIN), prediction('old1', 0, 9, T0 - 19.5 * HOUR)]);
    expect(await ingest()).toMatchObject({ predictions: 3 });
    await compare(versions[0], baseline(0));
    await db.telemetryFile.deleteMany();
    await ingest();
    await compare(versions[0], baseline(0));

    // The baseline computed again: its old bins are not used (raw rows meanwhile), then binned again.
    await db.driftBaseline.update({ where: { modelVersionId: versions[0] }, data: { features: baseline(1) as unknown as Prisma.InputJsonValue } });
    await compare(versions[0], baseline(1));
    await syncDriftRollups(at(T0), { retentionDays: 30, budgetMs: 60_000 });
    await compare(versions[0], baseline(1));

    // A new version serving: the old version's bins go, the new baseline's are built.
    await db.deployment.update({ where: { id: dep.id }, data: { currentModelVersionId: versions[1] } });
    await syncDriftRollups(at(T0), { retentionDays: 30, budgetMs: 60_000 });
    expect(await db.driftRollupState.findMany({ select: { modelVersionId: true } })).toEqual([{ modelVersionId: versions[1] }]);
    expect(await db.driftRollup.count({ where: { modelVersionId: versions[0] } })).toBe(0);
    await compare(versions[1], baseline(1));

    // Retention takes whole hours of bins with their predictions; what stays still agrees.
    await applyRetention(at(T0 + 30 * 86_400_000 - 10 * HOUR), { retentionDays: 30 });
    ranges.splice(0, 3, { from: new Date(T0 - 9 * HOUR - 13 * MIN), to: new Date(T0) });
    await compare(versions[1], baseline(1));
    await expectRollupsMatchRows();
  });

  it('samples the raw ends of a busy range only, and scales them: close to the exact answer', async () => {
    const busy = await db.deployment.create({ data: { name: 'busy', currentModelVersionId: versions[1] }, select: { id: true } });
    await db.prediction.createMany({
      data: Array.from({ length: 6000 }, (_, i) => ({
        requestId: `busy${i}`, deploymentId: busy.id, modelVersionId: versions[1], at: new Date(T0 - 3 * HOUR + i * 1800), predictedLabel: labelOf(i), latencyMs: 1,
        features: features((i * 7919) % 1000) as Prisma.InputJsonValue,
      })),
    });
    await syncDriftRollups(at(T0), { retentionDays: 30, budgetMs: 60_000 });
    // Both ends are counted as their hour's bins minus the rest of the hour (the shorter part): 25 minutes of raw rows.
    const where = { deploymentId: busy.id, modelVersionId: versions[1], from: new Date(T0 - 2 * HOUR - 20 * MIN), to: new Date(T0 - 10 * MIN) };
    const exact = await driftAgainst(db, where, baseline(1), METRICS);
    expect(exact).toEqual(await rawDrift(where, baseline(1)));
    const sampled = await driftAgainst(db, where, baseline(1), METRICS, 1000, 200);
    expect(sampled.recentCount).toBe(exact.recentCount);
    expect(sampled.sampledCount).not.toBe(exact.sampledCount);
    expect(Math.abs(sampled.sampledCount - exact.sampledCount)).toBeLessThan(exact.sampledCount * 0.05);
    for (const f of sampled.features) expect(Math.abs(f.psi - exact.features.find((e) => e.feature === f.feature)!.psi), f.feature).toBeLessThan(0.02);
  });

  it('builds the rollups of an upgrading installation from the history it has', async () => {
    const created = await createTestDatabase();
    await created.db.$executeRawUnsafe('drop schema public cascade');
    await created.db.$executeRawUnsafe('create schema public');
    const all = path.resolve(import.meta.dirname, '..', '..', '..', 'prisma', 'migrations');
    const names = (await fs.readdir(all, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const mine = names.findIndex((n) => n.endsWith('_monitoring_rollups'));
    const older = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    for (const n of names.slice(0, mine)) await fs.cp(path.join(all, n), path.join(older, n), { recursive: true });
    await applyMigrations(created.url, older);

    const client = new pg.Client({ connectionString: created.url });
    await client.connect();
    await client.query(`insert into "Deployment" (id, name, "updatedAt") values ('d1', 'production', now())`);
    await client.query(`
      insert into "Prediction" ("requestId", item, "deploymentId", "modelVersionId", at, "predictedLabel", "latencyMs", "trueLabel", "feedbackAt")
      select 'q' || (i / 3), i % 3, 'd1', case when i % 4 = 0 then null else 'mv' || (i % 2) end, $1::timestamp(3) - i * interval '97 seconds',
             (array['LA','MM','UM'])[1 + i % 3], 1, case when i % 5 = 0 then (array['LA','MM','UM'])[1 + i % 2] end,
             case when i % 5 = 0 then $1::timestamp(3) - i * interval '61 seconds' end
      from generate_series(0, 2999) i`, [new Date(T0).toISOString()]);
    await client.query(`
      insert into "MetricRollup" ("deploymentId", "bucketStart", "bucketSeconds", requests, errors, "statusCounts", "latencyBucketsMs", "latencyCounts", "latencySumMs", "predictionsByClass")
      select 'd1', date_trunc('minute', $1::timestamp(3)) - i * interval '3 minutes', 60, 4, i % 2, jsonb_build_object('200', 4 - i % 2) || case when i % 2 = 1 then '{"500": 1}'::jsonb else '{}'::jsonb end,
             $2::float8[], array[i % 3, 1, 0, 2]::int[], 2.5, jsonb_build_object('MM', 3, 'LA', i % 2)
      from generate_series(0, 999) i`, [new Date(T0).toISOString(), LATENCY_BOUNDS_MS]);
    await client.end();

    const upgraded = await applyMigrations(created.url, all);
    expect(upgraded.applied).toEqual(names.slice(mine));
    const after = createPrismaClient(created.url, 'pricesense:test');
    try {
      const expected = await expectedRollups(after);
      expect(expected.predictions.length).toBeGreaterThan(10);
      expect(expected.trafficHours.length).toBeGreaterThan(10);
      expect(await actualRollups(after)).toEqual(expected);
    } finally {
      await after.$disconnect();
      await fs.rm(older, { recursive: true, force: true });
    }
  });
});
