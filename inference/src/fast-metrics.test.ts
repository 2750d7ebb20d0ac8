import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ClusterMetrics } from './cluster-metrics';
import { FastCounter, FastHistogram } from './fast-metrics';
import { LATENCY_BUCKETS } from './metrics';

/** The same observations through prom-client's own metrics and ours must print the same. */
function both() {
  const theirs = new Registry();
  const ours = new Registry();
  const c = [
    new Counter({ name: 'x_requests_total', help: 'requests', labelNames: ['route', 'status'], registers: [theirs] }),
    new FastCounter({ name: 'x_requests_total', help: 'requests', labelNames: ['route', 'status'], registers: [ours] }),
  ] as const;
  const h = [
    new Histogram({ name: 'x_seconds', help: 'latency', labelNames: ['route'], buckets: LATENCY_BUCKETS, registers: [theirs] }),
    new FastHistogram({ name: 'x_seconds', help: 'latency', labelNames: ['route'], buckets: LATENCY_BUCKETS, registers: [ours] }),
  ] as const;
  const record = (route: string, status: number, seconds: number) => {
    c[0].labels(route, String(status)).inc();
    c[1].child(route, String(status)).inc();
    h[0].labels(route).observe(seconds);
    h[1].child(route).observe(seconds);
  };
  return { theirs, ours, record };
}

describe('hot-path metrics', () => {
  it('print exactly as prom-client prints its own counter and histogram', async () => {
    const { theirs, ours, record } = both();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    const samples = [0.0001, 0.0005, 0.0007, 0.002, 0.0031, 0.02, 0.5, 2, 3, 10];
    samples.forEach((s, i) => record(i % 3 ? '/v1/predict' : '/metrics', i % 4 ? 200 : 400, s));
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // What a cluster's primary collects, too (prom-client adds exemplar: null, unused here).
    const withoutExemplars = (json: unknown) => JSON.parse(JSON.stringify(json, (key, value: unknown) => (key === 'exemplar' ? undefined : value))) as unknown;
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(withoutExemplars(await theirs.getMetricsAsJSON()));
  });

  it('add up across a cluster like prom-client metrics do', async () => {
    const a = both();
    const b = both();
    [a, b].forEach((x, i) => [0.001, 0.01, 0.1].forEach((s) => x.record('/v1/predict', 200 + i, s)));
    const sum = async (pick: (x: ReturnType<typeof both>) => Registry) => {
      const m = new ClusterMetrics(new Registry(), 1);
      m.add(1);
      m.add(2);
      m.update(1, await pick(a).getMetricsAsJSON());
      m.update(2, await pick(b).getMetricsAsJSON());
      return m.text();
    };
    expect(await sum((x) => x.ours)).toBe(await sum((x) => x.theirs));
  });
});
