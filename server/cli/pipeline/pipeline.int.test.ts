import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '@/inference/src/app';
import { createLocalStore } from '@/inference/src/storage';
import { userContext } from '@/test/actors';
import { createTestDatabase } from '@/test/db';
import { setUpDemoModel } from '@/test/demo-model';
import { freePort } from '@/test/moto';
import { startRouteServer } from '@/test/route-server';
import { tempDir } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { Db, Prisma } from '@/server/db/client';
import type { JobName, JobPayloads, JobQueue } from '@/server/jobs/queue-port';
import { executeRun } from '@/server/jobs/run-jobs';
import type { Runtime } from '@/server/runtime';
import { createApiKey } from '@/server/services/api-keys/create-api-key';
import type { Adapters, ServiceContext } from '@/server/services/context';
import { decideModel } from '@/server/services/models/decide-model';
import { updateGateThresholds } from '@/server/services/models/kpi-gate-settings';
import { registerModel } from '@/server/services/models/register-model';

/**
 * The delivery pipeline's model steps exactly as CI runs them — `npm run -s mlops
 * -- pipeline train|deploy` in a child process — against the real REST route
 * handlers over HTTP, a worker (this process, executing the runs it queues) and a
 * real inference service following the deployment manifest in storage.
 */
vi.mock('@/server/auth/session', () => ({ getSessionActor: async () => null }));

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const CONTROL_PLANE_KEY = 'psk_control-plane-pipeline-test-0123456789';
const run = promisify(execFile);
let db: Db;
let dir: string;
let adapters: Adapters;
let engineer: ServiceContext;
let approver: ServiceContext;
let admin: ServiceContext;
let api: Awaited<ReturnType<typeof startRouteServer>>;
let inference: FastifyInstance;
let inferenceUrl: string;
let ciKey: string;
let githubOutput: string;
const executions: Promise<unknown>[] = [];

async function mlops(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'mlops', '--', ...args], {
      cwd: ROOT, timeout: 240_000,
      env: { ...process.env, DATABASE_URL: '', MLOPS_API_URL: api.url, MLOPS_API_KEY: ciKey, GITHUB_OUTPUT: githubOutput, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const json = (out: { stdout: string }) => JSON.parse(out.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const serving = () => db.deployment.findUniqueOrThrow({ where: { name: 'production' }, select: { currentModelVersion: { select: { id: true, version: true } } } });
const lastOutputs = async () => Object.fromEntries((await fs.readFile(githubOutput, 'utf8')).trim().split('\n').map((l) => l.split('=') as [string, string]));

beforeAll(async () => {
  const created = await createTestDatabase();
  db = created.db;
  dir = await tempDir();
  githubOutput = path.join(dir, 'github-output');
  const storage = createLocalStorage(path.join(dir, 'storage'));
  // production serves the demo model (v1), trained by a real trainer process.
  await setUpDemoModel({ db, url: created.url, dir, storage, predictKey: CONTROL_PLANE_KEY });
  // This process is the worker: a queued run is executed at once, in a trainer child process.
  const queue: JobQueue = {
    async send<N extends JobName>(name: N, data: JobPayloads[N]) {
      if (name === 'run.execute') executions.push(executeRun({ db, databaseUrl: created.url, workerId: 'pipeline-test', concurrency: 1 }, (data as { runId: string }).runId));
      return `job-${executions.length}`;
    },
  };
  adapters = { storage, queue, predictKey: CONTROL_PLANE_KEY, workDir: path.join(dir, 'work') };
  (globalThis as { __pricesenseRuntime?: Promise<Partial<Runtime>> }).__pricesenseRuntime = Promise.resolve({ db, adapters, queue, storage });
  engineer = { ...(await userContext(db, 'ml_engineer')).ctx, adapters };
  approver = { ...(await userContext(db, 'approver')).ctx, adapters };
  admin = { ...(await userContext(db, 'admin')).ctx, adapters };
  // CI's key: an engineer's, read + write (launch, register, deploy) + predict (the smoke check).
  ciKey = (await createApiKey(engineer, { name: 'github-actions', scopes: ['read', 'write', 'predict'] })).secret;
  api = await startRouteServer();
  const port = await freePort();
  inferenceUrl = `http://127.0.0.1:${port}`;
  inference = buildApp({ store: createLocalStore(path.join(dir, 'storage')), deployment: 'production', instanceId: 'pipeline-instance', publicUrl: inferenceUrl, pollMs: 200, heartbeatMs: 300, telemetryFlushMs: 60_000 });
  await inference.listen({ port, host: '127.0.0.1' });
}, 240_000);

afterAll(async () => {
  await Promise.allSettled(executions);
  await inference?.close();
  await api?.close();
  delete (globalThis as { __pricesenseRuntime?: unknown }).__pricesenseRuntime;
  await fs.rm(dir, { recursive: true, force: true });
});

describe('GET /api/v1/deployments/{name}/sample-baskets', () => {
  const get = (query: string, key: string | null = ciKey) => fetch(`${api.url}/api/v1/deployments/production/sample-baskets${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  it("answers labelled baskets from the deployed model's dataset, the same ones for the same seed", async () => {
    const first = await (await get('?count=4&seed=9')).json();
    expect(first).toMatchObject({ deployment: 'production', model: { version: 1 }, dataset: 'demo v1' });
    expect(first.baskets).toHaveLength(4);
    expect(first.baskets[0]).toMatchObject({ trueLabel: expect.stringMatching(/^(LA|MM|UM)$/), basket: { lines: expect.any(Array) } });
    expect((await (await get('?count=4&seed=9')).json()).baskets).toEqual(first.baskets);
  });

  it('refuses without a key, and names a bad or unknown query field', async () => {
    expect((await get('', null)).status).toBe(401);
    const tooMany = await get('?count=500');
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.fields).toEqual([{ field: 'count', message: 'must be at most 200' }]);
    expect((await (await get('?limit=3')).json()).error.fields).toEqual([{ field: 'limit', message: 'unknown field: limit' }]);
    expect((await fetch(`${api.url}/api/v1/deployments/staging/sample-baskets`, { headers: { authorization: `Bearer ${ciKey}` } })).status).toBe(404);
  });
});

describe('mlops pipeline train', () => {
  let registered: { id: string; version: number };

  it('launches a run on the latest dataset version, follows it, checks the gates and registers it for approval', async () => {
    await updateGateThresholds(admin, { accuracy: 0.5, macroF1: 0.4, minClassPrecision: 0.3 });
    const out = await mlops(['pipeline', 'train', '--dataset', 'demo', '--algorithm', 'logistic_regression', '--register', '--comment', 'commit abc123', '--poll', '0.2', '--timeout', '180', '--json']);
    expect(out.stderr).toMatch(/^Control plane http:\/\/127\.0\.0\.1:\d+: acting as ml_engineer-.*@example\.com \(key "github-actions": read, write, predict\)\./);
    expect(out.stderr).toMatch(/Launched run #\d+ ".*" on demo v1 \(local\)\./);
    expect(out.stderr).toMatch(/run #\d+: running/);
    expect(out.stderr).toMatch(/KPI gates passed:\n {2}pass {2}Accuracy/);
    expect(out.code).toBe(0);
    const outcome = json(out);
    expect(outcome).toMatchObject({ run: { status: 'succeeded', dataset: 'demo v1' }, gates: { passed: true }, model: { name: expect.any(String), status: 'PendingManualApproval', gatesPassed: true } });
    const model = await db.modelVersion.findUniqueOrThrow({ where: { id: outcome.model.id }, include: { run: true, transitions: true } });
    expect(model.run.tags).toContain('pipeline');
    expect(model.transitions[0]?.comment).toBe('commit abc123');
    expect(await lastOutputs()).toMatchObject({ model_id: model.id, model_version: String(model.version), gates_passed: 'true' });
    registered = { id: model.id, version: model.version };
  }, 240_000);

  it('registers nothing and fails when the run misses a KPI gate', async () => {
    await updateGateThresholds(admin, { accuracy: 0.99 });
    const before = await db.modelVersion.count();
    const out = await mlops(['pipeline', 'train', '--dataset', 'demo', '--algorithm', 'logistic_regression', '--register', '--poll', '0.2', '--timeout', '180']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/KPI gates FAILED:\n {2}FAIL {2}Accuracy/);
    expect(out.stderr).toMatch(/error: Run #\d+ fails the KPI gates \(Accuracy\); not registered\. Pass --register-failing/);
    expect(await db.modelVersion.count()).toBe(before);
    await updateGateThresholds(admin, { accuracy: 0.5 });
  }, 240_000);

  it('refuses to deploy a version nobody approved, and changes nothing', async () => {
    const before = await serving();
    const out = await mlops(['pipeline', 'deploy', '--model', registered.id]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/not approved yet \(PendingManualApproval\): an approver must approve it/);
    expect(await serving()).toEqual(before);
  }, 60_000);

  it('after approval deploys it, waits until the inference service serves it, and passes the smoke check', async () => {
    await decideModel(approver, registered.id, { decision: 'approve', comment: 'gates passed, looks good' });
    const out = await mlops(['pipeline', 'deploy', '--model', `v${registered.version}`, '--smoke', '5', '--poll', '0.2', '--timeout', '60', '--comment', 'pipeline run 42', '--json']);
    expect(out.stderr).toMatch(new RegExp(`Deployed .* v${registered.version} to production \\(manifest revision \\d+, was .* v1\\)`));
    expect(out.stderr).toMatch(/production: all 1 live instance\(s\) serve/);
    expect(out.stderr).toMatch(/Smoke check: 5\/5 OK, \d+% correct, p50 \d+ ms/);
    expect(out.code).toBe(0);
    expect(json(out)).toMatchObject({ deployment: 'production', model: { id: registered.id }, previous: expect.stringMatching(/ v1$/), instances: [{ instanceId: 'pipeline-instance', state: 'serving', version: registered.version }], smoke: { sent: 5, ok: 5, url: inferenceUrl, firstError: null }, rolledBack: null });
    expect((await serving()).currentModelVersion?.id).toBe(registered.id);
  }, 120_000);

  it('rolls back by itself when the inference service refuses the new artifact', async () => {
    const good = await db.run.findFirstOrThrow({ where: { modelVersion: { id: registered.id } } });
    const text = (await adapters.storage.getBuffer(`runs/${good.id}/model.json`)).toString('utf8');
    await adapters.storage.put('runs/tampered/model.json', text.replace(/"seed":(\d)/, (_m, d: string) => `"seed":${(Number(d) + 1) % 10}`));
    const tamperedRun = await db.run.create({
      data: { name: 'tampered', datasetVersionId: good.datasetVersionId, algorithm: good.algorithm, params: good.params as Prisma.InputJsonValue, status: 'succeeded', metrics: good.metrics as Prisma.InputJsonValue, artifactUri: adapters.storage.uri('runs/tampered/model.json'), artifactSha256: good.artifactSha256, createdById: good.createdById },
    });
    const bad = await registerModel(engineer, { runId: tamperedRun.id });
    await decideModel(approver, bad.id, { decision: 'approve', comment: 'same metrics as the last one' });

    const out = await mlops(['pipeline', 'deploy', '--model', bad.id, '--smoke', '3', '--poll', '0.2', '--timeout', '60', '--json']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`Deploy of .* v${bad.version} failed: inference instance pipeline-instance refused .* v${bad.version}: .*(modified|sha256)`));
    expect(out.stderr).toMatch(new RegExp(`Rolling production back to .* v${registered.version}`));
    const result = json(out);
    expect(result.error.message).toMatch(new RegExp(`Rolled back to .* v${registered.version} \\(serving it again on 1 instance\\(s\\)\\)\\.$`));
    expect(result.outcome).toMatchObject({ rolledBack: { to: expect.stringMatching(new RegExp(` v${registered.version}$`)) }, smoke: null });
    expect((await serving()).currentModelVersion?.id).toBe(registered.id);
    const rollback = await db.auditEvent.findFirstOrThrow({ where: { action: 'deployment.rollback' }, orderBy: { id: 'desc' } });
    expect(rollback.summary).toMatch(/Automatic rollback by the delivery pipeline: inference instance pipeline-instance refused/);
    expect(await lastOutputs()).toMatchObject({ model_id: bad.id, rolled_back_to: expect.stringMatching(new RegExp(` v${registered.version}$`)) });
  }, 120_000);

  it('rolls back by itself when the smoke predictions fail', async () => {
    const demo = await db.modelVersion.findFirstOrThrow({ where: { version: 1 } });
    const out = await mlops(['pipeline', 'deploy', '--model', 'v1', '--smoke', '3', '--poll', '0.2', '--timeout', '60'], { MLOPS_PREDICT_KEY: 'psk_not-a-key-the-service-knows' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/Smoke check: 0\/3 OK/);
    expect(out.stderr).toMatch(/error: Deploy of .* v1 to production failed: smoke check failed: 3 of 3 predictions failed \(prediction 1: HTTP 401: .*\)\. Rolled back to .* v\d+ \(serving it again/);
    expect((await serving()).currentModelVersion).toEqual({ id: registered.id, version: registered.version });
    const history = await db.deploymentEvent.findMany({ where: { deployment: { name: 'production' } }, orderBy: { startedAt: 'asc' }, select: { action: true, modelVersionId: true } });
    expect(history.slice(-2)).toEqual([{ action: 'deploy', modelVersionId: demo.id }, { action: 'rollback', modelVersionId: registered.id }]);
  }, 120_000);
});
