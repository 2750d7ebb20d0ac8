import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';

const app = buildApp();
afterAll(() => app.close());

describe('inference service skeleton', () => {
  it('is alive but not ready until a model is deployed', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', service: 'inference' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ ready: false, reason: expect.stringMatching(/No model is deployed/) });
  });

  it('exposes Prometheus metrics that count requests by route and status', async () => {
    await app.inject({ method: 'GET', url: '/healthz' });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.body).toMatch(/inference_http_requests_total\{route="\/healthz",status="200"\} \d+/);
    expect(metrics.body).toMatch(/inference_http_request_duration_seconds_bucket/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.inject({ method: 'POST', url: '/v2/whatever' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
