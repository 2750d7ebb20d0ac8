import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { createMemoryStore } from './storage';
import { basketArbitrary, noise } from './testing/arbitraries';
import { apiKey, manifest, publish, storeModel, trainModel } from './testing/fixtures';

/**
 * Whatever arrives — wrong types, huge arrays, deep nesting, odd unicode, raw
 * bytes, oversized bodies — the answer is a JSON 2xx/4xx, never a 5xx, and the
 * service keeps answering.
 */
const key = apiKey('fuzz');
let app: FastifyInstance;

beforeAll(async () => {
  const store = createMemoryStore();
  app = buildApp({ store, maxBatch: 20, bodyLimitBytes: 64 * 1024, pollMs: 60_000 });
  await publish(store, manifest(1, await storeModel(store, await trainModel('gbdt'), 1), [key.key]));
  await app.ready();
  await app.inference.reload();
});
afterAll(() => app.close());

const unicode = fc.string({ unit: 'binary', maxLength: 40 });
const deep = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);
const jsonBody = fc.oneof(
  fc.record({ basket: basketArbitrary }),
  fc.record({ baskets: fc.array(basketArbitrary, { maxLength: 25 }) }),
  fc.record({ baskets: fc.oneof(fc.array(noise, { minLength: 0, maxLength: 3000 }), noise) }),
  fc.record({ basket: basketArbitrary, baskets: fc.array(basketArbitrary, { maxLength: 2 }) }, { requiredKeys: [] }),
  fc.dictionary(unicode, noise, { maxKeys: 5 }),
  fc.record({ basket: fc.dictionary(unicode, fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }) }),
  fc.record({ requestId: fc.oneof(fc.uuid(), unicode), item: noise, label: fc.oneof(fc.constantFrom('LA', 'MM', 'UM', 'XX'), unicode) }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 6 }),
).map((v) => JSON.stringify(v));
/** Bodies JSON.stringify cannot produce: deep nesting, number edge cases, broken syntax, raw bytes. */
const rawBody = fc.oneof(
  fc.constantFrom(
    deep(10_000, '[', ']'),
    `{"basket":${deep(10_000, '{"a":', '}')}}`,
    `{"baskets":[${deep(5_000, '[', ']')}]}`,
    `{"basket":{"lines":[{"prod":"a","quantity":1e400}]}}`,
    `{"basket":{"lines":[{"prod":"a","spend":-1e400}]}}`,
    `{"basket":{"lines":[{"prod":"a"}]},"constructor":{"prototype":{"x":1}}}`,
    `{"__proto__":{"admin":true},"basket":{"lines":[{"prod":"a"}]}}`,
    `{"basket":{"lines":[{"prod":"\\ud800"}]}}`,
    '', 'null', 'true', '"basket"', '{', '{"basket":', '[1,2,', '\u0000', '\ufeff{}', 'NaN', '{"a":1}{"b":2}',
  ),
  fc.string({ maxLength: 200 }),
  unicode,
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', '', 'application/json; charset=latin1');
const auth = fc.constantFrom(key.header, key.header, key.header, 'Bearer psk_nope', '', `Bearer ${'x'.repeat(5000)}`);
const url = fc.constantFrom('/v1/predict', '/v1/predict', '/v1/feedback', '/v1/predict?debug=1', '/v1/predict/', '/v1//predict');

async function send(payload: string | Buffer, headers: Record<string, string>, path = '/v1/predict') {
  const res = await app.inject({ method: 'POST', url: path, payload, headers });
  expect(res.statusCode, `${res.statusCode} for ${String(payload).slice(0, 120)}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
  return res;
}

describe('fuzzing the prediction API', () => {
  it('answers arbitrary JSON bodies with 2xx or 4xx, never 5xx', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(jsonBody, url, auth, async (payload, path, authorization) => {
        const res = await send(payload, { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, path);
        seen.add(res.statusCode);
      }),
      { numRuns: 400, seed: 7 },
    );
    // The generators reach both the happy path and the refusals.
    expect([...seen]).toEqual(expect.arrayContaining([200, 400, 401]));
  }, 30_000);

  it('answers raw, broken and deeply nested bodies under any content type without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, contentType, async (payload, type) => {
        await send(payload, { ...(type ? { 'content-type': type } : {}), authorization: key.header });
      }),
      { numRuns: 250, seed: 11 },
    );
  }, 30_000);

  it('refuses oversized bodies with 413 and stays healthy', async () => {
    for (const size of [64 * 1024 + 1, 1_000_000, 5_000_000]) {
      const res = await send(Buffer.alloc(size, 0x5b), { 'content-type': 'application/json', authorization: key.header });
      expect(res.statusCode).toBe(413);
    }
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).not.toMatch(/inference_http_requests_total\{[^}]*status="5\d\d"\}/);
  });
});
