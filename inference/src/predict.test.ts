import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { answerJson } from './predict-routes';
import { telemetryPrefix, telemetryRecordSchema } from './contract';
import { createLocalStore, type ObjectStore } from './storage';
import { apiKey, manifest, publish, requestBaskets, storeModel, trainModel, type Published } from './testing/fixtures';

let dir: string;
let store: ObjectStore;
let app: FastifyInstance;
let v1: Published;
const client = apiKey('client');
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const, url: '/v1/predict', payload: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: client.header, ...headers },
});

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inference-predict-'));
  store = createLocalStore(dir);
  app = buildApp({ store, maxBatch: 5, pollMs: 60_000, instanceId: 'test-1' });
  await app.ready();
  v1 = await storeModel(store, await trainModel(), 1);
  await publish(store, manifest(1, v1, [client.key]));
  await app.inference.reload();
});
afterAll(async () => {
  await app.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('POST /v1/predict', () => {
  it('answers one basket exactly as the model does, with the model and a request id', async () => {
    const [basket] = requestBaskets(1);
    const res = await app.inject(json({ basket }));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({ requestId: res.headers['x-request-id'], model: { versionId: v1.versionId, name: 'basket-price-sensitivity', version: 1 }, prediction: v1.model.predictBaskets([basket!])[0] });
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // Written by answerJson, byte for byte what JSON.stringify would send.
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(JSON.stringify(body));
  });

  it('writes answers as JSON.stringify would, and leaves non-finite numbers to it', () => {
    const p = (LA: number, MM: number, UM: number) => ({ label: 'MM', probabilities: { LA, MM, UM } });
    const predictions = [p(0.1 + 0.2, 1e-7, 5e-324), p(1 / 3, 0, -0), p(0.999999999999, 123456789.5, 1e21)];
    const ref = { versionId: 'cm"x\\y', name: 'm\u00e9', version: 3 };
    const id = '4f0c1b7e-8a1e-4f3c-9a51-2c3d4e5f6a7b';
    expect(answerJson(id, JSON.stringify(ref), predictions.slice(0, 1), true)).toBe(JSON.stringify({ requestId: id, model: ref, prediction: predictions[0] }));
    expect(answerJson(id, JSON.stringify(ref), predictions, false)).toBe(JSON.stringify({ requestId: id, model: ref, predictions }));
    expect(answerJson(id, JSON.stringify(ref), [p(NaN, 0.5, 0.5)], true)).toBeNull();
  });

  it('answers a batch in order, as Model.predictBaskets does', async () => {
    const baskets = requestBaskets(5, 11);
    const res = await app.inject(json({ baskets }));
    expect(res.statusCode).toBe(200);
    expect(res.json().predictions).toEqual(v1.model.predictBaskets(baskets));
    expect(res.json().model.versionId).toBe(v1.versionId);
  });

  const invalid: [string, unknown, { field: string; message: RegExp }[]][] = [
    ['a string where a number belongs', { basket: { hour: 'noon', lines: [{ prod: 'P1' }] } }, [{ field: 'basket.hour', message: /expected number, received string/ }]],
    ['a negative quantity deep in a batch', { baskets: [...requestBaskets(3), { lines: [{ prod: 'P1', quantity: -2 }] }] }, [{ field: 'baskets.3.lines.0.quantity', message: /must be ≥ 0/ }]],
    ['an unknown field in a basket', { basket: { lines: [{ prod: 'P1' }], colour: 'red' } }, [{ field: 'basket.colour', message: /not a known field/ }]],
    ['an unknown field in a line', { basket: { lines: [{ prod: 'P1', price: 3 }] } }, [{ field: 'basket.lines.0.price', message: /not a known field/ }]],
    ['an unknown top-level field', { basket: { lines: [{ prod: 'P1' }] }, debug: true }, [{ field: 'debug', message: /not a known field/ }]],
    ['a basket without lines', { basket: { lines: [] } }, [{ field: 'basket.lines', message: /at least one line/ }]],
    ['a missing product code', { basket: { lines: [{ quantity: 1 }] } }, [{ field: 'basket.lines.0.prod', message: /is required/ }]],
    ['a batch over the limit', { baskets: requestBaskets(6) }, [{ field: 'baskets', message: /at most 5 baskets/ }]],
    ['an empty batch', { baskets: [] }, [{ field: 'baskets', message: /at least one basket/ }]],
    ['both basket and baskets', { basket: requestBaskets(1)[0], baskets: requestBaskets(1) }, [{ field: 'baskets', message: /either "basket".*not both/ }]],
    ['neither basket nor baskets', { items: [] }, [{ field: 'basket', message: /is required/ }, { field: 'items', message: /not a known field/ }]],
    ['an array body', [1, 2], [{ field: '(body)', message: /must be a JSON object/ }]],
  ];
  it.each(invalid)('refuses %s, naming the field', async (_what, body, expected) => {
    const res = await app.inject(json(body));
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION');
    expect(error.requestId).toBe(res.headers['x-request-id']);
    expect(error.fields).toEqual(expected.map((e) => ({ field: e.field, message: expect.stringMatching(e.message) })));
    expect(error.message).toBe(`Invalid input — ${error.fields.map((f: { field: string; message: string }) => `${f.field}: ${f.message}`).join('; ')}`);
  });

  it('refuses malformed JSON, other content types and oversized bodies with their own codes', async () => {
    const bad = await app.inject({ ...json({}), payload: '{"basket": {' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'BAD_JSON']);
    const empty = await app.inject({ ...json({}), payload: '' });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'BAD_JSON']);
    const text = await app.inject({ ...json({}), headers: { 'content-type': 'text/plain', authorization: client.header } });
    expect([text.statusCode, text.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const huge = await app.inject(json({ basket: { lines: [{ prod: 'x'.repeat(1_100_000) }] } }));
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const proto = await app.inject({ ...json({}), payload: '{"basket": {"lines": [{"prod": "a"}]}, "__proto__": {"x": 1}}' });
    expect([proto.statusCode, proto.json().error.code]).toEqual([400, 'BAD_JSON']);
  });
});

describe('POST /v1/feedback', () => {
  it('records feedback and says whether this instance made the prediction', async () => {
    const predicted = await app.inject(json({ baskets: requestBaskets(2) }));
    const requestId = predicted.json().requestId;
    const mine = await app.inject({ method: 'POST', url: '/v1/feedback', headers: { authorization: client.header }, payload: { requestId, item: 1, label: 'UM' } });
    expect(mine.statusCode).toBe(202);
    expect(mine.json()).toEqual({ recorded: true, requestId, item: 1, knownHere: true });
    const beyond = await app.inject({ method: 'POST', url: '/v1/feedback', headers: { authorization: client.header }, payload: { requestId, item: 2, label: 'UM' } });
    expect(beyond.json().knownHere).toBe(false);
    const elsewhere = '6f1d2c3b-0a9e-4d8c-b7a6-5f4e3d2c1b0a';
    const other = await app.inject({ method: 'POST', url: '/v1/feedback', headers: { authorization: client.header }, payload: { requestId: elsewhere, label: 'LA' } });
    expect(other.json()).toEqual({ recorded: true, requestId: elsewhere, item: 0, knownHere: false });
  });

  it('refuses an unknown label, a non-UUID request id and unknown fields', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/feedback', headers: { authorization: client.header }, payload: { requestId: 'abc', label: 'XX', note: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([
      { field: 'requestId', message: expect.stringMatching(/UUID/) },
      { field: 'label', message: 'must be one of LA, MM, UM' },
      { field: 'note', message: 'is not a known field' },
    ]);
    const noAuth = await app.inject({ method: 'POST', url: '/v1/feedback', payload: { requestId: '6f1d2c3b-0a9e-4d8c-b7a6-5f4e3d2c1b0a', label: 'LA' } });
    expect(noAuth.statusCode).toBe(401);
  });
});

describe('telemetry', () => {
  it('writes predictions and feedback as JSON lines that the control plane can parse', async () => {
    const predicted = await app.inject(json({ basket: requestBaskets(1, 3)[0] }));
    await app.inject({ method: 'POST', url: '/v1/feedback', headers: { authorization: client.header }, payload: { requestId: predicted.json().requestId, label: 'MM' } });
    await app.inference.telemetry.flush();
    const folder = path.join(dir, telemetryPrefix('production'));
    const files = (await fs.readdir(folder, { recursive: true })).filter((f) => f.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThan(0);
    const lines = (await Promise.all(files.map((f) => fs.readFile(path.join(folder, f), 'utf8')))).flatMap((t) => t.trim().split('\n'));
    const records = lines.map((l) => telemetryRecordSchema.parse(JSON.parse(l)));
    const prediction = records.find((r) => r.type === 'prediction' && r.requestId === predicted.json().requestId);
    expect(prediction).toMatchObject({ item: 0, modelVersionId: v1.versionId, keyId: 'key_client', label: predicted.json().prediction.label, features: { lines: expect.any(Number), spend: expect.any(Number) } });
    expect(records.find((r) => r.type === 'feedback' && r.requestId === predicted.json().requestId)).toMatchObject({ trueLabel: 'MM', keyId: 'key_client' });
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}\/\d{2}\/test-1-[0-9a-z]+-\d{8}\.jsonl$/);
  });
});

describe('operations endpoints', () => {
  it('readyz names the model and revision; metrics count predictions and show the model', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, model: { versionId: v1.versionId, version: 1, sha256: v1.sha256 }, manifestRevision: 1, state: 'serving' });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`inference_model_info{version_id="${v1.versionId}",version="1",sha256="${v1.sha256}"} 1`);
    expect(metrics).toMatch(/inference_predictions_total\{label="(LA|MM|UM)"\} [1-9]/);
    expect(metrics).toMatch(/inference_errors_total\{code="VALIDATION"\} [1-9]/);
    expect(metrics).toMatch(/inference_http_requests_total\{route="\/v1\/predict",status="200"\} [1-9]/);
    expect(metrics).toContain('inference_model_swaps_total 1');
    expect(metrics).toContain('inference_telemetry_dropped_total 0');
  });

  it('publishes an OpenAPI 3.1 document and a readable docs page', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/predict', '/v1/feedback', '/healthz', '/readyz']));
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Basket.properties.lines.items).toEqual({ $ref: '#/components/schemas/BasketLine' });
    expect(doc.components.schemas.BatchPredictRequest.properties.baskets.maxItems).toBe(5);
    expect(doc.components.schemas.BasketLine.required).toEqual(['prod']);
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('POST</span> /v1/predict');
    expect(page.body).toContain('curl -sS -X POST &quot;$INFERENCE_URL/v1/predict&quot;');
    expect(page.body).not.toMatch(/<script|https?:\/\/cdn/);
  });
});
