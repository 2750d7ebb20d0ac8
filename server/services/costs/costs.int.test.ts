import fs from 'node:fs/promises';
import path from 'node:path';
import type { GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { instanceStatusKey, type InstanceStatus } from '@/inference/src/contract';
import { STACKS } from '@/lib/infra-config';
import { estimateStack } from '@/lib/infra-estimate';
import { createCostExplorerSource } from '@/server/adapters/costs/cost-explorer';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { StoragePort } from '@/server/adapters/storage/port';
import { PRICES } from '@/server/costs/prices';
import type { Db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { contextAs, userContext } from '@/test/actors';
import { createTestDatabase } from '@/test/db';
import { resetMoto, startMoto, type MotoServer } from '@/test/moto';
import { tempDir } from '@/test/transactions';
import type { ServiceContext } from '../context';
import { getBudget, setBudget } from './budget';
import { exportCostsCsv } from './export-costs-csv';
import { getCostOverview } from './get-cost-overview';
import { recordCosts, recordDailyCosts, recordRecentCosts } from './record-daily-costs';

/**
 * Costs end to end against a real PostgreSQL: usage with known durations in, exact
 * dollars out; recording is idempotent; the overview's forecast, budget and
 * breakdowns; the CSV; Cost Explorer (moto) as the bill beside the model.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const DEV = estimateStack(STACKS.dev, PRICES);
const r6 = (n: number) => Math.round(n * 1e6) / 1e6;
const at = (iso: string) => new Date(iso);

let db: Db;
let dir: string;
let storage: StoragePort;
let system: ServiceContext;
let admin: ServiceContext;
let viewer: ServiceContext;
let ids: { runA: string; runC: string; v1: string; v2: string; production: string };

async function writeStatus(instanceId: string, startedAt: string, reportedAt: string) {
  const status: InstanceStatus = {
    instanceId, deployment: 'production', url: 'http://127.0.0.1:9', serviceVersion: 'test', startedAt, reportedAt,
    state: 'serving', manifestRevision: 1, model: null, lastError: null,
  };
  await storage.put(instanceStatusKey('production', instanceId), JSON.stringify(status));
}

async function storedBytes() {
  return (await storage.list('')).reduce((sum, o) => sum + o.bytes, 0);
}

const rowsOf = (day: string, source = 'cost_model') =>
  db.costRecord.findMany({ where: { day: at(`${day}T00:00:00Z`), source }, orderBy: [{ component: 'asc' }, { amountUsd: 'asc' }] });
const amounts = async (day: string, component: string, source = 'cost_model') =>
  (await rowsOf(day, source)).filter((r) => r.component === component).map((r) => Number(r.amountUsd));

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  dir = await tempDir('pricesense-costs-');
  storage = createLocalStorage(path.join(dir, 'storage'));
  const withClock = (ctx: ServiceContext): ServiceContext => ({ ...ctx, adapters: { storage }, now: () => NOW });
  admin = withClock((await userContext(db, 'admin')).ctx);
  viewer = withClock((await userContext(db, 'viewer')).ctx);
  system = withClock(contextAs(db, { kind: 'system', label: 'cost test' }));
  // The platform was installed on the 1st: every day since has control-plane hours.
  await db.user.updateMany({ data: { createdAt: at('2026-11-01T00:00:00Z') } });

  const dataset = await db.dataset.create({ data: { name: 'costs' } });
  const dv = await db.datasetVersion.create({ data: { datasetId: dataset.id, version: 1, status: 'ready' } });
  const run = (n: number, data: Record<string, unknown>) => db.run.create({ data: { name: `run ${n}`, datasetVersionId: dv.id, algorithm: 'logreg', ...data } });
  // A: 30 min on ml.m5.large; B: 20 s on ml.m5.xlarge (a minute is the minimum); D: failed by recovery, no duration recorded.
  const runA = await run(1, { status: 'succeeded', instanceType: 'ml.m5.large', startedAt: at('2026-11-19T09:30:00Z'), finishedAt: at('2026-11-19T10:00:00Z'), durationMs: 1_800_000 });
  await run(2, { status: 'succeeded', instanceType: 'ml.m5.xlarge', startedAt: at('2026-11-19T14:59:40Z'), finishedAt: at('2026-11-19T15:00:00Z'), durationMs: 20_000 });
  await run(3, { status: 'failed', startedAt: at('2026-11-19T08:00:00Z'), finishedAt: at('2026-11-19T08:06:00Z') });
  await run(4, { status: 'cancelled', finishedAt: at('2026-11-19T08:00:00Z') }); // never started: no cost
  // C: SageMaker recorded its billable cost when it finished: that figure is kept.
  const runC = await run(5, { status: 'succeeded', backend: 'sagemaker', instanceType: 'ml.m5.large', startedAt: at('2026-11-20T07:00:00Z'), finishedAt: at('2026-11-20T09:00:00Z'), durationMs: 7_200_000, costUsd: 0.3 });

  const version = (n: number, runId: string) => db.modelVersion.create({
    data: { version: n, runId, datasetVersionId: dv.id, datasetHash: 'h', algorithm: 'logreg', params: {}, metrics: {}, artifactUri: 'file:///m', artifactSha256: 'a'.repeat(64), gateResults: [], gatesPassed: true, status: 'Approved' },
  });
  const v1 = await version(1, runA.id);
  const v2 = await version(2, runC.id);
  const production = await db.deployment.create({ data: { name: 'production', currentModelVersionId: v2.id } });
  await db.deploymentEvent.create({ data: { deploymentId: production.id, modelVersionId: v1.id, action: 'deploy', startedAt: at('2026-11-19T12:00:00Z'), endedAt: at('2026-11-20T10:00:00Z') } });
  await db.deploymentEvent.create({ data: { deploymentId: production.id, modelVersionId: v2.id, action: 'deploy', startedAt: at('2026-11-20T10:00:00Z') } });
  ids = { runA: runA.id, runC: runC.id, v1: v1.id, v2: v2.id, production: production.id };

  // i0 ran 20:00 on the 18th to 02:00 on the 19th and died; i1 started at 06:00 on the 19th and is live.
  await writeStatus('i0', '2026-11-18T20:00:00.000Z', '2026-11-19T02:00:00.000Z');
  await writeStatus('i1', '2026-11-19T06:00:00.000Z', '2026-11-20T11:59:30.000Z');
  await storage.put('datasets/costs/raw/file.csv', Buffer.alloc(1024 * 1024, 1));

  // On the 19th: one single prediction and one batch of three, served by v1.
  const prediction = (requestId: string, item: number, iso: string) => ({ requestId, item, deploymentId: production.id, modelVersionId: v1.id, at: at(iso), predictedLabel: 'MM', latencyMs: 1 });
  await db.prediction.createMany({ data: [prediction('q1', 0, '2026-11-19T13:00:00Z'), ...[0, 1, 2].map((i) => prediction('q2', i, '2026-11-19T14:00:00Z'))] });
}, 120_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('recording a day', () => {
  it('prices runs with known durations in exact dollars', async () => {
    await recordDailyCosts(system, '2026-11-19');
    // A: 0.134 $/h × 0.5 h; B: 0.269 $/h for the one-minute minimum; the failed run: 6 min at the local equivalent (ml.m5.large).
    expect(await amounts('2026-11-19', 'training')).toEqual([r6(0.269 / 60), r6(0.134 / 10), 0.067]);
    const a = (await rowsOf('2026-11-19')).find((r) => r.runId === ids.runA)!;
    expect(a).toMatchObject({ modelVersionId: ids.v1, usageQuantity: 0.5, usageUnit: 'instance-hours' });
    await recordDailyCosts(system, '2026-11-20');
    expect(await amounts('2026-11-20', 'training')).toEqual([0.3]);
  });

  it("counts each instance's life, split by the model version serving at the time", async () => {
    const rows = (await rowsOf('2026-11-19')).filter((r) => r.component === 'inference');
    // i0: 00:00–02:00 and i1: 06:00–12:00 before any deploy (8 h); i1 12:00–24:00 under v1 (12 h).
    expect(rows.map((r) => [r.modelVersionId, r.usageQuantity, Number(r.amountUsd)]).sort()).toEqual([
      [ids.v1, 12, r6(12 * DEV.inferencePerReplicaHourUsd)],
      [null, 8, r6(8 * DEV.inferencePerReplicaHourUsd)],
    ].sort());
    expect(rows.every((r) => r.deploymentId === ids.production)).toBe(true);
    const today = (await rowsOf('2026-11-20')).filter((r) => r.component === 'inference');
    // v1 until the 10:00 deploy of v2, which served until i1's last heartbeat (11:59:30).
    expect(Object.fromEntries(today.map((r) => [r.modelVersionId, r.usageQuantity]))).toEqual({ [ids.v1]: 10, [ids.v2]: 1 + 59.5 / 60 });
  });

  it('charges the control plane per hour covered, storage per GB-month, and estimates response bytes', async () => {
    expect(await amounts('2026-11-19', 'control_plane')).toEqual([r6(24 * DEV.controlPlanePerHourUsd)]);
    expect(await amounts('2026-11-20', 'control_plane')).toEqual([r6(12 * DEV.controlPlanePerHourUsd)]);
    const [storageRow] = (await rowsOf('2026-11-19')).filter((r) => r.component === 'storage');
    const bytes = (storageRow!.details as { bytes: number }).bytes;
    expect(bytes).toBe(await storedBytes());
    expect(Number(storageRow!.amountUsd)).toBe(r6((bytes / 1024 ** 3) * 0.025 / 30));
    const [transfer] = (await rowsOf('2026-11-19')).filter((r) => r.component === 'data_transfer');
    expect(transfer).toMatchObject({ deploymentId: ids.production, modelVersionId: ids.v1, usageUnit: 'GB' });
    expect(transfer!.details).toMatchObject({ predictions: 4, requests: 2, estimatedBytes: 2 * 600 + 4 * 150 });
  });

  it('is idempotent: recording again replaces the day, never adds to it', async () => {
    const before = await rowsOf('2026-11-19');
    await recordDailyCosts(system, '2026-11-19');
    await recordCosts(system, { days: ['2026-11-19', '2026-11-20'] });
    const after = await rowsOf('2026-11-19');
    const strip = (rows: typeof before) => rows.map(({ id: _id, createdAt: _c, details: _d, ...rest }) => ({ ...rest, amountUsd: rest.amountUsd.toString() }));
    expect(strip(after)).toEqual(strip(before));
    expect(await db.costRecord.count({ where: { day: at('2026-11-19T00:00:00Z'), component: 'control_plane' } })).toBe(1);
  });

  it('keeps what cannot be measured again: an overwritten instance life, the storage size measured that day', async () => {
    // i1 restarted with the same id at 11:00 on the 20th: its file no longer says it ran since the 19th.
    await writeStatus('i1', '2026-11-20T11:00:00.000Z', '2026-11-20T11:59:30.000Z');
    await storage.put('datasets/costs/raw/second.csv', Buffer.alloc(2 * 1024 * 1024, 1));
    const storageBefore = await amounts('2026-11-19', 'storage');
    await recordCosts(system, { days: ['2026-11-19', '2026-11-20'] });
    const hours = (await rowsOf('2026-11-19')).filter((r) => r.component === 'inference').reduce((s, r) => s + (r.usageQuantity ?? 0), 0);
    expect(hours).toBe(20);
    expect(await amounts('2026-11-19', 'storage')).toEqual(storageBefore);
  });

  it('records yesterday and today from the worker, refuses future days and callers without the right', async () => {
    const result = await recordRecentCosts(system);
    expect(result).toMatchObject({ days: ['2026-11-19', '2026-11-20'], source: 'cost_model', bill: null });
    expect((await caught(recordDailyCosts(system, '2026-11-21'))).message).toMatch(/days: 2026-11-21 is in the future/);
    expect((await caught(recordDailyCosts(system, '2026-11-31'))).code).toBe('VALIDATION');
    expect((await caught(recordDailyCosts(viewer, '2026-11-19'))).code).toBe('FORBIDDEN');
  });
});

describe('the overview', () => {
  it('adds up the month, forecasts from the recent cost per hour, and holds the budget', async () => {
    const o = await getCostOverview(viewer, { month: '2026-11' });
    const day19 = (await rowsOf('2026-11-19')).reduce((s, r) => s + Number(r.amountUsd), 0);
    const day20 = (await rowsOf('2026-11-20')).reduce((s, r) => s + Number(r.amountUsd), 0);
    expect(o.month_to_date).toBe(Math.round((day19 + day20) * 100) / 100);
    // 36 hours recorded (24 + 12), 252 hours left in November after noon on the 20th.
    expect(o.forecast).toBe(Math.round((o.month_to_date + ((day19 + day20) / 36) * 252) * 100) / 100);
    expect(o).toMatchObject({ month: '2026-11', source: 'cost_model', configured_source: 'cost_model', budget: 500, budget_is_default: true, forecast_basis: 'run_rate', has_data: true, prices_as_of: PRICES.asOf });
    expect(o.budget_state).toBe(o.forecast > 500 ? 'over' : o.forecast >= 450 ? 'near' : 'under');
    expect(o.by_component.training).toBe(r6(0.067 + r6(0.269 / 60) + r6(0.134 / 10) + 0.3));
    expect(o.runs_total_usd).toBe(o.by_component.training);
    expect(Object.values(o.by_component).reduce((s, v) => s + v, 0)).toBeCloseTo(o.month_to_date, 1);
    expect(o.daily.map((d) => d.day)).toEqual(Array.from({ length: 20 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`));
    expect(o.daily[0]!.total).toBe(0);
    expect(o.daily[18]!.training).toBe(r6(0.067 + r6(0.269 / 60) + r6(0.134 / 10)));
  });

  it('attributes cost to runs, model versions and predictions', async () => {
    const o = await getCostOverview(viewer, { month: '2026-11' });
    expect(o.runs_in_month).toBe(4);
    expect(o.per_run.map((r) => [r.run_number, r.cost_usd])).toEqual([[5, 0.3], [2, r6(0.269 / 60)], [1, 0.067], [3, r6(0.134 / 10)]]);
    const v1 = o.per_model_version.find((v) => v.model_version_id === ids.v1)!;
    expect(v1).toMatchObject({ version: 1, training_usd: 0.067 });
    expect(v1.inference_usd).toBeCloseTo((12 + 10) * DEV.inferencePerReplicaHourUsd, 5);
    expect(v1.total_usd).toBeCloseTo(v1.training_usd + v1.inference_usd + v1.data_transfer_usd, 6);
    expect(o.per_model_version.find((v) => v.model_version_id === ids.v2)).toMatchObject({ training_usd: 0.3, serving: ['production'] });
    const [prod] = o.per_1000_predictions;
    expect(prod).toMatchObject({ deployment: 'production', predictions: 4 });
    expect(prod!.per_1000_usd).toBeCloseTo((prod!.serving_usd / 4) * 1000, 4);
    expect(o.predictions_in_month).toBe(4);
    expect(o.infra_estimate).toMatchObject({ target_usd: 500, dev: { stack: 'dev', within_target: true }, prod: { stack: 'prod' } });
  });

  it('shows an empty month as zeros and says why, and refuses a malformed month naming the field', async () => {
    const o = await getCostOverview(viewer, { month: '2020-01' });
    expect(o).toMatchObject({ has_data: false, month_to_date: 0, forecast: 0, forecast_basis: 'final', per_run: [], per_1000_predictions: [], all_in_per_1000_usd: null });
    expect(o.daily).toHaveLength(31);
    expect(o.notes.join(' ')).toMatch(/No predictions recorded in January 2020/);
    const error = await caught(getCostOverview(viewer, { month: '2026-13' }));
    expect(error.code).toBe('VALIDATION');
    expect(error.details?.fields).toEqual([{ field: 'month', message: 'must be a month as YYYY-MM, e.g. 2026-11' }]);
  });
});

describe('the budget', () => {
  it('is $500 until an admin changes it, and the change is audited', async () => {
    expect(await getBudget(viewer)).toMatchObject({ monthly_usd: 500, is_default: true });
    expect(await setBudget(admin, { monthly_usd: 750 })).toMatchObject({ monthly_usd: 750, is_default: false });
    expect((await getCostOverview(viewer, { month: '2026-11' })).budget).toBe(750);
    const audit = await db.auditEvent.findFirst({ where: { action: 'settings.cost_budget' }, orderBy: { at: 'desc' } });
    expect(audit).toMatchObject({ summary: 'Changed the monthly cost budget from $500.00 to $750.00', before: { monthlyUsd: 500 }, after: { monthlyUsd: 750 } });
  });

  it('refuses bad amounts naming the field, and anyone but an admin', async () => {
    for (const [input, message] of [
      [{ monthly_usd: 0 }, 'must be more than 0'],
      [{ monthly_usd: -5 }, 'must be more than 0'],
      [{ monthly_usd: '750' }, 'must be a number of US dollars, e.g. 750'],
      [{ monthly_usd: 5e6 }, 'must be at most 1,000,000'],
      [{}, 'must be a number of US dollars, e.g. 750'],
    ] as const) {
      const error = await caught(setBudget(admin, input));
      expect(error.code).toBe('VALIDATION');
      expect(error.status).toBe(400);
      expect(error.details?.fields).toEqual([{ field: 'monthly_usd', message }]);
    }
    expect((await caught(setBudget(admin, { monthly_usd: 600, currency: 'EUR' }))).details?.fields).toEqual([{ field: 'currency', message: 'unknown field: currency' }]);
    const refused = await caught(setBudget(viewer, { monthly_usd: 1 }));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: 'Your role (viewer) may not change settings.' });
    const engineer = { ...(await userContext(db, 'ml_engineer')).ctx, now: () => NOW };
    expect((await caught(setBudget(engineer, { monthly_usd: 1 }))).code).toBe('FORBIDDEN');
    expect((await getBudget(viewer)).monthly_usd).toBe(750);
  });
});

describe('the CSV export', () => {
  it('lists every cost line of the days asked for, with names instead of ids', async () => {
    const { csv, filename, rows } = await exportCostsCsv(viewer, { from: '2026-11-19', to: '2026-11-20' });
    expect(filename).toBe('pricesense-costs-2026-11-19-to-2026-11-20.csv');
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(['day', 'source', 'component', 'amount_usd', 'usage_quantity', 'usage_unit', 'run', 'model_version', 'deployment', 'description']);
    expect(records).toHaveLength(rows);
    expect(rows).toBe(await db.costRecord.count({ where: { day: { gte: at('2026-11-19T00:00:00Z'), lte: at('2026-11-20T00:00:00Z') } } }));
    expect(records.find((r) => r.run === 'run #1')).toMatchObject({ day: '2026-11-19', source: 'cost_model', component: 'training', amount_usd: '0.067000', model_version: 'price-sensitivity v1', description: 'run #1 on ml.m5.large' });
    expect(records.filter((r) => r.component === 'inference').every((r) => r.deployment === 'production')).toBe(true);
    const total = records.reduce((s, r) => s + Number(r.amount_usd), 0);
    const o = await getCostOverview(viewer, { month: '2026-11' });
    expect(Math.round(total * 100) / 100).toBe(o.month_to_date);
  });

  it('defaults to the month so far and refuses bad ranges naming the field', async () => {
    expect((await exportCostsCsv(viewer)).filename).toBe('pricesense-costs-2026-11-01-to-2026-11-20.csv');
    expect((await caught(exportCostsCsv(viewer, { from: '2026-11-20', to: '2026-11-19' }))).details?.fields).toEqual([{ field: 'to', message: 'must be on or after from (2026-11-20)' }]);
    expect((await caught(exportCostsCsv(viewer, { from: '19/11/2026' }))).details?.fields?.[0]?.field).toBe('from');
    expect((await caught(exportCostsCsv(viewer, { source: 'invoice' }))).details?.fields?.[0]?.field).toBe('source');
  });
});

describe('with Cost Explorer as the source (moto)', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
    await resetMoto(moto.endpoint);
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('writes the bill beside the model, asks again only after the refresh interval, and totals come from the bill', async () => {
    const group = (service: string, amount: string) => ({ Keys: [service, 'project$pricesense'], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } });
    await fetch(`${moto.endpoint}/moto-api/static/ce/cost-and-usage-results`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ results: [{ ResultsByTime: [
        { TimePeriod: { Start: '2026-11-19', End: '2026-11-20' }, Groups: [group('Amazon SageMaker', '1.5'), group('Amazon Elastic Kubernetes Service', '2.4')], Estimated: false },
        { TimePeriod: { Start: '2026-11-20', End: '2026-11-21' }, Groups: [group('Amazon Elastic Kubernetes Service', '1.2')], Estimated: true },
      ] }] }),
    });
    const source = createCostExplorerSource({ tagKey: 'project', tagValue: 'pricesense', endpoint: moto.endpoint, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    const requests: GetCostAndUsageCommandInput[] = [];
    source.client.middlewareStack.add((next) => async (args) => {
      requests.push(args.input as GetCostAndUsageCommandInput);
      return next(args);
    }, { step: 'initialize' });
    const aws = { ...system, adapters: { storage, costs: source } };

    expect((await recordRecentCosts(aws)).bill).toEqual({ status: 'written', lines: 3, usd: 5.1 });
    expect(await amounts('2026-11-19', 'training', 'cost_explorer')).toEqual([1.5]);
    expect(await amounts('2026-11-19', 'training')).toHaveLength(3); // the model's attribution stays
    expect((await recordRecentCosts(aws)).bill).toMatchObject({ status: 'kept' });
    expect(requests).toHaveLength(1);

    const o = await getCostOverview({ ...viewer, adapters: { storage, costs: source } }, { month: '2026-11' });
    expect(o).toMatchObject({ source: 'cost_explorer', configured_source: 'cost_explorer', month_to_date: 5.1, by_component: { training: 1.5, inference: 0 } });
    expect(o.by_component.control_plane).toBeCloseTo(3.6, 6);
    expect(o.source_status).toMatchObject({ last_error: null });
    expect(o.per_run).toHaveLength(4); // attribution still from the model
  });

  it('keeps recording the model when Cost Explorer fails, and says so in the overview', async () => {
    const broken = createCostExplorerSource({ tagKey: 'project', tagValue: 'pricesense', endpoint: `${moto.endpoint}/nothing`, credentials: { accessKeyId: 't', secretAccessKey: 't' }, refreshMs: 0 });
    const aws = { ...system, adapters: { storage, costs: broken } };
    const result = await recordRecentCosts(aws);
    expect(result.bill).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Cost Explorer GetCostAndUsage failed for 2026-11-19 – 2026-11-20: .*HTTP 404/) });
    expect(result.model.lines).toBeGreaterThan(0);
    // The bill written before is kept; the overview names the last error.
    const o = await getCostOverview({ ...viewer, adapters: { storage, costs: broken } }, { month: '2026-11' });
    expect(o.source).toBe('cost_explorer');
    expect(o.source_status?.last_error).toMatch(/HTTP 404/);
    // A month the bill has nothing for falls back to the model, with a note.
    const december = await getCostOverview({ ...viewer, now: () => at('2026-12-02T00:00:00Z'), adapters: { storage, costs: broken } }, { month: '2026-10' });
    expect(december.source).toBe('cost_model');
    expect(december.notes.join(' ')).toMatch(/AWS Cost Explorer has no figures for October 2026 yet \(last error: Cost Explorer GetCostAndUsage failed/);
  });
});
