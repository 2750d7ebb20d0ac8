import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ClusterMetrics } from './cluster-metrics';
import { createMetrics } from './metrics';

const value = (text: string, name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.slice(name.length + 1));

describe('one /metrics for the cluster', () => {
  it('sums the workers with the primary, keeps what a dead worker counted, and reports the primary start time', async () => {
    const own = new Registry();
    new Counter({ name: 'inference_model_swaps_total', help: 'swaps', registers: [own] }).inc(2);
    const metrics = new ClusterMetrics(own, 1_700_000_000);
    const workers = [createMetrics(), createMetrics()];
    const memory = workers.map((w) => new Gauge({ name: 'inference_test_memory_bytes', help: 'memory', registers: [w.registry] }));
    workers.forEach((w, i) => {
      metrics.add(i);
      memory[i]!.set(100);
      for (let n = 0; n < 3 + i; n++) w.observeRequest('/v1/predict', 200, 0.003);
    });
    const collect = async () => Promise.all(workers.map(async (w, i) => metrics.update(i, await w.registry.getMetricsAsJSON())));
    await collect();
    let text = await metrics.text();
    expect(value(text, 'inference_http_requests_total{route="/v1/predict",status="200"}')).toBe(7);
    expect(value(text, 'inference_http_request_duration_seconds_bucket{le="0.005",route="/v1/predict"}')).toBe(7);
    expect(value(text, 'inference_model_swaps_total')).toBe(2);
    expect(value(text, 'inference_test_memory_bytes')).toBe(200);
    expect(text.match(/^inference_process_start_time_seconds .*$/gm)).toEqual(['inference_process_start_time_seconds 1700000000']);

    // Worker 0 dies; a late answer from it must not count it twice.
    metrics.retire(0);
    metrics.update(0, await workers[0]!.registry.getMetricsAsJSON());
    workers[1]!.observeRequest('/v1/predict', 200, 0.003);
    await Promise.all([1].map(async (i) => metrics.update(i, await workers[i]!.registry.getMetricsAsJSON())));
    text = await metrics.text();
    expect(value(text, 'inference_http_requests_total{route="/v1/predict",status="200"}')).toBe(8);
    expect(value(text, 'inference_http_request_duration_seconds_count{route="/v1/predict"}')).toBe(8);
    expect(value(text, 'inference_test_memory_bytes')).toBe(100);
  });

  it('retiring twice, or a worker never collected, changes nothing', async () => {
    const metrics = new ClusterMetrics(new Registry(), 1);
    const w = createMetrics();
    new Histogram({ name: 'inference_test_seconds', help: 'h', registers: [w.registry] }).observe(1);
    metrics.add(1);
    metrics.retire(1);
    metrics.add(2);
    metrics.update(2, await w.registry.getMetricsAsJSON());
    metrics.retire(2);
    metrics.retire(2);
    expect(value(await metrics.text(), 'inference_test_seconds_count')).toBe(1);
  });
});
