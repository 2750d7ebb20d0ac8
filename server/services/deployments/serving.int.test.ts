import path from 'node:path';
import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@/inference/src/app';
import { createLocalStore } from '@/inference/src/storage';
import { createTestDatabase } from '@/test/db';
import { freePort } from '@/test/moto';
import { userContext } from '@/test/actors';
import { setUpDemoModel } from '@/test/demo-model';
import { tempDir } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { StoragePort } from '@/server/adapters/storage/port';
import type { Db, Prisma } from '@/server/db/client';
import { createApiKey } from '../api-keys/create-api-key';
import { revokeApiKey } from '../api-keys/revoke-api-key';
import type { ServiceContext } from '../context';
import { decideModel } from '../models/decide-model';
import { registerModel } from '../models/register-model';
import { deployModel, rollbackDeployment } from './deploy-model';
import { listDeployments } from './read-deployments';
import { replayTraffic } from './replay-traffic';
import { sampleBaskets } from './sample-baskets';
import { syncServingStatus } from './sync-serving-status';
import { sampleTryBasket, tryPrediction } from './try-prediction';

/**
 * The control plane and the inference service together, coupled only by storage:
 * what a deploy, a key change or a tampered artifact does to a real, listening
 * inference service.
 */
let db: Db;
let dir: string;
let storage: StoragePort;
let app: FastifyInstance;
let base: string;
let engineer: ServiceContext;
const PREDICT_KEY = 'psk_control-plane-serving-test-0123456789';

const predict = (key: string, body: unknown) =>
  fetch(`${base}/v1/predict`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  const created = await createTestDatabase();
  db = created.db;
  dir = await tempDir();
  storage = createLocalStorage(path.join(dir, 'storage'));
  await setUpDemoModel({ db, url: created.url, dir, storage, predictKey: PREDICT_KEY });
  // The instance reports the URL it is told; the "try it" panel sends there.
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = buildApp({ store: createLocalStore(path.join(dir, 'storage')), deployment: 'production', instanceId: 'test-instance', publicUrl: base, pollMs: 60_000, heartbeatMs: 60_000, telemetryFlushMs: 60_000 });
  await app.listen({ port, host: '127.0.0.1' });
  await app.inference.reload();
  const { ctx } = await userContext(db, 'ml_engineer');
  engineer = { ...ctx, adapters: { storage, predictKey: PREDICT_KEY, inferenceUrl: 'http://127.0.0.1:9', workDir: path.join(dir, 'work') } };
}, 180_000);
afterAll(async () => {
  await app?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('serving what the control plane deployed', () => {
  it('answers the "try it" panel with the deployed version, and reports itself serving', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const sample = await sampleTryBasket(engineer, 'production', 3);
    expect(sample.trueLabel).toMatch(/^(LA|MM|UM)$/);
    const answer = await tryPrediction(engineer, 'production', { basket: sample.basket });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ model: { version: 1 }, prediction: { label: expect.stringMatching(/^(LA|MM|UM)$/) } });
    const bad = await tryPrediction(engineer, 'production', { basket: { ...sample.basket, lines: [] } });
    expect(bad.status).toBe(400);
    const [prod] = await listDeployments(engineer);
    expect(prod?.instances).toEqual([expect.objectContaining({ instanceId: 'test-instance', state: 'serving', stale: false, model: expect.objectContaining({ version: 1 }) })]);
  });

  it("accepts a user's predict key once published, and refuses it once revoked", async () => {
    const [sample] = await sampleBaskets(engineer, await db.datasetVersion.findFirstOrThrow({ select: { id: true, datasetId: true } }), { count: 1, seed: 1 });
    const key = await createApiKey(engineer, { name: 'checkout service', scopes: ['predict'] });
    const readKey = await createApiKey(engineer, { name: 'dashboards', scopes: ['read'] });
    await app.inference.reload();
    expect((await predict(key.secret, { basket: sample!.basket })).status).toBe(200);
    const noScope = await predict(readKey.secret, { basket: sample!.basket });
    expect(noScope.status).toBe(401);
    expect((await noScope.json()).error.message).toMatch(/predict/);
    await revokeApiKey(engineer, key.id);
    await app.inference.reload();
    const revoked = await predict(key.secret, { basket: sample!.basket });
    expect(revoked.status).toBe(401);
    expect((await predict('', { basket: sample!.basket })).status).toBe(401);
  });

  it('replays dataset traffic with feedback and no errors', async () => {
    const version = await db.datasetVersion.findFirstOrThrow({ select: { id: true, datasetId: true } });
    const baskets = await sampleBaskets(engineer, version, { count: 200, seed: 2 });
    expect(baskets).toHaveLength(200);
    const report = await replayTraffic({ url: base, key: PREDICT_KEY, baskets, rps: 200, durationSeconds: 2, feedbackShare: 0.5 });
    expect(report).toMatchObject({ errors: 0, firstError: null });
    expect(report.ok).toBe(report.sent);
    expect(report.sent).toBeGreaterThan(200);
    expect(report.feedbackSent).toBeGreaterThan(0);
    expect(report.p99_ms).toBeGreaterThan(0);
  });

  it('refuses a tampered artifact, keeps serving the old model, and the refusal reaches the deployment and the audit log', async () => {
    const demo = await db.run.findFirstOrThrow({ where: { tags: { has: 'demo' } } });
    const text = (await storage.getBuffer(`runs/${demo.id}/model.json`)).toString('utf8');
    // Change one weight inside the sealed body: same size, same claimed sha256.
    const tampered = text.replace(/"seed":(\d)/, (_m, d: string) => `"seed":${(Number(d) + 1) % 10}`);
    expect(tampered).not.toBe(text);
    await storage.put('runs/tampered/model.json', tampered);
    const { user } = await userContext(db, 'ml_engineer');
    const run = await db.run.create({
      data: { name: 'tampered', datasetVersionId: demo.datasetVersionId, algorithm: demo.algorithm, params: demo.params as Prisma.InputJsonValue, status: 'succeeded', metrics: demo.metrics as Prisma.InputJsonValue, artifactUri: storage.uri('runs/tampered/model.json'), artifactSha256: demo.artifactSha256, createdById: user.id },
    });
    const model = await registerModel(engineer, { runId: run.id });
    await decideModel({ ...(await userContext(db, 'approver')).ctx, adapters: engineer.adapters }, model.id, { decision: 'approve', comment: 'looks fine', overrideReason: 'test of a tampered artifact' });
    await deployModel(engineer, { model: model.id });
    await app.inference.reload();

    const sample = await sampleTryBasket(engineer, 'production', 5);
    const answer = await tryPrediction(engineer, 'production', { basket: sample.basket });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ model: { version: 1 } });
    const sync = await syncServingStatus({ ...engineer, actor: { kind: 'system', label: 'inference status' } });
    expect(sync.newErrors).toBe(1);
    const dep = await db.deployment.findUniqueOrThrow({ where: { name: 'production' } });
    expect(dep).toMatchObject({ servingStatus: 'error', servingError: expect.stringMatching(/modified or corrupted|sha256/) });
    expect(await db.auditEvent.count({ where: { action: 'deployment.serving_error' } })).toBe(1);

    await rollbackDeployment(engineer, 'production', { comment: 'bad artifact' });
    await app.inference.reload();
    await syncServingStatus({ ...engineer, actor: { kind: 'system', label: 'inference status' } });
    expect(await db.deployment.findUniqueOrThrow({ where: { name: 'production' } })).toMatchObject({ servingStatus: 'serving', servingError: null });
  });
});
