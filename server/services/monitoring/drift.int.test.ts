import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basketFeatures } from '@/inference/src/telemetry';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { StoragePort } from '@/server/adapters/storage/port';
import type { Db, Prisma } from '@/server/db/client';
import { createTestDatabase } from '@/test/db';
import { userContext } from '@/test/actors';
import { setUpDemoModel } from '@/test/demo-model';
import { tempDir } from '@/test/transactions';
import type { ServiceContext } from '../context';
import { sampleBaskets } from '../deployments/sample-baskets';
import { driftAgainst, ensureDriftBaseline, getDrift } from './drift';
import { DRIFT_FEATURES, LABEL_BASELINE_KEY, type BaselineFeatures } from './drift-psi';

/**
 * Drift against a real demo model: the baseline is computed from its dataset
 * version's Parquet rows, traffic is written straight into Prediction, and the
 * clock (ctx.now) picks which inserted traffic a range sees.
 */
let db: Db;
let dir: string;
let storage: StoragePort;
let viewer: ServiceContext;
let deploymentId: string;
let model: { id: string; datasetVersionId: string; metrics: Prisma.JsonValue };

const HOUR = 3_600_000;
/** Each scenario writes its traffic around its own instant, so ranges never overlap. */
const T0 = Date.UTC(2030, 0, 1);
const at = (hours: number) => new Date(T0 + hours * HOUR);
const viewerAt = (hours: number): ServiceContext => ({ ...viewer, now: () => at(hours) });

async function insertTraffic(rows: { at: Date; label: string; features: Record<string, unknown> | null; modelVersionId?: string }[]) {
  await db.prediction.createMany({
    data: rows.map((r) => ({
      requestId: randomUUID(), deploymentId, modelVersionId: r.modelVersionId ?? model.id, at: r.at, predictedLabel: r.label, latencyMs: 1,
      features: (r.features ?? undefined) as Prisma.InputJsonValue | undefined,
    })),
  });
}

beforeAll(async () => {
  const created = await createTestDatabase();
  db = created.db;
  dir = await tempDir();
  storage = createLocalStorage(path.join(dir, 'storage'));
  await setUpDemoModel({ db, url: created.url, dir, storage, predictKey: 'psk_drift-test-0123456789abcdef' });
  const dep = await db.deployment.findUniqueOrThrow({ where: { name: 'production' }, select: { id: true, currentModelVersion: { select: { id: true, datasetVersionId: true, metrics: true } } } });
  deploymentId = dep.id;
  model = dep.currentModelVersion!;
  const { ctx } = await userContext(db, 'viewer');
  viewer = { ...ctx, adapters: { storage, workDir: path.join(dir, 'work') } };
}, 180_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('drift', () => {
  it('says why there is nothing to show: no baseline yet, then no traffic', async () => {
    const before = await getDrift(viewerAt(0), { deployment: 'production', range: '1h' });
    expect(before).toMatchObject({ state: 'no-baseline', features: [], model: { id: model.id } });
    expect(before.reason).toMatch(/not been computed yet/);

    const baseline = await ensureDriftBaseline(viewer, model.id);
    // Computed once: a second call returns the stored row.
    expect((await ensureDriftBaseline(viewer, model.id)).createdAt).toEqual(baseline.createdAt);
    const features = baseline.features as unknown as BaselineFeatures;
    for (const f of DRIFT_FEATURES) {
      const b = features[f.key]!;
      expect(b.kind).toBe(f.kind);
      const shares = b.kind === 'numeric' ? b.shares : Object.values(b.shares);
      expect(shares.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
      if (b.kind === 'numeric') {
        expect(b.shares).toHaveLength(b.edges.length + 1);
        expect([...b.edges].sort((x, y) => x - y)).toEqual(b.edges);
      }
    }
    expect(Object.keys(features[LABEL_BASELINE_KEY]!.kind === 'categorical' ? (features[LABEL_BASELINE_KEY] as { shares: object }).shares : {}).sort()).toEqual(['LA', 'MM', 'UM']);
    const split = (model.metrics as { split: { trainWeeks: [number, number] }; n_train: number }).split;
    expect(baseline.baskets).toBe((model.metrics as { n_train: number }).n_train);
    expect(split.trainWeeks[0]).toBeLessThanOrEqual(split.trainWeeks[1]);

    const empty = await getDrift(viewerAt(0), { deployment: 'production', range: '1h' });
    expect(empty).toMatchObject({ state: 'no-traffic', recentCount: 0, features: [] });
    expect(empty.reason).toMatch(/No predictions reached production in the last 1h/);
  });

  it('is ~0 for traffic drawn from the training baskets, summarised as the inference service does', async () => {
    const split = (model.metrics as { split: { trainWeeks: [number, number] } }).split;
    const version = await db.datasetVersion.findUniqueOrThrow({ where: { id: model.datasetVersionId }, select: { id: true, datasetId: true } });
    const all = await sampleBaskets(viewer, version, { count: 100_000, seed: 3 });
    const training = all.filter((s) => s.basket.week! >= split.trainWeeks[0] && s.basket.week! <= split.trainWeeks[1]);
    const baseline = await db.driftBaseline.findUniqueOrThrow({ where: { modelVersionId: model.id } });
    expect(training).toHaveLength(baseline.baskets);

    // The whole training population: the distributions are the same, so every PSI is 0 up to rounding.
    await insertTraffic(training.map((s, i) => ({ at: new Date(at(10).getTime() - 1 - (i % 600) * 1000), label: s.trueLabel!, features: basketFeatures(s.basket) })));
    const whole = await getDrift(viewerAt(10), { deployment: 'production', range: '15m' });
    expect(whole.state).toBe('ok');
    expect(whole).toMatchObject({ recentCount: training.length, sampledCount: training.length });
    expect(whole.features.map((f) => f.feature).sort()).toEqual(DRIFT_FEATURES.map((f) => f.key).sort());
    for (const f of whole.features) expect(f.psi, f.feature).toBeLessThan(1e-3);

    // Past the row cap, a hash sample of about that many rows: still the same distribution.
    const dep = { deploymentId, modelVersionId: model.id, from: at(9.75), to: at(10) };
    const sampled = await driftAgainst(db, dep, baseline.features as unknown as BaselineFeatures, null, Math.floor(training.length / 3));
    expect(sampled.recentCount).toBe(training.length);
    expect(sampled.sampledCount).toBeGreaterThan(training.length / 3 - 4 * Math.sqrt(training.length / 3));
    expect(sampled.sampledCount).toBeLessThan(training.length / 3 + 4 * Math.sqrt(training.length / 3));
    for (const f of sampled.features) expect(f.psi, f.feature).toBeLessThan(0.05);

    // A random half of it: sampling noise only, far below the "watch" line.
    const half = training.filter((_, i) => (i * 2654435761) % 1000 < 500);
    await insertTraffic(half.map((s) => ({ at: at(19.9), label: s.trueLabel!, features: basketFeatures(s.basket) })));
    const sample = await getDrift(viewerAt(20), { deployment: 'production', range: '1h' });
    expect(sample).toMatchObject({ recentCount: half.length, isLowSample: false });
    for (const f of sample.features) {
      expect(f.psi, f.feature).toBeLessThan(0.05);
      expect(f.status).toBe('ok');
    }
    // True labels as predictions vs the model's test-set predicted shares: close, not identical.
    expect(sample.classDrift).toMatchObject({ reference: 'test-predictions', recentCount: half.length });
    expect(sample.classDrift!.psi).toBeLessThan(0.1);
  });

  it('matches a hand-computed PSI on a small controlled sample, ranked, with unseen and missing values', async () => {
    const hand: BaselineFeatures = {
      lines: { kind: 'numeric', edges: [2, 5], shares: [0.2, 0.5, 0.3] },
      storeFormat: { kind: 'categorical', shares: { LS: 0.6, SS: 0.4 } },
      [LABEL_BASELINE_KEY]: { kind: 'categorical', shares: { LA: 0.25, MM: 0.5, UM: 0.25 } },
    };
    await db.driftBaseline.update({ where: { modelVersionId: model.id }, data: { features: hand as unknown as Prisma.InputJsonValue } });
    // lines: 4 below 2, 3 in [2, 5), 3 at or above 5 (edges belong to the bin above, as width_bucket counts).
    const lines = [1, 1, 1, 1.5, 2, 3, 4.99, 5, 7, 70];
    // storeFormat: 5 LS, 3 SS, one value training never saw, one absent.
    const formats = ['LS', 'LS', 'LS', 'LS', 'LS', 'SS', 'SS', 'SS', 'MS', null];
    await insertTraffic(lines.map((n, i) => ({ at: at(29.5), label: 'LA', features: { lines: n, storeFormat: formats[i], spend: 'not a number' } })));
    // Predictions without a feature summary (older telemetry) do not count; nor do other ranges.
    await insertTraffic([{ at: at(29.5), label: 'LA', features: null }, { at: at(28.5), label: 'UM', features: { lines: 100, storeFormat: 'XX' } }]);

    const report = await getDrift(viewerAt(30), { deployment: 'production', range: '1h' });
    expect(report).toMatchObject({ state: 'ok', recentCount: 11, sampledCount: 10, isLowSample: true, thresholds: { watch: 0.1, act: 0.25 } });
    const ln = Math.log;
    // Σ (actual − expected) · ln(actual / expected); empty training bins count as 0.0001.
    const linesPsi = (0.4 - 0.2) * ln(0.4 / 0.2) + (0.3 - 0.5) * ln(0.3 / 0.5) + (0.3 - 0.3) * ln(0.3 / 0.3);
    const formatPsi = (0.5 - 0.6) * ln(0.5 / 0.6) + (0.3 - 0.4) * ln(0.3 / 0.4) + 2 * (0.1 - 1e-4) * ln(0.1 / 1e-4);
    expect(linesPsi).toBeCloseTo(0.2408, 4);
    expect(report.features.map((f) => f.feature)).toEqual(['storeFormat', 'lines']);
    const [format, linesDrift] = report.features;
    expect(format!.psi).toBeCloseTo(formatPsi, 10);
    expect(format).toMatchObject({ status: 'act', recentCount: 10 });
    expect(format!.bins).toEqual(expect.arrayContaining([{ bin: '(other)', expected: 0, actual: 0.1 }, { bin: '(missing)', expected: 0, actual: 0.1 }]));
    expect(linesDrift!.psi).toBeCloseTo(linesPsi, 10);
    expect(linesDrift).toMatchObject({ status: 'watch', bins: [{ bin: '< 2', expected: 0.2, actual: 0.4 }, { bin: '2 – 5', expected: 0.5, actual: 0.3 }, { bin: '≥ 5', expected: 0.3, actual: 0.3 }] });

    // Class drift: every prediction LA against the model's predicted shares on its test weeks.
    const cm = (model.metrics as { confusion_matrix: { labels: string[]; matrix: number[][] } }).confusion_matrix;
    const columns = cm.labels.map((_, j) => cm.matrix.reduce((s, row) => s + row[j]!, 0));
    const total = columns.reduce((s, n) => s + n, 0);
    const expected = cm.labels.reduce((s, label, j) => {
      const e = columns[j]! / total;
      const a = label === 'LA' ? 1 : 1e-4;
      return s + (a - e) * ln(a / e);
    }, 0);
    expect(report.classDrift).toMatchObject({ reference: 'test-predictions', recentCount: 11, status: 'act' });
    expect(report.classDrift!.psi).toBeCloseTo(expected, 10);
  });

  it('refuses a bad range and an unknown deployment with clear errors', async () => {
    await expect(getDrift(viewer, { deployment: 'production', range: '3 weeks' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/range/) });
    await expect(getDrift(viewer, { deployment: 'production', range: '365d' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(getDrift(viewer, { deployment: 'nowhere', range: '1h' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
