import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app';
import { parseConfig } from './config';
import { EmfMetrics, mergeToLimit, NO_MODEL } from './emf';

type Line = Record<string, unknown> & {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  Latency: { Values: number[]; Counts: number[]; Max: number; Min: number; Count: number; Sum: number };
};

function collector(version: { current: string | null }) {
  const lines: Line[] = [];
  const emf = new EmfMetrics({ deployment: 'production', intervalMs: 60_000, currentVersion: () => version.current, write: (l) => lines.push(JSON.parse(l)), clock: () => 1_800_000_000_000 });
  return { emf, lines };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CloudWatch Embedded Metric Format', () => {
  it('writes one aggregated line per model version with counts, errors, a latency histogram and classes', () => {
    const version = { current: 'mv1' as string | null };
    const { emf, lines } = collector(version);
    const latencies = [1, 1.02, 2, 5, 50];
    latencies.forEach((ms, i) => emf.observeRequest(i === 4 ? 500 : 200, ms));
    emf.countPrediction('LA');
    emf.countPrediction('LA');
    emf.countPrediction('UM');
    version.current = 'mv2';
    emf.observeRequest(429, 0.5);
    emf.flush();

    expect(lines).toHaveLength(2);
    const [one, two] = lines as [Line, Line];
    expect(one._aws).toEqual({
      Timestamp: 1_800_000_000_000,
      CloudWatchMetrics: [{
        Namespace: 'PriceSense/Inference',
        Dimensions: [['Deployment', 'ModelVersion'], ['Deployment']],
        Metrics: [{ Name: 'Requests', Unit: 'Count' }, { Name: 'Errors', Unit: 'Count' }, { Name: 'Latency', Unit: 'Milliseconds' }, { Name: 'Errors_5xx', Unit: 'Count' }, { Name: 'Predictions_LA', Unit: 'Count' }, { Name: 'Predictions_UM', Unit: 'Count' }],
      }],
    });
    expect(one).toMatchObject({ Deployment: 'production', ModelVersion: 'mv1', Requests: 5, Errors: 1, Errors_5xx: 1, Predictions_LA: 2, Predictions_UM: 1 });
    expect(one).not.toHaveProperty('Errors_4xx');
    // 1 and 1.02 share a 10% bin; every value sits within 5% of its bin's middle.
    expect(one.Latency.Counts).toEqual([2, 1, 1, 1]);
    expect(one.Latency).toMatchObject({ Count: 5, Min: 1, Max: 50, Sum: 59.02 });
    one.Latency.Values.forEach((v, i) => expect(Math.abs(v / [1, 2, 5, 50][i]! - 1)).toBeLessThan(0.05));
    // Every metric a directive names is a member of the line, as the specification requires.
    for (const m of one._aws.CloudWatchMetrics[0]!.Metrics) expect(one).toHaveProperty(m.Name);
    expect(two).toMatchObject({ ModelVersion: 'mv2', Requests: 1, Errors: 1, Errors_4xx: 1 });
    expect(two).not.toHaveProperty('Errors_5xx');
    expect(two).not.toHaveProperty('Predictions_LA');

    // Counts start afresh; an interval without traffic writes nothing.
    emf.flush();
    expect(lines).toHaveLength(2);
    version.current = null;
    emf.observeRequest(503, 0.2);
    emf.flush();
    expect(lines[2]).toMatchObject({ ModelVersion: NO_MODEL, Requests: 1, Errors: 1, Latency: { Counts: [1] } });
  });

  it('keeps a histogram within CloudWatch\'s 100 values however wide the latencies spread', () => {
    const { emf, lines } = collector({ current: 'mv1' });
    // 0.01 ms … 120 s at 3% steps: ~550 values over ~160 bins.
    for (let ms = 0.01; ms < 120_000; ms *= 1.03) emf.observeRequest(200, ms);
    emf.flush();
    const h = lines[0]!.Latency;
    expect(h.Values.length).toBeLessThanOrEqual(100);
    expect(h.Counts.reduce((s, n) => s + n, 0)).toBe(h.Count);
    expect([...h.Values].sort((a, b) => a - b)).toEqual(h.Values);

    const values = [1, 2, 3, 4, 5];
    const counts = [1, 1, 2, 2, 9];
    mergeToLimit(values, counts, 3);
    expect(counts).toEqual([2, 4, 9]);
    expect(values).toEqual([1.5, 3.5, 5]);
  });

  it('flushes on its interval and once more when stopped', () => {
    vi.useFakeTimers();
    const { emf, lines } = collector({ current: 'mv1' });
    emf.start();
    emf.observeRequest(200, 3);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(1);
    emf.observeRequest(200, 3);
    emf.stop();
    expect(lines).toHaveLength(2);
    vi.advanceTimersByTime(120_000);
    expect(lines).toHaveLength(2);
  });

  it('is off unless INFERENCE_METRICS_EMF=true, and counts only the prediction route when on', async () => {
    expect(parseConfig({}).emf).toBeNull();
    expect(parseConfig({ INFERENCE_METRICS_EMF: 'true' }).emf).toEqual({ intervalMs: 60_000, namespace: 'PriceSense/Inference' });
    expect(parseConfig({ INFERENCE_METRICS_EMF: 'yes', INFERENCE_METRICS_EMF_INTERVAL_MS: '10000', INFERENCE_METRICS_NAMESPACE: 'Acme/Prices' }).emf).toEqual({ intervalMs: 10_000, namespace: 'Acme/Prices' });

    const lines: Line[] = [];
    const app = buildApp({ emf: { intervalMs: 3_600_000, write: (l) => lines.push(JSON.parse(l)) } });
    await app.ready();
    await app.inject({ method: 'GET', url: '/healthz' });
    // No manifest yet: 503, still a prediction request (and an error) under "none".
    expect((await app.inject({ method: 'POST', url: '/v1/predict', payload: { basket: { lines: [{ prod: 'P1' }] } } })).statusCode).toBe(503);
    await app.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ Deployment: 'production', ModelVersion: NO_MODEL, Requests: 1, Errors: 1, Errors_5xx: 1 });
  });
});
