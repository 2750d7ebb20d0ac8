import path from 'node:path';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmfMetrics } from '@/inference/src/emf';
import { createLocalStorage } from '@/server/adapters/storage/local';
import { createCloudWatchTelemetry } from '@/server/adapters/telemetry/cloudwatch';
import type { Db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { userContext } from '@/test/actors';
import { extractEmf, type EmfLine } from '@/test/cloudwatch-emf';
import { createTestDatabase } from '@/test/db';
import { MOTO_CREDENTIALS, sharedMotoServer } from '@/test/moto';
import { tempDir } from '@/test/transactions';
import { ruleValue, valueSources } from '../alerts/rule-values';
import type { ServiceContext } from '../context';
import { collectMonitoring } from './collect-monitoring';
import { getDeploymentMetrics } from './read-metrics';

/**
 * The metrics service in AWS mode (TELEMETRY_BACKEND=cloudwatch) against moto and
 * a real PostgreSQL: traffic as the inference service's EMF lines put it in
 * CloudWatch, live accuracy from feedback rows in the database, nothing scraped,
 * and CloudWatch being unreachable a 502 that names it. moto computes no
 * percentiles: they must come back unavailable, with the reason, never zeros.
 */
const NAMESPACE = 'PriceSense/Inference';
const MIN = 60_000;
const NOW = Math.floor(Date.now() / MIN) * MIN;
const moto = sharedMotoServer({ beforeAll, afterAll, beforeEach });
let db: Db;
let viewer: ServiceContext;
let deploymentId: string;

const cloudwatch = (endpoint = moto().endpoint) => createCloudWatchTelemetry({ region: 'ap-southeast-1', endpoint, credentials: MOTO_CREDENTIALS, namespace: NAMESPACE });
const inAwsMode = (telemetry = cloudwatch()): ServiceContext => ({ ...viewer, adapters: { ...viewer.adapters, telemetry } });

/** What the inference service reports in a minute, put where CloudWatch Logs would put it. */
async function emit(deployment: string, at: number, requests: { status: number; label?: string }[]) {
  const lines: EmfLine[] = [];
  const emf = new EmfMetrics({ deployment, intervalMs: 60_000, currentVersion: () => 'mv1', write: (l) => lines.push(JSON.parse(l)), clock: () => at });
  requests.forEach((r, i) => {
    emf.observeRequest(r.status, 2 + (i % 7));
    if (r.label) emf.countPrediction(r.label);
  });
  emf.flush();
  const telemetry = cloudwatch();
  for (const line of lines) await telemetry.client.send(new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: extractEmf(line) }));
}

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  const storage = createLocalStorage(path.join(await tempDir('pricesense-cw-metrics-'), 'storage'));
  viewer = { ...(await userContext(db, 'viewer')).ctx, adapters: { storage }, now: () => new Date(NOW) };
  const dataset = await db.dataset.create({ data: { name: 'cw' } });
  const dv = await db.datasetVersion.create({ data: { datasetId: dataset.id, version: 1, status: 'ready' } });
  const run = await db.run.create({ data: { name: 'cw run', datasetVersionId: dv.id, algorithm: 'logistic_regression', status: 'succeeded' } });
  const mv = await db.modelVersion.create({
    data: {
      version: 1, runId: run.id, datasetVersionId: dv.id, datasetHash: 'h', algorithm: 'logistic_regression', params: {}, gateResults: [], gatesPassed: true, status: 'Approved',
      metrics: { accuracy: 0.84, macro_f1: 0.83, confusion_matrix: { labels: ['LA', 'MM', 'UM'], matrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] } }, artifactUri: 'file:///m', artifactSha256: 'a'.repeat(64),
    },
  });
  deploymentId = (await db.deployment.create({ data: { name: 'production', currentModelVersionId: mv.id, currentSince: new Date(NOW - 86_400_000) } })).id;
  // 40 predictions with feedback 10 minutes ago, 30 of them right: live accuracy comes from here in both modes.
  await db.prediction.createMany({
    data: Array.from({ length: 40 }, (_, i) => ({
      requestId: `req-${i}`, deploymentId, modelVersionId: mv.id, at: new Date(NOW - 11 * MIN), predictedLabel: 'MM', latencyMs: 1,
      trueLabel: i < 30 ? 'MM' : 'LA', feedbackAt: new Date(NOW - 10 * MIN),
    })),
  });
}, 120_000);

describe('metrics in AWS mode', () => {
  it('reads requests, errors by status class and predictions by class from CloudWatch, live accuracy from the database', async () => {
    await emit('production', NOW - 5 * MIN + 5_000, [
      ...Array.from({ length: 37 }, (_, i) => ({ status: 200, label: i < 20 ? 'LA' : 'MM' })),
      { status: 500 }, { status: 503 }, { status: 429 },
    ]);
    await emit('production', NOW - 2 * MIN + 5_000, [...Array.from({ length: 9 }, () => ({ status: 200, label: 'UM' })), { status: 400 }]);
    await emit('staging', NOW - 2 * MIN, [{ status: 500 }]);

    const m = await getDeploymentMetrics(inAwsMode(), { deployment: 'production', range: '1h' });
    expect(m).toMatchObject({
      source: { kind: 'cloudwatch', label: 'CloudWatch', detail: `CloudWatch namespace ${NAMESPACE} in ap-southeast-1 at ${moto().endpoint}` },
      range: { label: '1h', from: new Date(NOW - 3_600_000).toISOString(), to: new Date(NOW).toISOString(), resolution_seconds: 60 },
      requests: 50, errors: 4, error_rate: 0.08, rps: round(50 / 3600, 4),
      p50_ms: null, p95_ms: null, p99_ms: null,
      live_accuracy: 0.75, labelled: 40,
      empty: { traffic: null, feedback: null },
    });
    expect(m.series.traffic).toEqual([
      { t: new Date(NOW - 5 * MIN).toISOString(), requests: 40, errors: 3, rps: 40 / 60, p50_ms: null, p95_ms: null, p99_ms: null, by_status: { '4xx': 1, '5xx': 2 }, by_class: { LA: 20, MM: 17 } },
      { t: new Date(NOW - 2 * MIN).toISOString(), requests: 10, errors: 1, rps: 10 / 60, p50_ms: null, p95_ms: null, p99_ms: null, by_status: { '4xx': 1 }, by_class: { UM: 9 } },
    ]);
    // moto has no percentiles: unavailable from this source, said so, not zero.
    expect(m.empty.latency).toMatch(/^Latency percentiles are unavailable from this source: CloudWatch holds 50 latency samples/);

    // A week: hourly periods, the same totals.
    const week = await getDeploymentMetrics(inAwsMode(), { deployment: 'production', range: '7d' });
    expect(week).toMatchObject({ requests: 50, errors: 4, range: { resolution_seconds: 3600 }, labelled: 40 });
    expect(week.series.traffic.every((p) => Date.parse(p.t) % 3_600_000 === 0)).toBe(true);

    // The same service in local mode knows nothing of it: no rollups were written.
    const local = await getDeploymentMetrics(viewer, { deployment: 'production', range: '1h' });
    expect(local).toMatchObject({ source: { kind: 'local', label: 'local collector' }, requests: 0, live_accuracy: 0.75, empty: { latency: null } });
  });

  it('says there is no traffic, without a latency note, when CloudWatch holds none', async () => {
    const m = await getDeploymentMetrics(inAwsMode(), { deployment: 'production', range: '1h' });
    expect(m).toMatchObject({ requests: 0, errors: 0, series: { traffic: [] }, labelled: 40, empty: { latency: null } });
    expect(m.empty.traffic).toMatch(/^No traffic to production in this range/);
  });

  it('does not scrape /metrics into rollups when CloudWatch holds the counters', async () => {
    const { scrape } = await collectMonitoring(inAwsMode(), { retentionDays: 30, scope: 'recent' });
    expect(scrape).toEqual({ deployments: 0, instances: 0, scraped: 0, requests: 0, failed: [] });
    expect(await db.metricRollup.count()).toBe(0);
  });

  it('answers a 502 naming CloudWatch when it cannot be reached, while the live-accuracy rule still evaluates', async () => {
    const down = inAwsMode(cloudwatch('http://127.0.0.1:9'));
    const error = await getDeploymentMetrics(down, { deployment: 'production', range: '1h' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UPSTREAM', status: 502, message: expect.stringMatching(/^Could not read the metrics of production from CloudWatch: CloudWatch GetMetricData failed \(.*at http:\/\/127\.0\.0\.1:9\)/) });

    const dep = { id: deploymentId, name: 'production', currentModelVersionId: null };
    const sources = valueSources(down);
    expect(await ruleValue(down, { id: 'r1', kind: 'live_accuracy', windowMinutes: 60, deployment: dep }, sources)).toMatchObject({ value: 0.75 });
    await expect(ruleValue(down, { id: 'r2', kind: 'error_rate', windowMinutes: 15, deployment: dep }, sources)).rejects.toMatchObject({ name: 'TelemetryError' });
  }, 30_000);
});

function round(v: number, digits: number) {
  return Math.round(v * 10 ** digits) / 10 ** digits;
}
