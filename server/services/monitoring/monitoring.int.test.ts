import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '@/inference/src/app';
import { instanceStatusKey, telemetryKey } from '@/inference/src/contract';
import { createMetrics } from '@/inference/src/metrics';
import { createLocalStore } from '@/inference/src/storage';
import { createTestDatabase } from '@/test/db';
import { actualRollups, expectedRollups } from '@/test/monitoring-rollups';
import { freePort } from '@/test/moto';
import { userContext } from '@/test/actors';
import { setUpDemoModel } from '@/test/demo-model';
import { tempDir } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { StoragePort } from '@/server/adapters/storage/port';
import type { Db } from '@/server/db/client';
import { logger } from '@/server/logger';
import type { ServiceContext } from '../context';
import { replayTraffic, type TrafficReport } from '../deployments/replay-traffic';
import { sampleBaskets, type SampledBasket } from '../deployments/sample-baskets';
import { applyRetention } from './apply-retention';
import { collectMonitoring } from './collect-monitoring';
import { ingestTelemetry } from './ingest-telemetry';
import { LATENCY_BOUNDS_MS } from './latency-histogram';
import { getDeploymentMetrics } from './read-metrics';

/**
 * Monitoring end to end in local mode: a real inference service takes replayed
 * traffic, the collector scrapes its /metrics and ingests its telemetry files,
 * and the metrics read back match what was sent — through re-ingestion,
 * restarts and broken inputs, never counting a request twice.
 */
let db: Db;
let dir: string;
let storage: StoragePort;
let app: FastifyInstance;
let port: number;
let system: ServiceContext;
let viewer: ServiceContext;
let baskets: SampledBasket[];
const PREDICT_KEY = 'psk_monitoring-int-test-0123456789abcdef';
const sent: TrafficReport[] = [];

async function startInference(instanceId: string, listenPort: number) {
  const instance = buildApp({
    store: createLocalStore(path.join(dir, 'storage')), deployment: 'production', instanceId, publicUrl: `http://127.0.0.1:${listenPort}`,
    pollMs: 60_000, heartbeatMs: 60_000, telemetryFlushMs: 60_000,
  });
  await instance.listen({ port: listenPort, host: '127.0.0.1' });
  await instance.inference.reload();
  return instance;
}

async function send(seconds: number, rps = 120) {
  const report = await replayTraffic({ url: `http://127.0.0.1:${port}`, key: PREDICT_KEY, baskets, rps, durationSeconds: seconds, feedbackShare: 0.5 });
  expect(report).toMatchObject({ errors: 0, firstError: null });
  sent.push(report);
  await app.inference.telemetry.flush();
  return report;
}

const totalSent = () => sent.reduce((s, r) => s + r.sent, 0);
const collect = () => collectMonitoring(system, { retentionDays: 30, scope: 'days' });
const metrics = (deployment = 'production') => getDeploymentMetrics(viewer, { deployment, range: '1h' });

beforeAll(async () => {
  const created = await createTestDatabase();
  db = created.db;
  dir = await tempDir();
  storage = createLocalStorage(path.join(dir, 'storage'));
  await setUpDemoModel({ db, url: created.url, dir, storage, predictKey: PREDICT_KEY });
  port = await freePort();
  app = await startInference('mon-a', port);
  system = { actor: { kind: 'system', label: 'monitoring collector' }, db, adapters: { storage } };
  viewer = { ...(await userContext(db, 'viewer')).ctx, adapters: { storage } };
  const version = await db.datasetVersion.findFirstOrThrow({ select: { id: true, datasetId: true } });
  baskets = await sampleBaskets(system, version, { count: 300, seed: 3 });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('monitoring in local mode', () => {
  it('says why there is nothing to show before any traffic', async () => {
    const m = await metrics();
    expect(m).toMatchObject({ requests: 0, p95_ms: null, live_accuracy: null, labelled: 0, series: { traffic: [], accuracy: [] } });
    expect(m.empty.traffic).toMatch(/No traffic/);
    expect(m.empty.feedback).toMatch(/No feedback/);
    expect(m.offline).toMatchObject({ version: 1, accuracy: expect.any(Number), macro_f1: expect.any(Number) });
  });

  it('counts every request sent, with percentiles from the histogram and live accuracy from feedback', async () => {
    const report = await send(2);
    const { scrape, ingest } = await collect();
    expect(scrape).toMatchObject({ scraped: 1, failed: [] });
    expect(ingest).toMatchObject({ predictions: report.ok, badLines: 0, failedFiles: 0 });

    const m = await metrics();
    expect(m).toMatchObject({ requests: report.sent, errors: 0, error_rate: 0, empty: { traffic: null, feedback: null } });
    expect(m.series.traffic.reduce((s, p) => s + p.requests, 0)).toBe(report.sent);
    expect(m.series.traffic.reduce((s, p) => s + Object.values(p.by_class).reduce((a, b) => a + b, 0), 0)).toBe(report.ok);
    expect(await db.prediction.count()).toBe(report.ok);

    // Live accuracy: every feedback joined to its prediction, and the score is theirs.
    const labelled = await db.prediction.findMany({ where: { trueLabel: { not: null } }, select: { trueLabel: true, predictedLabel: true } });
    expect(labelled).toHaveLength(report.feedbackSent);
    expect(m.labelled).toBe(report.feedbackSent);
    expect(m.live_accuracy).toBeCloseTo(labelled.filter((p) => p.trueLabel === p.predictedLabel).length / labelled.length, 4);
    expect(m.live_macro_f1).toBeGreaterThan(0);
    expect(m.series.accuracy.reduce((s, p) => s + p.labelled, 0)).toBe(report.feedbackSent);
    // A week at hourly resolution (whole hours from the hour rollups, the ends from minutes) agrees.
    expect(await getDeploymentMetrics(viewer, { deployment: 'production', range: '7d' })).toMatchObject({ requests: report.sent, labelled: report.feedbackSent, live_accuracy: m.live_accuracy });

    // Per request, the telemetry's latency (handler) ≤ the histogram's (response written) ≤ the client's round trip,
    // so each percentile lies between the bucket of the telemetry's percentile and the bucket of the client's.
    const telemetry = (await db.prediction.findMany({ select: { latencyMs: true } })).map((p) => p.latencyMs).sort((a, b) => a - b);
    const bucket = (v: number) => LATENCY_BOUNDS_MS.findIndex((b) => b >= v);
    for (const [q, estimate, client] of [[0.5, m.p50_ms, report.p50_ms], [0.95, m.p95_ms, report.p95_ms], [0.99, m.p99_ms, report.p99_ms]] as const) {
      const low = bucket(telemetry[Math.ceil(q * telemetry.length) - 1]!);
      const high = bucket(client!);
      expect(estimate).toBeGreaterThanOrEqual(low <= 0 ? 0 : LATENCY_BOUNDS_MS[low - 1]!);
      expect(estimate).toBeLessThanOrEqual(high < 0 ? Infinity : LATENCY_BOUNDS_MS[high]!);
    }
    expect(m.markers).toEqual([expect.objectContaining({ version: 1, action: 'deploy' })]);
  });

  it('changes nothing when the same counters are scraped or the same files ingested again', async () => {
    const before = await metrics();
    const rows = await db.prediction.count();
    await collect();
    expect(await metrics()).toMatchObject({ requests: before.requests, labelled: before.labelled, live_accuracy: before.live_accuracy });

    // Forget which files were read: every one is read again, and still counts once.
    const files = await db.telemetryFile.count();
    expect(files).toBeGreaterThan(0);
    await db.telemetryFile.deleteMany();
    const again = await ingestTelemetry(system, { retentionDays: 30, scope: 'days' });
    expect(again).toMatchObject({ files, predictions: 0 });
    expect(await db.prediction.count()).toBe(rows);
    expect(await metrics()).toMatchObject({ requests: before.requests, labelled: before.labelled, live_accuracy: before.live_accuracy });
    expect(await actualRollups(db)).toEqual(await expectedRollups(db));
  });

  it('puts each percentile in the histogram bucket of the true percentile', async () => {
    // An instance whose every latency is known: the inference service's own metrics, fed directly.
    const known = createMetrics();
    const latencies = Array.from({ length: 2000 }, (_, i) => 0.3 + ((i * 7919) % 2000) ** 2 / 2000 ** 2 * 60 + (i % 17 === 0 ? 150 : 0));
    for (const ms of latencies) known.observeRequest('/v1/predict', 200, ms / 1000);
    const server = http.createServer((_req, res) => void known.registry.metrics().then((text) => res.end(text)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await db.deployment.create({ data: { name: 'canary' } });
    const now = new Date().toISOString();
    await storage.put(instanceStatusKey('canary', 'known'), JSON.stringify({ instanceId: 'known', deployment: 'canary', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, serviceVersion: 'test', startedAt: now, reportedAt: now, state: 'serving', manifestRevision: 1, model: null, lastError: null }));
    await collectMonitoring(system, { deployment: 'canary', retentionDays: 30 });
    const m = await metrics('canary');
    expect(m.requests).toBe(latencies.length);
    const sorted = [...latencies].sort((a, b) => a - b);
    for (const [q, estimate] of [[0.5, m.p50_ms], [0.95, m.p95_ms], [0.99, m.p99_ms]] as const) {
      const truth = sorted[Math.ceil(q * sorted.length) - 1]!;
      const i = LATENCY_BOUNDS_MS.findIndex((b) => b >= truth);
      expect(estimate).toBeGreaterThanOrEqual(i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!);
      expect(estimate).toBeLessThanOrEqual(LATENCY_BOUNDS_MS[i]!);
    }
    await new Promise((resolve) => server.close(resolve));
    await storage.delete(instanceStatusKey('canary', 'known'));
  });

  it('does not double count across inference restarts, with the same or a new instance id', async () => {
    // Same id, new process: its counters start again from zero.
    await app.close();
    app = await startInference('mon-a', port);
    await send(1);
    await collect();
    expect((await metrics()).requests).toBe(totalSent());

    // More traffic than before the restart, with no scrape in between: the new start time tells.
    await app.close();
    app = await startInference('mon-a', port);
    await send(2, 150);
    await collect();
    expect((await metrics()).requests).toBe(totalSent());

    // A new id on the same address: the old status file is still fresh but names a process that is gone.
    await app.close();
    app = await startInference('mon-b', port);
    await send(1);
    await collect();
    await collect();
    const m = await metrics();
    expect(m.requests).toBe(totalSent());
    expect(await db.prediction.count()).toBe(sent.reduce((s, r) => s + r.ok, 0));
    expect(m.labelled).toBe(sent.reduce((s, r) => s + r.feedbackSent, 0));
    expect((await getDeploymentMetrics(viewer, { deployment: 'production', range: '7d' })).labelled).toBe(m.labelled);
    // The rollups behind those numbers are still the sums of the rows (traffic hours of their minutes).
    expect(await actualRollups(db)).toEqual(await expectedRollups(db));
  });

  it('skips a broken /metrics endpoint and unreadable telemetry lines with a log, and joins feedback that came first', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const garbage = http.createServer((_req, res) => res.end('this is { not prometheus\ninference_http_requests_total{route="/v1/predict",status="200"} lots\n'));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    const now = new Date().toISOString();
    const status = (instanceId: string, url: string) => JSON.stringify({ instanceId, deployment: 'production', url, serviceVersion: 'test', startedAt: now, reportedAt: now, state: 'serving', manifestRevision: 1, model: null, lastError: null });
    await storage.put(instanceStatusKey('production', 'garbage'), status('garbage', `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`));
    await storage.put(instanceStatusKey('production', 'gone'), status('gone', `http://127.0.0.1:${await freePort()}`));
    const before = await metrics();

    const version = (await db.deployment.findUniqueOrThrow({ where: { name: 'production' } })).currentModelVersionId!;
    const prediction = { type: 'prediction', requestId: 'late-1', item: 0, at: now, modelVersionId: version, keyId: 'k', label: 'MM', probabilities: { LA: 0.1, MM: 0.8, UM: 0.1 }, latencyMs: 1.5, features: { lines: 3 } };
    // The feedback comes first (another replica), with a line that is not JSON and one that breaks the contract.
    await storage.put(telemetryKey('production', new Date(), 'replica-2', 'boot1', 0), [
      JSON.stringify({ type: 'feedback', requestId: 'late-1', item: 0, at: now, keyId: 'k', trueLabel: 'UM' }),
      '{"type":"prediction", truncated',
      JSON.stringify({ ...prediction, requestId: 'bad', label: 42 }),
    ].join('\n'));
    const first = await collect();
    expect(first.scrape.failed).toEqual([expect.objectContaining({ instanceId: 'gone' })]);
    expect(first.ingest).toMatchObject({ files: 1, badLines: 2, predictions: 0, pendingFeedback: 1 });
    expect(await db.pendingFeedback.count()).toBe(1);

    await storage.put(telemetryKey('production', new Date(), 'replica-1', 'boot1', 0), `${JSON.stringify(prediction)}\n`);
    const second = await collect();
    expect(second.ingest).toMatchObject({ files: 1, predictions: 1 });
    expect(await db.prediction.findUniqueOrThrow({ where: { requestId_item: { requestId: 'late-1', item: 0 } } })).toMatchObject({ trueLabel: 'UM', predictedLabel: 'MM' });
    expect(await db.pendingFeedback.count()).toBe(0);

    const after = await metrics();
    expect(after.requests).toBe(before.requests);
    expect(after.labelled).toBe(before.labelled + 1);
    const messages = warn.mock.calls.map((c) => c[1]);
    expect(messages).toContain('could not scrape an inference instance');
    expect(messages).toContain('skipped malformed /metrics lines');
    expect(messages).toContain('skipped unreadable telemetry lines');
    warn.mockRestore();
    await new Promise((resolve) => garbage.close(resolve));
    await storage.delete(instanceStatusKey('production', 'garbage'));
    await storage.delete(instanceStatusKey('production', 'gone'));
  });

  it('answers a deployment without traffic with empty series and reasons', async () => {
    await db.deployment.create({ data: { name: 'staging' } });
    const m = await metrics('staging');
    expect(m).toMatchObject({ requests: 0, offline: null, series: { traffic: [], accuracy: [] }, empty: { traffic: expect.stringMatching(/Nothing is deployed/) } });
    await expect(metrics('nowhere')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getDeploymentMetrics(viewer, { deployment: 'production', range: '2h' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('keeps the retention window, and reads a custom range at a coarser resolution', async () => {
    const dep = await db.deployment.findUniqueOrThrow({ where: { name: 'production' } });
    const old = new Date(Date.now() - 40 * 86_400_000);
    await db.prediction.create({ data: { requestId: 'ancient', deploymentId: dep.id, at: old, predictedLabel: 'LA', latencyMs: 1, trueLabel: 'LA', feedbackAt: old } });
    await db.metricRollup.create({ data: { deploymentId: dep.id, bucketStart: old, bucketSeconds: 60, requests: 5, latencyBucketsMs: LATENCY_BOUNDS_MS, latencyCounts: [5] } });
    const custom = await getDeploymentMetrics(viewer, { deployment: 'production', from: new Date(Date.now() - 45 * 86_400_000).toISOString() });
    expect(custom.range).toMatchObject({ label: 'custom', resolution_seconds: 21_600 });
    expect(custom.requests).toBe(totalSent() + 5);

    const rows = await db.prediction.count();
    const removed = await applyRetention(system, { retentionDays: 30 });
    // The ancient minute and its hour row; the prediction's hour, and its feedback's minute and hour.
    expect(removed).toMatchObject({ predictions: 1, rollups: 2, predictionRollups: 1, confusionRollups: 2 });
    expect(await db.prediction.count()).toBe(rows - 1);
    expect((await metrics()).requests).toBe(totalSent());
  });
});
