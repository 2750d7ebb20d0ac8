import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET, PUT } from '@/app/api/v1/datasets/[name]/retrain/route';
import { userContext } from '@/test/actors';
import { createTestDatabase } from '@/test/db';
import { tempDir } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import { writeSyntheticFile } from '@/server/datasets/synthetic/write-file';
import type { Db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { runDatasetProcessJob } from '@/server/jobs/dataset-jobs';
import type { JobName, JobPayloads, JobQueue } from '@/server/jobs/queue-port';
import { executeRun } from '@/server/jobs/run-jobs';
import type { Runtime } from '@/server/runtime';
import { createApiKey } from '../api-keys/create-api-key';
import type { Adapters, ServiceContext } from '../context';
import { completeUpload } from '../datasets/complete-upload';
import { receiveFile } from '../datasets/receive-file';
import { startImport } from '../datasets/start-import';
import { DEMO_ACTOR, requestDemoSetup, setupDemo } from '../demo/setup-demo';
import { decideModel } from '../models/decide-model';
import { updateGateThresholds } from '../models/kpi-gate-settings';
import { cancelRun } from '../runs/cancel-run';
import { launchRun } from '../runs/launch-run';
import { retryRun } from '../runs/retry-run';
import { finishPendingRetrains, finishRetrainOfRun } from './finish-retrain';
import { getRetrainSetting } from './read-retrain-setting';
import { RETRAIN_ACTOR, triggerPendingRetrains, triggerRetrain } from './trigger-retrain';
import { updateRetrainSetting } from './update-retrain-setting';

// The REST test authenticates with API keys; the session (next-auth) is never consulted and does not load under vitest.
vi.mock('@/server/auth/session', () => ({ getSessionActor: async () => null }));

let db: Db;
let url: string;
let dir: string;
let adapters: Adapters;
let engineer: ServiceContext;
let owner: ServiceContext;
let ownerId: string;
let templateRun: { id: string; number: number };
const sent: { name: JobName; data: unknown }[] = [];
const queue: JobQueue = {
  async send<N extends JobName>(name: N, data: JobPayloads[N]) {
    sent.push({ name, data });
    return `job-${sent.length}`;
  },
};
const deps = () => ({ db, databaseUrl: url, workerId: 'test-worker', concurrency: 1 });
const retrainCtx = (): ServiceContext => ({ actor: RETRAIN_ACTOR, db, adapters });
const retrainRuns = () => db.run.findMany({ where: { tags: { has: 'retrain' } }, orderBy: { number: 'asc' } });
const actions = async (action: string) => db.auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } });

/** The web/worker path: upload as the engineer, then the worker's dataset.process job (which is where a retrain starts). */
async function importVersion(seed: number) {
  const file = path.join(dir, `transactions_${seed}.csv.gz`);
  await writeSyntheticFile({ rows: 12_000, seed, out: file });
  const { size } = await fs.stat(file);
  const started = await startImport(engineer, { dataset: 'demo', files: [{ name: path.basename(file), bytes: size }] });
  await receiveFile(engineer, started.versionId, path.basename(file), createReadStream(file));
  await completeUpload(engineer, started.versionId, { processing: 'queue' });
  await runDatasetProcessJob(db, adapters, started.versionId);
  return db.datasetVersion.findUniqueOrThrow({ where: { id: started.versionId } });
}

/** A ready version row without files: enough for the trigger's decisions (its run is never executed). */
async function readyVersionRow(profile?: object) {
  const dataset = await db.dataset.findUniqueOrThrow({ where: { name: 'demo' } });
  const last = await db.datasetVersion.aggregate({ where: { datasetId: dataset.id }, _max: { version: true } });
  return db.datasetVersion.create({ data: { datasetId: dataset.id, status: 'ready', version: (last._max.version ?? 0) + 1, completedAt: new Date(), contentHash: `row-${Date.now()}`, ...(profile ? { profile } : {}) } });
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  ({ db, url } = await createTestDatabase());
  dir = await tempDir();
  // The trainer process finds storage the way the platform does: under MLOPS_DATA_DIR.
  process.env.MLOPS_DATA_DIR = dir;
  adapters = { storage: createLocalStorage(path.join(dir, 'storage')), queue, workDir: path.join(dir, 'work') };
  await requestDemoSetup(db, { send: async () => 'demo-job' }, { rows: 12_000 });
  await setupDemo({ actor: DEMO_ACTOR, db, adapters }, { rows: 12_000, seed: 7, train: false });
  engineer = { ...(await userContext(db, 'ml_engineer')).ctx, adapters };
  // The owner is an admin, so the four-eyes rule can be seen refusing them.
  const admin = await userContext(db, 'admin');
  owner = { ...admin.ctx, adapters };
  ownerId = admin.user.id;
  const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'logistic_regression', params: { maxIter: 60 }, seed: 5, tags: ['template'] });
  expect(await executeRun(deps(), run.id)).toBe('succeeded');
  templateRun = run;
}, 180_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the retrain setting', () => {
  it('is off by default, and a new version then launches nothing', async () => {
    expect(await getRetrainSetting(engineer, 'demo')).toMatchObject({ dataset: 'demo', enabled: false, template: null, lastTrigger: null });
    const v2 = await importVersion(8);
    expect(v2).toMatchObject({ status: 'ready', version: 2 });
    expect(await triggerRetrain(retrainCtx(), v2.id)).toBeNull();
    expect(await triggerPendingRetrains(retrainCtx())).toEqual([]);
    expect(await retrainRuns()).toHaveLength(0);
    expect(await db.retrainTrigger.count()).toBe(0);
  }, 120_000);

  it('refuses bad input with errors that name the field, and changes nothing', async () => {
    const other = await db.dataset.create({ data: { name: 'other-shape' } });
    // Data of another shape: its profile records a schema without CUST_CODE and with an extra column.
    const demoV1 = await db.datasetVersion.findFirstOrThrow({ where: { dataset: { name: 'demo' }, version: 1 } });
    const columns = (demoV1.profile as { columns: { name: string; type: string }[] }).columns.filter((c) => c.name !== 'CUST_CODE');
    const otherVersion = await db.datasetVersion.create({ data: { datasetId: other.id, status: 'ready', version: 1, completedAt: new Date(), profile: { columns: [...columns, { name: 'LOYALTY_TIER', type: 'VARCHAR' }] } } });
    const otherRun = await db.run.create({ data: { name: 'on other data', datasetVersionId: otherVersion.id, algorithm: 'logistic_regression', params: {}, status: 'succeeded' } });
    const failedRun = await db.run.create({ data: { name: 'broken', datasetVersionId: demoV1.id, algorithm: 'gbdt', params: {}, status: 'failed', error: 'boom' } });
    const auditBefore = await db.auditEvent.count();

    const cases: [unknown, string, RegExp][] = [
      [{ enabled: true }, 'fromRun', /choose the template/],
      [{ enabled: true, fromRun: 'no-such-run' }, 'fromRun', /no run "no-such-run"/],
      [{ enabled: true, fromRun: '99999' }, 'fromRun', /no run "99999"/],
      [{ enabled: true, fromRun: otherRun.id }, 'fromRun', /was trained on other-shape v1, whose columns are not this dataset's: this dataset lacks LOYALTY_TIER:VARCHAR and has CUST_CODE:VARCHAR in addition/],
      [{ enabled: true, fromRun: String(failedRun.number) }, 'fromRun', /is failed; only a succeeded run/],
      [{ enabled: true, fromDeployment: 'production' }, 'fromDeployment', /no deployment "production"/],
      [{ enabled: true, fromRun: templateRun.id, fromDeployment: 'production' }, 'fromDeployment', /not both/],
      [{ enabled: true, fromRun: templateRun.id, candidateFor: 'staging' }, 'candidateFor', /no deployment "staging"/],
      [{ enabled: true, fromRun: templateRun.id, candidateFor: 'Not A Name' }, 'candidateFor', /lower-case letters/],
      [{ enabled: false, fromRun: templateRun.id }, 'fromRun', /only with enabled: true/],
      [{ enabled: 'yes' }, 'enabled', /must be true or false/],
      [{ enabled: true, fromRun: templateRun.id, algorithm: 'gbdt' }, 'algorithm', /unknown field: algorithm/],
    ];
    for (const [input, field, message] of cases) {
      const error = await errorOf(updateRetrainSetting(owner, 'demo', input));
      expect(error, JSON.stringify(input)).toBeInstanceOf(AppError);
      expect(error.code, JSON.stringify(input)).toBe('VALIDATION');
      expect(error.message, JSON.stringify(input)).toMatch(message);
      expect(error.details?.fields?.map((f) => f.field), JSON.stringify(input)).toContain(field);
    }
    expect((await errorOf(updateRetrainSetting(owner, 'nope', { enabled: true, fromRun: templateRun.id }))).code).toBe('NOT_FOUND');
    const viewer = { ...(await userContext(db, 'viewer')).ctx, adapters };
    expect((await errorOf(updateRetrainSetting(viewer, 'demo', { enabled: false }))).message).toBe('Your role (viewer) may not import or change datasets.');
    const approver = { ...(await userContext(db, 'approver')).ctx, adapters };
    expect((await errorOf(updateRetrainSetting(approver, 'demo', { enabled: true, fromRun: templateRun.id }))).code).toBe('FORBIDDEN');

    expect(await db.retrainPolicy.count()).toBe(0);
    expect((await db.dataset.findUniqueOrThrow({ where: { name: 'demo' } })).retrainOnNewVersion).toBe(false);
    expect(await db.auditEvent.count()).toBe(auditBefore);
  });

  it('is turned on with a template copied from a run, audited; versions ready before it are never retrained', async () => {
    const view = await updateRetrainSetting(owner, 'demo', { enabled: true, fromRun: `#${templateRun.number}` });
    expect(view).toMatchObject({
      enabled: true, candidateFor: null, owner: (await db.user.findUniqueOrThrow({ where: { id: ownerId } })).email,
      template: { algorithm: 'logistic_regression', seed: 5, source: 'run', sourceRun: { id: templateRun.id, number: templateRun.number, dataset: 'demo v1' } },
    });
    expect(view.template!.params).toMatchObject({ maxIter: 60, C: 10 });
    const [audit] = await actions('dataset.retrain_setting');
    expect(audit).toMatchObject({ actorId: ownerId, entityType: 'dataset', summary: `Turned on retraining of demo when a new version arrives: logistic_regression from run #${templateRun.number}` });
    expect(audit!.after).toMatchObject({ enabled: true, algorithm: 'logistic_regression', sourceRunId: templateRun.id });
    // v1 and v2 were ready before: nothing to do.
    expect(await triggerPendingRetrains(retrainCtx())).toEqual([]);
    expect(await retrainRuns()).toHaveLength(0);
  });
});

describe('a new version with the setting on', () => {
  let v3Id: string;
  let runId: string;

  it('launches exactly one run on it, however often the import job and the hooks run', async () => {
    const v3 = await importVersion(9);
    v3Id = v3.id;
    expect(v3.version).toBe(3);
    // The import job retried, the trigger called concurrently, the minute sweep: still one.
    await runDatasetProcessJob(db, adapters, v3.id);
    const again = await Promise.all([triggerRetrain(retrainCtx(), v3.id), triggerRetrain(retrainCtx(), v3.id), triggerPendingRetrains(retrainCtx())]);
    expect(again).toEqual([null, null, []]);

    const runs = await retrainRuns();
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    runId = run.id;
    expect(run).toMatchObject({ datasetVersionId: v3.id, algorithm: 'logistic_regression', seed: 5, status: 'queued', tags: ['retrain'], name: 'Retrain on demo v3', createdById: ownerId });
    expect(run.params).toMatchObject({ maxIter: 60 });
    expect(sent.filter((s) => s.name === 'run.execute' && (s.data as { runId: string }).runId === run.id)).toHaveLength(1);
    const trigger = await db.retrainTrigger.findUniqueOrThrow({ where: { datasetVersionId: v3.id } });
    expect(trigger).toMatchObject({ status: 'training', runId: run.id });
    const [launched] = await actions('dataset.retrain_launched');
    expect(launched).toMatchObject({ actorType: 'system', actorLabel: 'retrain on new data', entityType: 'dataset_version', entityId: v3.id, summary: `New version demo v3 triggered a retrain: run #${run.number} (logistic_regression)` });
    const logs = await db.runLog.findMany({ where: { runId: run.id } });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/Launched automatically: demo v3 is a new version/);
    // Not finished yet: the completion hook does nothing.
    expect(await finishRetrainOfRun(retrainCtx(), run.id)).toBeNull();
  }, 120_000);

  it('registers the finished run once, pending manual approval, with lineage to the new version', async () => {
    expect(await executeRun(deps(), runId)).toBe('succeeded');
    // The worker after the run and the minute job at the same moment, then once more.
    const outcomes = await Promise.all([finishRetrainOfRun(retrainCtx(), runId), finishRetrainOfRun(retrainCtx(), runId), finishPendingRetrains(retrainCtx())]);
    expect(outcomes.filter((o) => o === 'registered').length + (outcomes[2] as unknown[]).length).toBe(1);
    expect(await finishRetrainOfRun(retrainCtx(), runId)).toBeNull();

    const models = await db.modelVersion.findMany({ include: { transitions: true } });
    expect(models).toHaveLength(1);
    const model = models[0]!;
    expect(model).toMatchObject({ runId, datasetVersionId: v3Id, status: 'PendingManualApproval', registeredById: null });
    expect(model.datasetHash).toBe((await db.datasetVersion.findUniqueOrThrow({ where: { id: v3Id } })).contentHash);
    expect(model.transitions).toEqual([expect.objectContaining({ toStatus: 'PendingManualApproval', actorLabel: 'retrain on new data', comment: expect.stringMatching(/retrain triggered by the new dataset version demo v3/) })]);

    const trigger = await db.retrainTrigger.findUniqueOrThrow({ where: { datasetVersionId: v3Id } });
    expect(trigger).toMatchObject({ status: 'registered', modelVersionId: model.id, gatesPassed: model.gatesPassed, claimedAt: null });
    const registered = await actions('dataset.retrain_registered');
    expect(registered).toHaveLength(1);
    expect(registered[0]).toMatchObject({ entityType: 'dataset_version', entityId: v3Id });
    expect(registered[0]!.summary).toMatch(/^Retrain of demo v3 \(run #\d+\) registered as price-sensitivity v1, pending manual approval/);
    expect(await actions('model.approve')).toHaveLength(0);

    // Four-eyes: the run is the owner's, so the owner (an admin) may not approve it; an approver may.
    expect((await errorOf(decideModel(owner, model.id, { decision: 'approve', comment: 'looks good' }))).message).toMatch(/four-eyes/);

    const view = await getRetrainSetting(engineer, 'demo');
    expect(view.lastTrigger).toMatchObject({
      status: 'registered', datasetVersion: { id: v3Id, version: 3 },
      run: { id: runId, status: 'succeeded' }, model: { id: model.id, version: 1, status: 'PendingManualApproval', gatesPassed: model.gatesPassed },
    });
  }, 120_000);
});

describe('what does not go to plan is visible', () => {
  it('a failed run is recorded; retried to success with failing gates, it is still registered, showing the failure', async () => {
    const v4 = await importVersion(10);
    const [, run] = await retrainRuns();
    expect(run!.datasetVersionId).toBe(v4.id);
    await cancelRun(engineer, run!.id);
    expect(await finishRetrainOfRun(retrainCtx(), run!.id)).toBe('run_failed');
    expect(await db.retrainTrigger.findUniqueOrThrow({ where: { datasetVersionId: v4.id } })).toMatchObject({ status: 'run_failed', message: 'the run cancelled', modelVersionId: null });
    expect((await actions('dataset.retrain_failed')).at(-1)).toMatchObject({ entityId: v4.id, summary: `Retrain of demo v4 (run #${run!.number}): the run cancelled` });
    expect((await getRetrainSetting(engineer, 'demo')).lastTrigger).toMatchObject({ status: 'run_failed', run: { status: 'cancelled' }, model: null });

    await updateGateThresholds(owner, { accuracy: 0.999 });
    await retryRun(engineer, run!.id);
    expect(await executeRun(deps(), run!.id)).toBe('succeeded');
    expect(await finishPendingRetrains(retrainCtx())).toEqual([{ triggerId: expect.any(String), outcome: 'registered' }]);
    const trigger = await db.retrainTrigger.findUniqueOrThrow({ where: { datasetVersionId: v4.id }, include: { modelVersion: true } });
    expect(trigger).toMatchObject({ status: 'registered', gatesPassed: false, message: expect.stringMatching(/^failed KPI gates: Accuracy/) });
    expect(trigger.modelVersion).toMatchObject({ status: 'PendingManualApproval', gatesPassed: false, datasetVersionId: v4.id });
    expect((await actions('dataset.retrain_registered')).at(-1)!.summary).toMatch(/failed KPI gates: Accuracy/);
    const logs = await db.runLog.findMany({ where: { runId: run!.id, level: 'warn' } });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/Registered automatically as price-sensitivity v2 \(failed KPI gates: Accuracy/);
    await updateGateThresholds(owner, { accuracy: 0.75 });
  }, 180_000);

  it('data of another shape, or an owner who may no longer train, launch nothing and say why', async () => {
    const profile = (await db.datasetVersion.findFirstOrThrow({ where: { dataset: { name: 'demo' }, version: 1 } })).profile as { columns: { name: string; type: string }[] };
    const reshaped = await readyVersionRow({ ...profile, columns: profile.columns.filter((c) => c.name !== 'seg_2') });
    expect(await triggerRetrain(retrainCtx(), reshaped.id)).toMatchObject({ status: 'skipped', runId: null, message: expect.stringMatching(/its columns differ .* it lacks seg_2:VARCHAR/) });

    await db.user.update({ where: { id: ownerId }, data: { isActive: false } });
    const later = await readyVersionRow();
    const [outcome] = await triggerPendingRetrains(retrainCtx());
    expect(outcome).toMatchObject({ status: 'skipped', message: expect.stringMatching(/turned on by .* who has been deactivated/) });
    await db.user.update({ where: { id: ownerId }, data: { isActive: true } });
    expect((await actions('dataset.retrain_skipped')).map((a) => a.entityId)).toEqual([reshaped.id, later.id]);
    expect(await retrainRuns()).toHaveLength(2);
  });

  it('turned off, new versions launch nothing; turned on again, it keeps the template and only looks forward', async () => {
    const off = await updateRetrainSetting(engineer, 'demo', { enabled: false });
    expect(off).toMatchObject({ enabled: false, template: { algorithm: 'logistic_regression' } });
    const whileOff = await readyVersionRow();
    expect(await triggerRetrain(retrainCtx(), whileOff.id)).toBeNull();
    const on = await updateRetrainSetting(engineer, 'demo', { enabled: true });
    expect(on).toMatchObject({ enabled: true, owner: engineer.actor.kind === 'user' ? engineer.actor.email : null, template: { sourceRun: { id: templateRun.id } } });
    expect(await triggerPendingRetrains(retrainCtx())).toEqual([]);
    expect((await actions('dataset.retrain_setting')).map((a) => a.summary.split(' retraining')[0])).toEqual(['Turned on', 'Turned off', 'Turned on']);

    // A version ready now is retrained — once, though three callers race for it.
    const next = await readyVersionRow();
    const raced = await Promise.all([triggerRetrain(retrainCtx(), next.id), triggerRetrain(retrainCtx(), next.id), triggerPendingRetrains(retrainCtx())]);
    const launched = [raced[0], raced[1], ...raced[2]].filter((o) => o?.status === 'training');
    expect(launched).toHaveLength(1);
    expect(await db.run.count({ where: { datasetVersionId: next.id } })).toBe(1);
    expect((await db.run.findFirstOrThrow({ where: { datasetVersionId: next.id } })).createdById).toBe(engineer.actor.kind === 'user' ? engineer.actor.userId : null);
  });
});

describe('REST: /api/v1/datasets/{name}/retrain', () => {
  it('answers the setting to a read key, and refuses malformed JSON, unknown fields and read-only keys with field-named errors', async () => {
    // The route handlers build their context from the process runtime: point it at this test's database.
    (globalThis as { __pricesenseRuntime?: Promise<Partial<Runtime>> }).__pricesenseRuntime = Promise.resolve({ db, adapters, queue, storage: adapters.storage });
    const { secret: write } = await createApiKey(engineer, { name: 'ci', scopes: ['read', 'write'] });
    const { secret: read } = await createApiKey(engineer, { name: 'dashboards', scopes: ['read'] });
    const call = (method: 'GET' | 'PUT', key: string, body?: string) => {
      const req = new NextRequest('http://localhost/api/v1/datasets/demo/retrain', { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) });
      return (method === 'GET' ? GET : PUT)(req, { params: Promise.resolve({ name: 'demo' }) });
    };

    const got = await call('GET', read);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ dataset: 'demo', enabled: true, template: { algorithm: 'logistic_regression' }, lastTrigger: { status: 'training' } });

    const malformed = await call('PUT', write, '{"enabled": tru');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toMatchObject({ code: 'BAD_JSON', message: expect.stringMatching(/^Malformed JSON body/) });

    const unknown = await call('PUT', write, JSON.stringify({ enabled: true, fromRun: 'no-such-run', params: {} }));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.fields).toEqual([{ field: 'params', message: 'unknown field: params' }]);

    const noRun = await call('PUT', write, JSON.stringify({ enabled: true, fromRun: 'no-such-run' }));
    expect(noRun.status).toBe(400);
    expect((await noRun.json()).error.fields).toEqual([{ field: 'fromRun', message: 'no such run' }]);

    const readOnly = await call('PUT', read, JSON.stringify({ enabled: false }));
    expect(readOnly.status).toBe(403);

    const off = await call('PUT', write, JSON.stringify({ enabled: false }));
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ enabled: false, template: { algorithm: 'logistic_regression' } });
    expect((await actions('dataset.retrain_setting')).at(-1)).toMatchObject({ actorType: 'api_key', summary: 'Turned off retraining of demo when a new version arrives' });
    delete (globalThis as { __pricesenseRuntime?: unknown }).__pricesenseRuntime;
  });
});

describe('CLI: mlops data retrain', () => {
  /** As scripts call it: `npm run -s mlops -- …`, against this test's database. */
  async function mlops(...args: string[]) {
    const root = path.resolve(import.meta.dirname, '..', '..', '..');
    try {
      const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'mlops', '--', ...args], { cwd: root, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }, timeout: 60_000 });
      return { code: 0, stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  }

  it('turns it on from a run, shows it, and names the option it refuses', async () => {
    const on = await mlops('data', 'retrain', '--dataset', 'demo', '--on', '--from-run', String(templateRun.number), '--json');
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout)).toMatchObject({ dataset: 'demo', enabled: true, owner: null, template: { algorithm: 'logistic_regression', sourceRun: { number: templateRun.number } } });
    expect((await actions('dataset.retrain_setting')).at(-1)!.actorLabel).toMatch(/^cli \(/);

    const bad = await mlops('data', 'retrain', '--dataset', 'demo', '--on', '--from-run', 'no-such-run', '--json');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'VALIDATION', message: '--from-run: no run "no-such-run": give a run id or number.', fields: [{ field: '--from-run', message: 'no such run' }] });

    const shown = await mlops('data', 'retrain', '--dataset', 'demo');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Retrain demo when a new version arrives: on\n/);
    expect(shown.stdout).toMatch(/v3 → Registered for approval · run #\d+ succeeded · price-sensitivity v1 PendingManualApproval/);
  }, 120_000);
});
