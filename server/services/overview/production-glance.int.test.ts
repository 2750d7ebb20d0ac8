import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { glanceTiles } from '@/lib/overview';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { Db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { contextAs, makeUser, userContext } from '@/test/actors';
import { createTestDatabase } from '@/test/db';
import { tempDir } from '@/test/transactions';
import type { ServiceContext } from '../context';
import { LATENCY_BOUNDS_MS } from '../monitoring/latency-histogram';
import { getProductionGlance } from './get-production-glance';

/**
 * The overview's production glance against a real PostgreSQL, through the
 * metrics, costs and alerts services: an empty installation explains itself, a
 * busy one adds up (requests since midnight UTC only, live accuracy from feedback,
 * this month's costs, open alerts), and one failing source leaves the rest intact.
 * Rows are written directly (as the metrics and alerts tests do) so every number
 * is known; no model needs training for this.
 */
const NOW = new Date('2026-11-20T12:00:00Z');
const MIN = 60_000;
let db: Db;
let viewer: ServiceContext;
let deploymentId: string;

/** One minute of traffic with every latency in LATENCY_BOUNDS_MS bucket `bucket`. */
async function minute(at: Date, requests: number, errors: number, bucket: number) {
  const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  counts[bucket] = requests;
  await db.metricRollup.create({
    data: {
      deploymentId, bucketStart: new Date(Math.floor(at.getTime() / MIN) * MIN), bucketSeconds: 60, requests, errors,
      statusCounts: { 200: requests - errors, ...(errors ? { 500: errors } : {}) }, latencyBucketsMs: LATENCY_BOUNDS_MS, latencyCounts: counts, latencySumMs: 0, predictionsByClass: { MM: requests - errors },
    },
  });
}

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  const dir = await tempDir('pricesense-glance-');
  const storage = createLocalStorage(path.join(dir, 'storage'));
  viewer = { ...(await userContext(db, 'viewer')).ctx, adapters: { storage }, now: () => NOW, requestId: 'req-glance' };
  // The platform exists since the 1st: the cost model's control-plane hours count from its first account.
  await db.user.updateMany({ data: { createdAt: new Date('2026-11-01T00:00:00Z') } });
});

describe('getProductionGlance', () => {
  it('explains an installation with nothing in production', async () => {
    const g = await getProductionGlance(viewer);
    expect(g).toMatchObject({ deployment: 'production', at: NOW.toISOString(), dayStart: '2026-11-20T00:00:00.000Z' });
    expect(g.model).toEqual({ ok: true, value: null });
    expect(g.traffic).toEqual({ ok: true, value: null });
    expect(g.cost).toMatchObject({ ok: true, value: { month: '2026-11', monthToDate: 0, budget: 500, hasData: false } });
    expect(g.alerts).toEqual({ ok: true, value: [] });
    const tiles = glanceTiles(g);
    expect(tiles.model.value).toBe('None yet');
    expect(tiles.requests.detail).toBe('Nothing is deployed to production yet.');
  });

  it('refuses a key that cannot read', async () => {
    const owner = await makeUser(db, 'admin');
    const predictOnly = contextAs(db, { kind: 'api_key', userId: owner.id, email: owner.email, role: 'admin', keyId: 'k', keyName: 'checkout', scopes: ['predict'] });
    await expect(getProductionGlance(predictOnly)).rejects.toBeInstanceOf(AppError);
  });

  it('shows the deployed model with no traffic and no feedback yet', async () => {
    const dataset = await db.dataset.create({ data: { name: 'glance' } });
    const dv = await db.datasetVersion.create({ data: { datasetId: dataset.id, version: 1, status: 'ready' } });
    const run = await db.run.create({ data: { name: 'glance run', datasetVersionId: dv.id, algorithm: 'logistic_regression', status: 'succeeded' } });
    const mv = await db.modelVersion.create({
      data: { version: 2, runId: run.id, datasetVersionId: dv.id, datasetHash: 'h', algorithm: 'logistic_regression', params: {}, metrics: { accuracy: 0.84, macro_f1: 0.83 }, artifactUri: 'file:///m', artifactSha256: 'a'.repeat(64), gateResults: [], gatesPassed: true, status: 'Approved' },
    });
    deploymentId = (await db.deployment.create({ data: { name: 'production', currentModelVersionId: mv.id, currentSince: new Date('2026-11-19T08:00:00Z') } })).id;

    const g = await getProductionGlance(viewer);
    expect(g.model).toEqual({ ok: true, value: { id: mv.id, name: 'price-sensitivity', version: 2, algorithm: 'Logistic regression', offlineAccuracy: 0.84, since: '2026-11-19T08:00:00.000Z', servingError: null } });
    expect(g.traffic).toMatchObject({ ok: true, value: { requestsToday: 0, errorsToday: 0, p95Ms: null, liveAccuracy: null, labelled: 0 } });
    // No inference instance reports in this test's storage: the metrics service says so, and the tile passes it on.
    expect(g.traffic.ok && g.traffic.value?.emptyTraffic).toMatch(/no inference instance reports serving it/);
    const tiles = glanceTiles(g);
    expect(tiles.accuracy.detail).toMatch(/No live accuracy yet: callers send the true label of a prediction to \/v1\/feedback\. Offline test accuracy: 84\.0%\./);
    expect(tiles.latency.detail).toMatch(/no inference instance reports serving it/);
  });

  it('adds up traffic since midnight UTC, live accuracy, the month’s cost and open alerts', async () => {
    // Yesterday evening (inside the 24 h window, not today) and two minutes today.
    await minute(new Date('2026-11-19T20:00:00Z'), 500, 0, 9); // 200–500 ms: slow, but yesterday
    await minute(new Date('2026-11-20T00:03:00Z'), 60, 2, 3); // 2–5 ms
    await minute(new Date('2026-11-20T11:58:00Z'), 40, 0, 3);
    // 40 predictions with their true label back an hour ago: 30 right.
    await db.prediction.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        requestId: randomUUID(), deploymentId, at: new Date(NOW.getTime() - 2 * 3_600_000), predictedLabel: 'MM', latencyMs: 3,
        trueLabel: i < 30 ? 'MM' : 'LA', feedbackAt: new Date(NOW.getTime() - 3_600_000),
      })),
    });
    // Costs: two days this month, one last month (not counted).
    const cost = (day: string, usd: number) => db.costRecord.create({ data: { day: new Date(`${day}T00:00:00Z`), component: 'control_plane', source: 'cost_model', amountUsd: usd, usageQuantity: 24, usageUnit: 'hours' } });
    await cost('2026-10-31', 99);
    await cost('2026-11-19', 8.5);
    await cost('2026-11-20', 4.25);
    // One rule firing now, one resolved.
    const rule = await db.alertRule.create({ data: { name: 'p95 latency (production)', kind: 'latency_p95', deploymentId, comparator: '>', threshold: 200 } });
    await db.alertEvent.create({ data: { ruleId: rule.id, state: 'resolved', value: 250, message: 'resolved one', firedAt: new Date('2026-11-19T20:01:00Z'), resolvedAt: new Date('2026-11-19T20:20:00Z') } });
    const open = await db.alertEvent.create({ data: { ruleId: rule.id, state: 'firing', value: 312.5, message: 'production: p95 latency is 313 ms', firedAt: new Date('2026-11-20T11:59:00Z') } });

    const g = await getProductionGlance(viewer);
    expect(g.traffic.ok).toBe(true);
    const t = g.traffic.ok ? g.traffic.value! : null;
    expect(t).toMatchObject({ requestsToday: 100, errorsToday: 2, liveAccuracy: 0.75, labelled: 40, emptyTraffic: null });
    // p95 over the 24 h: 500 of 600 requests were in the 200–500 ms bucket, so it lies in it.
    expect(t!.p95Ms).toBeGreaterThan(LATENCY_BOUNDS_MS[8]!);
    expect(t!.p95Ms).toBeLessThanOrEqual(LATENCY_BOUNDS_MS[9]!);
    expect(g.cost).toMatchObject({ ok: true, value: { monthToDate: 12.75, budget: 500, budgetState: 'under', source: 'cost_model', hasData: true, sourceError: null } });
    expect(g.cost.ok && g.cost.value.forecast).toBeGreaterThan(12.75);
    expect(g.alerts).toEqual({ ok: true, value: [{ id: open.id, message: 'production: p95 latency is 313 ms', deployment: 'production', firedAt: '2026-11-20T11:59:00.000Z' }] });

    const tiles = glanceTiles(g);
    expect(tiles.requests).toMatchObject({ value: '100', detail: 'since 00:00 UTC · 2 errors (2.00%)', badge: { label: 'over 1% errors' } });
    expect(tiles.accuracy).toMatchObject({ value: '75.0%', badge: { label: '−9.0 pts vs offline', tone: 'watch' } });
    expect(tiles.latency.badge).toEqual({ label: 'over 200 ms', tone: 'bad' });
    expect(tiles.cost).toMatchObject({ value: '$12.75', badge: { label: 'within budget' } });
    expect(tiles.alerts).toMatchObject({ value: '1', badge: { label: 'firing' } });
  });

  it('turns one failing source into that part’s message and keeps the others', async () => {
    // The cost records cannot be read (a broken query): only the cost part says so.
    const broken = new Proxy(db, {
      get(target, prop) {
        if (prop === 'costRecord') return { groupBy: () => Promise.reject(new Error('relation "CostRecord" is locked')) };
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const g = await getProductionGlance({ ...viewer, db: broken });
    expect(g.cost).toEqual({ ok: false, error: 'something went wrong (request id req-glance)' });
    expect(g.model.ok && g.model.value?.version).toBe(2);
    expect(g.traffic.ok && g.traffic.value?.requestsToday).toBe(100);
    expect(g.alerts.ok && g.alerts.value.length).toBe(1);
    expect(glanceTiles(g).cost.detail).toBe('Costs could not be read: something went wrong (request id req-glance)');
  });
});
