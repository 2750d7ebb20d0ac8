import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { KeyRing, takeToken, type ApiKey } from './auth';
import { createMemoryStore } from './storage';
import { apiKey, manifest, publish, requestBaskets, storeModel, trainModel, type Published } from './testing/fixtures';

const store = createMemoryStore();
let now = Date.parse('2026-03-01T12:00:00Z');
let app: FastifyInstance;
let v1: Published;
const active = apiKey('active');
const revoked = apiKey('soon-revoked');
const expiring = apiKey('expiring', { expiresAt: '2026-03-01T12:30:00.000Z' });
const limited = apiKey('limited', { rateLimitPerSecond: 3 });
const body = { basket: requestBaskets(1)[0] };
const predict = (authorization?: string) =>
  app.inject({ method: 'POST', url: '/v1/predict', payload: body, headers: authorization === undefined ? {} : { authorization } });

beforeAll(async () => {
  app = buildApp({ store, clock: () => now, pollMs: 60_000 });
  v1 = await storeModel(store, await trainModel(), 1);
  await publish(store, manifest(1, v1, [active.key, revoked.key, expiring.key, limited.key]));
  await app.ready();
  await app.inference.reload();
});
afterAll(() => app.close());

describe('API keys', () => {
  it('accepts an active key', async () => {
    expect((await predict(active.header)).statusCode).toBe(200);
  });

  it('refuses a missing or malformed Authorization header, saying what to send', async () => {
    for (const header of [undefined, '', 'psk_abc', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-psk-key', `Bearer ${active.secret} extra`]) {
      const res = await predict(header);
      expect(res.statusCode, String(header)).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/Bearer psk_…" .*`predict` scope/) });
    }
  });

  it('refuses an unknown key', async () => {
    const res = await predict(apiKey('stranger').header);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json().error.message).toMatch(/^Unknown or revoked API key.*`predict` scope/);
  });

  it('refuses a key revoked by a new manifest, even though the model did not change', async () => {
    expect((await predict(revoked.header)).statusCode).toBe(200);
    await publish(store, manifest(2, v1, [active.key, expiring.key, limited.key]));
    await app.inference.reload();
    const res = await predict(revoked.header);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/Unknown or revoked API key/);
    expect((await predict(active.header)).statusCode).toBe(200);
  });

  it('refuses a key once it has expired, naming the expiry', async () => {
    expect((await predict(expiring.header)).statusCode).toBe(200);
    now = Date.parse('2026-03-01T12:30:00Z');
    const res = await predict(expiring.header);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('API key "expiring" expired at 2026-03-01T12:30:00.000Z: create a new API key with the `predict` scope.');
  });

  it('rate-limits each key with a token bucket and says when to retry', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await predict(limited.header)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await predict(limited.header);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/3 requests per second/) });
    // Other keys have their own buckets.
    expect((await predict(active.header)).statusCode).toBe(200);
    // Tokens come back with time: one third of a second buys one request.
    now += 340;
    expect((await predict(limited.header)).statusCode).toBe(200);
    expect((await predict(limited.header)).statusCode).toBe(429);
  });

  it('keeps a key’s bucket across manifests (a republish does not reset limits)', async () => {
    await publish(store, manifest(3, v1, [active.key, limited.key]));
    await app.inference.reload();
    expect((await predict(limited.header)).statusCode).toBe(429);
  });

  it('guards feedback with the same keys', async () => {
    const payload = { requestId: '6f1d2c3b-0a9e-4d8c-b7a6-5f4e3d2c1b0a', label: 'LA' };
    expect((await app.inject({ method: 'POST', url: '/v1/feedback', payload })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/v1/feedback', payload, headers: { authorization: revoked.header } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/v1/feedback', payload, headers: { authorization: active.header } })).statusCode).toBe(202);
  });
});

describe('a key’s rate in one of several worker processes', () => {
  it('allows each worker its share, and always at least one request in the bucket', () => {
    const ring = new KeyRing({ rateShare: 1 / 2 });
    const fast = apiKey('fast', { rateLimitPerSecond: 10 });
    const slow = apiKey('slow', { rateLimitPerSecond: 1 });
    ring.update([fast.key, slow.key], 0);
    const take = (k: ReturnType<typeof apiKey>, at: number) => takeToken(ring.authenticate(k.header, at) as ApiKey, at);
    expect(Array.from({ length: 6 }, () => take(fast, 0))).toEqual([0, 0, 0, 0, 0, 1]);
    expect(take(fast, 200)).toBe(0); // 5 per second: one token every 200 ms
    expect([take(slow, 0), take(slow, 0)]).toEqual([0, 2]);
    expect(take(slow, 2000)).toBe(0);
  });
});
