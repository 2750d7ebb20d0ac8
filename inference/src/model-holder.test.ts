import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { instanceStatusKey, instanceStatusSchema, type InstanceStatus } from './contract';
import { createLocalStore, type ObjectStore } from './storage';
import { apiKey, manifest, publish, requestBaskets, storeModel, trainModel, type Published } from './testing/fixtures';

const key = apiKey('ops');
const INSTANCE = 'holder-test';
let dir: string;
let store: ObjectStore;
let app: FastifyInstance;
let v1: Published;
let v2: Published;
let revision = 0;
const basket = requestBaskets(1, 4)[0];

const predict = () => app.inject({ method: 'POST', url: '/v1/predict', payload: { basket }, headers: { authorization: key.header } });
const ready = () => app.inject({ method: 'GET', url: '/readyz' });
async function status(): Promise<InstanceStatus> {
  const text = await fs.readFile(path.join(dir, instanceStatusKey('production', INSTANCE)), 'utf8');
  return instanceStatusSchema.parse(JSON.parse(text));
}
async function deploy(model: Published | null, overrides = {}) {
  await publish(store, manifest(++revision, model, [key.key], overrides));
  await app.inference.reload();
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inference-holder-'));
  store = createLocalStore(dir);
  v1 = await storeModel(store, await trainModel('logistic_regression'), 1);
  v2 = await storeModel(store, await trainModel('logistic_regression', 2), 2);
  app = buildApp({ store, instanceId: INSTANCE, publicUrl: 'http://10.0.0.7:8080', serviceVersion: '1.2.3', pollMs: 60_000 });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('following the deployment manifest', () => {
  it('is not ready and says why before any manifest; reports in as waiting', async () => {
    await app.inference.reload();
    const res = await ready();
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ ready: false, reason: expect.stringMatching(/No model is deployed yet/) });
    const predicted = await predict();
    expect([predicted.statusCode, predicted.json().error.code]).toEqual([503, 'NOT_READY']);
    expect(await status()).toMatchObject({ instanceId: INSTANCE, deployment: 'production', url: 'http://10.0.0.7:8080', serviceVersion: '1.2.3', state: 'waiting', model: null, manifestRevision: null });
  });

  it('serves the deployed model once verified, and says so in its status', async () => {
    await deploy(v1);
    expect((await ready()).statusCode).toBe(200);
    expect((await predict()).json().model.versionId).toBe(v1.versionId);
    expect(await status()).toMatchObject({ state: 'serving', manifestRevision: revision, model: { versionId: v1.versionId, version: 1, sha256: v1.sha256 }, lastError: null });
  });

  it('refuses a tampered artifact (one byte changed): the old model keeps serving, the status names the problem', async () => {
    const at = v2.text.indexOf('"seed":') + '"seed":'.length;
    const tampered = v2.text.slice(0, at) + String((Number(v2.text[at]) + 1) % 10) + v2.text.slice(at + 1);
    await store.put('models/tampered/model.json', tampered);
    await deploy(v2, { versionId: 'mv_tampered', artifactKey: 'models/tampered/model.json' });
    const res = await predict();
    expect([res.statusCode, res.json().model.versionId]).toEqual([200, v1.versionId]);
    const s = await status();
    expect(s).toMatchObject({ state: 'error', model: { versionId: v1.versionId }, lastError: { versionId: 'mv_tampered', sha256: v2.sha256 } });
    expect(s.lastError!.message).toMatch(/^Refused model basket-price-sensitivity v2 \(mv_tampered\): The artifact was modified or corrupted/);
    // Still ready: a verified model answers. The refusal is visible in readyz and metrics.
    expect((await ready()).json()).toMatchObject({ ready: true, state: 'error', lastError: expect.stringMatching(/modified or corrupted/) });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('inference_model_refusals_total 1');
  });

  it('refuses a valid artifact whose seal differs from the manifest (another model)', async () => {
    await deploy(v2, { sha256: v1.sha256 });
    expect((await predict()).json().model.versionId).toBe(v1.versionId);
    const s = await status();
    expect(s.state).toBe('error');
    expect(s.lastError!.message).toBe(`Refused model basket-price-sensitivity v2 (${v2.versionId}): the artifact's seal is ${v2.sha256} but the manifest expects ${v1.sha256} (a different model, or a stale manifest)`);
  });

  it('reports an artifact missing from storage and retries it on the next poll', async () => {
    await deploy(v2, { artifactKey: 'models/not-yet/model.json' });
    expect((await status()).lastError!.message).toMatch(/^The artifact of model basket-price-sensitivity v2 .* does not exist: models\/not-yet\/model.json/);
    await store.put('models/not-yet/model.json', v2.text);
    await app.inference.reload();
    expect((await predict()).json().model.versionId).toBe(v2.versionId);
    expect(await status()).toMatchObject({ state: 'serving', lastError: null, model: { versionId: v2.versionId } });
  });

  it('recovers with the next good manifest', async () => {
    await deploy(v2, { sha256: v1.sha256 });
    expect((await status()).state).toBe('error');
    await deploy(v1);
    expect((await predict()).json().model.versionId).toBe(v1.versionId);
    expect(await status()).toMatchObject({ state: 'serving', lastError: null, manifestRevision: revision });
  });

  it('keeps serving through an unreadable or invalid manifest, and ignores older revisions', async () => {
    await publish(store, '{"format": "pricesense-deployment", ');
    await app.inference.reload();
    expect((await status()).lastError!.message).toMatch(/deployments\/production\/current.json is not valid JSON/);
    await publish(store, JSON.stringify({ ...manifest(revision + 1, v2, [key.key]), keys: [{ id: 'k' }] }));
    await app.inference.reload();
    expect((await status()).lastError!.message).toMatch(/is invalid — keys\.0\.name: .*; still serving the previous model/);
    await publish(store, manifest(revision - 1, v2, [key.key]));
    await app.inference.reload();
    expect((await predict()).json().model.versionId).toBe(v1.versionId);
    expect((await ready()).statusCode).toBe(200);
  });

  it('stops serving when the deployment is undeployed (model null), and serves again when redeployed', async () => {
    await deploy(null);
    const res = await ready();
    expect(res.statusCode).toBe(503);
    expect(res.json().reason).toMatch(/No model is deployed to "production" \(manifest revision \d+ has none\)/);
    const predicted = await predict();
    expect(predicted.statusCode).toBe(503);
    expect(predicted.json().error).toMatchObject({ code: 'NOT_READY', message: expect.stringMatching(/No model is deployed to "production"/) });
    expect(await status()).toMatchObject({ state: 'waiting', model: null });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).not.toMatch(/inference_model_info\{/);
    await deploy(v2);
    expect((await predict()).json().model.versionId).toBe(v2.versionId);
  });

  it('writes a final status when it stops', async () => {
    const before = await status();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await app.close();
    const after = await status();
    expect(after.state).toBe('serving');
    expect(Date.parse(after.reportedAt)).toBeGreaterThan(Date.parse(before.reportedAt));
  });
});
