import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestKey, manifestSchema } from '@/inference/src/contract';
import { createTestDatabase } from '@/test/db';
import { userContext } from '@/test/actors';
import { setUpDemoModel } from '@/test/demo-model';
import { tempDir } from '@/test/transactions';
import { hashSecret } from '@/server/auth/secrets';
import { createSageMakerRegistryMirror } from '@/server/adapters/registry/sagemaker';
import { createLocalStorage } from '@/server/adapters/storage/local';
import { startMoto } from '@/test/moto';
import type { StoragePort } from '@/server/adapters/storage/port';
import type { Db, Prisma } from '@/server/db/client';
import type { JobQueue } from '@/server/jobs/queue-port';
import { createApiKey } from '../api-keys/create-api-key';
import { revokeApiKey } from '../api-keys/revoke-api-key';
import type { ServiceContext } from '../context';
import { deployModel, rollbackDeployment } from '../deployments/deploy-model';
import { getDeployment, listDeployments } from '../deployments/read-deployments';
import { decideModel } from './decide-model';
import { updateGateThresholds } from './kpi-gate-settings';
import { compareWithDeployed, getModel, listModels } from './read-models';
import { registerModel } from './register-model';

let db: Db;
let url: string;
let dir: string;
let storage: StoragePort;
const PREDICT_KEY = 'psk_control-plane-test-key-0123456789';
const queue: JobQueue = { send: async () => 'job' };
let demoRunId: string;

const readManifest = async (name = 'production') => manifestSchema.parse(JSON.parse((await storage.getBuffer(manifestKey(name))).toString('utf8')));

async function as(role: 'ml_engineer' | 'approver' | 'viewer' | 'admin') {
  const { ctx, user } = await userContext(db, role);
  return { ctx: { ...ctx, adapters: { storage, queue, predictKey: PREDICT_KEY } } as ServiceContext, user };
}

/** A succeeded run with the given metrics, sharing the demo run's real artifact. */
async function fakeRun(createdById: string | null, metrics: { accuracy: number; macro_f1: number; precision: [number, number, number] }) {
  const demo = await db.run.findUniqueOrThrow({ where: { id: demoRunId } });
  const [la, mm, um] = metrics.precision;
  const full = { ...(demo.metrics as Record<string, unknown>), accuracy: metrics.accuracy, macro_f1: metrics.macro_f1, per_class: { LA: { precision: la, recall: 0.8, f1: 0.8, support: 10 }, MM: { precision: mm, recall: 0.8, f1: 0.8, support: 10 }, UM: { precision: um, recall: 0.8, f1: 0.8, support: 10 } } };
  return db.run.create({
    data: {
      name: 'fake', datasetVersionId: demo.datasetVersionId, algorithm: demo.algorithm, params: demo.params as Prisma.InputJsonValue, status: 'succeeded', finishedAt: new Date(),
      metrics: full as Prisma.InputJsonValue, artifactUri: demo.artifactUri, artifactSha256: demo.artifactSha256, codeVersion: 'test', createdById,
    },
  });
}

beforeAll(async () => {
  ({ db, url } = await createTestDatabase());
  dir = await tempDir();
  storage = createLocalStorage(path.join(dir, 'storage'));
  const demo = await setUpDemoModel({ db, url, dir, storage, predictKey: PREDICT_KEY });
  demoRunId = demo.runId;
  expect(demo.before).toBeNull(); // the run had not run yet
  expect(demo.after).toBe('done');
  expect(demo.concurrent.filter((c) => c === 'done')).toHaveLength(1);
  expect(demo.concurrent.filter((c) => c === null)).toHaveLength(1);
}, 180_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the first-start demo', () => {
  it('trains, registers, approves and deploys a default model to production, all as "demo set-up"', async () => {
    const [dep] = await listDeployments((await as('viewer')).ctx);
    expect(dep).toMatchObject({ name: 'production', current: { version: 1, status: 'Approved' } });
    const manifest = await readManifest();
    expect(manifest.model).toMatchObject({ version: 1, artifactKey: `runs/${demoRunId}/model.json` });
    expect(manifest.keys.map((k) => k.sha256)).toEqual([hashSecret(PREDICT_KEY)]);
    const actions = await db.auditEvent.findMany({ where: { actorLabel: 'demo set-up' }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['run.launch', 'model.register', 'deployment.deploy']));
    expect(actions.filter((a) => a.action.startsWith('model.approve'))).toHaveLength(1);
    const model = await getModel((await as('viewer')).ctx, '1');
    expect(model.transitions.map((t) => [t.toStatus, t.actorLabel])).toEqual([['PendingManualApproval', 'demo set-up'], ['Approved', 'demo set-up']]);
    expect(model).toMatchObject({ runId: demoRunId, datasetHash: expect.stringMatching(/^[0-9a-f]{16,}$/), artifactSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe('registering', () => {
  it('refuses what cannot be registered, naming why, and changes nothing', async () => {
    const { ctx: engineer, user } = await as('ml_engineer');
    const before = await db.modelVersion.count();
    await expect(registerModel((await as('viewer')).ctx, { runId: demoRunId })).rejects.toThrow('Your role (viewer) may not register models.');
    await expect(registerModel(engineer, { runId: demoRunId })).rejects.toThrow(/is already registered as price-sensitivity v1/);
    await expect(registerModel(engineer, { runId: 'nope' })).rejects.toThrow('Run "nope" not found');
    const failed = await db.run.create({ data: { name: 'failed', datasetVersionId: (await db.run.findUniqueOrThrow({ where: { id: demoRunId } })).datasetVersionId, algorithm: 'gbdt', status: 'failed', createdById: user.id } });
    await expect(registerModel(engineer, { runId: failed.id })).rejects.toThrow(`Run #${failed.number} is failed; only a succeeded run can be registered.`);
    await expect(registerModel(engineer, { runId: demoRunId, extra: 1 })).rejects.toThrow(/extra/);
    expect(await db.modelVersion.count()).toBe(before);
  });

  it('evaluates the KPI gates against the thresholds in force and records lineage and who registered', async () => {
    const { ctx: engineer, user } = await as('ml_engineer');
    const good = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.9, macro_f1: 0.85, precision: [0.8, 0.9, 0.7] })).id, comment: 'better features' });
    expect(good).toMatchObject({ gatesPassed: true, status: 'PendingManualApproval', mirror: { mirrored: false, reason: 'not-configured' } });
    const weak = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.9, macro_f1: 0.85, precision: [0.8, 0.6, 0.7] })).id });
    expect(weak.gatesPassed).toBe(false);
    expect(weak.gateResults.filter((g) => !g.passed).map((g) => g.gate)).toEqual(['precision_MM']);
    const admin = (await as('admin')).ctx;
    await updateGateThresholds(admin, { accuracy: 0.95 });
    const afterChange = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.9, macro_f1: 0.85, precision: [0.8, 0.9, 0.7] })).id });
    expect(afterChange.gateResults.find((g) => g.gate === 'accuracy')).toMatchObject({ threshold: 0.95, passed: false });
    await updateGateThresholds(admin, { accuracy: 0.75 });
    const detail = await getModel(engineer, good.id);
    expect(detail.registeredBy?.email).toBe(user.email);
    expect(detail.transitions[0]).toMatchObject({ toStatus: 'PendingManualApproval', comment: 'better features', actorLabel: user.email });
    expect(new Set([good.version, weak.version, afterChange.version]).size).toBe(3);
  });

  it('gives concurrent registrations distinct version numbers', async () => {
    const { ctx: engineer, user } = await as('ml_engineer');
    const runs = await Promise.all([0, 1, 2, 3].map(() => fakeRun(user.id, { accuracy: 0.8, macro_f1: 0.8, precision: [0.8, 0.8, 0.8] })));
    const versions = await Promise.all(runs.map((r) => registerModel(engineer, { runId: r.id })));
    expect(new Set(versions.map((v) => v.version)).size).toBe(4);
  });
});

describe('approval', () => {
  it('enforces four-eyes, needs a written override for a failing gate, and keeps the timeline and audit', async () => {
    const { ctx: engineer, user } = await as('ml_engineer');
    const { ctx: approver } = await as('approver');
    const weak = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.7, macro_f1: 0.85, precision: [0.8, 0.8, 0.7] })).id });
    await expect(decideModel(engineer, weak.id, { decision: 'approve', comment: 'ok' })).rejects.toThrow('Your role (ml_engineer) may not approve or reject models.');
    // An admin who trained the model is still refused: four-eyes binds everyone.
    const { ctx: admin, user: adminUser } = await as('admin');
    const own = await registerModel(admin, { runId: (await fakeRun(adminUser.id, { accuracy: 0.9, macro_f1: 0.9, precision: [0.9, 0.9, 0.9] })).id });
    await expect(decideModel(admin, own.id, { decision: 'approve', comment: 'looks good' })).rejects.toThrow(/You trained price-sensitivity v\d+ \(run #\d+\); another approver must approve it \(four-eyes rule\)/);
    await expect(decideModel(approver, weak.id, { decision: 'approve', comment: 'fine' })).rejects.toThrow(/fails KPI gates \(Accuracy\); approving it needs an override reason/);
    await expect(decideModel(approver, weak.id, { decision: 'approve', comment: '' })).rejects.toThrow(/comment: is required/);
    expect((await getModel(approver, weak.id)).status).toBe('PendingManualApproval');
    const ok = await decideModel(approver, weak.id, { decision: 'approve', comment: 'accepted for the pilot', overrideReason: 'accuracy slightly under the gate; pilot stores only' });
    expect(ok).toMatchObject({ status: 'Approved', override: true });
    await expect(decideModel(approver, weak.id, { decision: 'reject', comment: 'changed my mind' })).rejects.toThrow(/is already approved/);
    const detail = await getModel(approver, weak.id);
    expect(detail.overrideReason).toBe('accuracy slightly under the gate; pilot stores only');
    expect(detail.transitions.map((t) => [t.fromStatus, t.toStatus, t.isOverride])).toEqual([[null, 'PendingManualApproval', false], ['PendingManualApproval', 'Approved', true]]);
    expect(await db.auditEvent.count({ where: { action: 'model.approve_override', entityId: weak.id } })).toBe(1);
  });

  it('lets exactly one of two simultaneous decisions win', async () => {
    const { ctx: engineer, user } = await as('ml_engineer');
    const m = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.9, macro_f1: 0.9, precision: [0.9, 0.9, 0.9] })).id });
    const [a, b] = await Promise.all([(await as('approver')).ctx, (await as('approver')).ctx]);
    const results = await Promise.allSettled([decideModel(a, m.id, { decision: 'approve', comment: 'yes' }), decideModel(b, m.id, { decision: 'reject', comment: 'no' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await getModel(a, m.id)).transitions).toHaveLength(2);
  });
});

describe('deployment', () => {
  it('deploys only approved versions, publishes the manifest, rolls back in one call and keeps the history', async () => {
    const { ctx: engineer, user } = await as('ml_engineer');
    const { ctx: approver } = await as('approver');
    const pending = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.95, macro_f1: 0.95, precision: [0.9, 0.9, 0.9] })).id });
    await expect(deployModel(engineer, { model: pending.id })).rejects.toThrow(/is not approved yet; only approved versions can be deployed/);
    await expect(deployModel((await as('viewer')).ctx, { model: pending.id })).rejects.toThrow('Your role (viewer) may not deploy models.');
    await expect(deployModel(engineer, { model: pending.id, deployment: 'Prod!' })).rejects.toThrow(/deployment: must be lower-case/);
    await decideModel(approver, pending.id, { decision: 'approve', comment: 'best so far' });
    const before = await readManifest();
    const deployed = await deployModel(engineer, { model: `v${pending.version}`, comment: 'ship it' });
    expect(deployed).toMatchObject({ deployment: 'production', previous: 'price-sensitivity v1', action: 'deploy' });
    const after = await readManifest();
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(after.model).toMatchObject({ versionId: pending.id, version: pending.version });
    await expect(deployModel(engineer, { model: pending.id })).rejects.toThrow(/already serves production/);

    const compared = await compareWithDeployed(engineer, '1');
    expect(compared.current?.id).toBe(pending.id);
    expect(compared.deltas.find((d) => d.metric === 'accuracy')?.delta).toBeCloseTo((compared.candidate.metrics.accuracy ?? 0) - 0.95, 6);

    const back = await rollbackDeployment(engineer, 'production', { comment: 'latency regression' });
    expect(back).toMatchObject({ action: 'rollback', model: 'price-sensitivity v1' });
    expect((await readManifest()).model?.version).toBe(1);
    await expect(rollbackDeployment(engineer, 'production', { to: 'v999' })).rejects.toThrow('Model version "v999" not found');
    const other = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.9, macro_f1: 0.9, precision: [0.9, 0.9, 0.9] })).id });
    await expect(rollbackDeployment(engineer, 'production', { to: other.id })).rejects.toThrow(/never served production; deploy it instead/);
    const again = await rollbackDeployment(engineer, 'production', { to: pending.id });
    expect(again.model).toBe(`price-sensitivity v${pending.version}`);

    const history = await getDeployment(engineer, 'production');
    expect(history.events.map((e) => [e.action, e.modelVersion.version, e.endedAt === null])).toEqual([
      ['rollback', pending.version, true], ['rollback', 1, false], ['deploy', pending.version, false], ['deploy', 1, false],
    ]);
    await expect(rollbackDeployment(engineer, 'staging')).rejects.toThrow('Deployment "staging" not found');
  });

  it('creates a new deployment once when two first deploys to it arrive together', async () => {
    const { ctx: engineer, user } = await as('ml_engineer');
    const { ctx: approver } = await as('approver');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const m = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.9, macro_f1: 0.9, precision: [0.9, 0.9, 0.9] })).id });
      await decideModel(approver, m.id, { decision: 'approve', comment: 'for staging' });
      ids.push(m.id);
    }
    const results = await Promise.allSettled(ids.map((id) => deployModel(engineer, { model: id, deployment: 'staging' })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const staging = await getDeployment(engineer, 'staging');
    expect(staging.events).toHaveLength(2);
    expect(staging.events.filter((e) => e.endedAt === null)).toHaveLength(1);
    expect((await readManifest('staging')).model?.versionId).toBe(staging.currentModelVersion?.id);
  });

  it('keeps database and manifest in agreement when storage fails during a deploy', async () => {
    const { ctx: engineer, user } = await as('ml_engineer');
    const m = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.9, macro_f1: 0.9, precision: [0.9, 0.9, 0.9] })).id });
    await decideModel((await as('approver')).ctx, m.id, { decision: 'approve', comment: 'fine' });
    const broken: StoragePort = { ...storage, put: async () => { throw new Error('disk full'); } };
    const before = await db.deployment.findUniqueOrThrow({ where: { name: 'production' } });
    const manifestBefore = await readManifest();
    await expect(deployModel({ ...engineer, adapters: { ...engineer.adapters, storage: broken } }, { model: m.id })).rejects.toThrow('disk full');
    expect(await db.deployment.findUniqueOrThrow({ where: { name: 'production' } })).toEqual(before);
    expect(await readManifest()).toEqual(manifestBefore);
  });

  it('publishes prediction keys: a new predict key appears in every manifest, a revoked one disappears', async () => {
    const { ctx: engineer } = await as('ml_engineer');
    const readOnly = await createApiKey(engineer, { name: 'dashboards', scopes: ['read'] });
    expect((await readManifest()).keys.map((k) => k.id)).not.toContain(readOnly.id);
    const key = await createApiKey(engineer, { name: 'checkout', scopes: ['predict'] });
    const listed = (await readManifest()).keys.find((k) => k.id === key.id);
    expect(listed).toMatchObject({ sha256: hashSecret(key.secret), name: 'checkout', rateLimitPerSecond: expect.any(Number) });
    await revokeApiKey(engineer, key.id);
    expect((await readManifest()).keys.map((k) => k.id)).not.toContain(key.id);
  });

  it('lists models with counts by status', async () => {
    const list = await listModels((await as('viewer')).ctx, { status: 'Approved' });
    expect(list.models.every((m) => m.status === 'Approved')).toBe(true);
    expect(list.counts.Approved).toBe(list.total);
    expect(list.counts.PendingManualApproval).toBeGreaterThan(0);
  });
});

describe('AWS mode: the SageMaker Model Package Group mirror (moto)', () => {
  it('mirrors a registration with its metrics and each decision with the same status; a failed mirror never undoes the registry', async () => {
    const moto = await startMoto();
    try {
      const mirror = createSageMakerRegistryMirror({ region: 'ap-southeast-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, imageUri: null });
      const { ctx, user } = await as('ml_engineer');
      const engineer = { ...ctx, adapters: { ...ctx.adapters, registryMirror: mirror } };
      const approver = { ...(await as('approver')).ctx, adapters: engineer.adapters };
      const m = await registerModel(engineer, { runId: (await fakeRun(user.id, { accuracy: 0.91, macro_f1: 0.88, precision: [0.9, 0.8, 0.85] })).id });
      expect(m.mirror).toMatchObject({ mirrored: true, arn: expect.stringContaining(':model-package/price-sensitivity/') });
      const arn = (m.mirror as { arn: string }).arn;
      expect(await mirror.describeVersion(arn)).toMatchObject({ status: 'PendingManualApproval', modelVersionId: m.id, metrics: { accuracy: 0.91, macro_f1: 0.88, precision_MM: 0.8 } });
      await decideModel(approver, m.id, { decision: 'approve', comment: 'mirrors too' });
      expect(await mirror.describeVersion(arn)).toMatchObject({ status: 'Approved', approvalDescription: 'mirrors too' });
      expect((await getModel(approver, m.id)).externalArn).toBe(arn);

      const unreachable = createSageMakerRegistryMirror({ region: 'ap-southeast-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, imageUri: null });
      const offline = { ...engineer, adapters: { ...engineer.adapters, registryMirror: unreachable } };
      const kept = await registerModel(offline, { runId: (await fakeRun(user.id, { accuracy: 0.9, macro_f1: 0.9, precision: [0.9, 0.9, 0.9] })).id });
      expect(kept.mirror).toMatchObject({ mirrored: false, reason: 'failed', error: expect.stringMatching(/could not reach/) });
      expect((await getModel(engineer, kept.id))).toMatchObject({ status: 'PendingManualApproval', externalArn: null, externalError: expect.stringMatching(/could not reach/) });
    } finally {
      await moto.stop();
    }
  }, 60_000);
});
