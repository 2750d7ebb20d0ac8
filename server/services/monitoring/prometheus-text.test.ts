import { describe, expect, it } from 'vitest';
import { createMetrics } from '@/inference/src/metrics';
import { parsePrometheusText, parseSampleLine } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads what the inference service exposes', async () => {
    const metrics = createMetrics();
    metrics.observeRequest('/v1/predict', 200, 0.003);
    metrics.observeRequest('/v1/predict', 429, 0.0004);
    metrics.countPrediction('MM');
    const { samples, badLines } = parsePrometheusText(await metrics.registry.metrics());
    expect(badLines).toEqual([]);
    expect(samples).toContainEqual({ name: 'inference_http_requests_total', labels: { route: '/v1/predict', status: '429' }, value: 1 });
    expect(samples).toContainEqual({ name: 'inference_http_request_duration_seconds_bucket', labels: { le: '+Inf', route: '/v1/predict' }, value: 2 });
    expect(samples).toContainEqual({ name: 'inference_http_request_duration_seconds_bucket', labels: { le: '0.005', route: '/v1/predict' }, value: 2 });
    expect(samples).toContainEqual({ name: 'inference_http_request_duration_seconds_bucket', labels: { le: '0.0005', route: '/v1/predict' }, value: 1 });
    expect(samples).toContainEqual({ name: 'inference_predictions_total', labels: { label: 'MM' }, value: 1 });
  });

  it('handles escapes, spaces, trailing commas, timestamps and special values', () => {
    expect(parseSampleLine('m{a="x\\"y\\\\z\\n",b="2",} 3 1700000000000')).toEqual({ name: 'm', labels: { a: 'x"y\\z\n', b: '2' }, value: 3 });
    expect(parseSampleLine('m{ a="}" } +Inf')).toEqual({ name: 'm', labels: { a: '}' }, value: Infinity });
    expect(parseSampleLine('m -Inf')).toEqual({ name: 'm', labels: {}, value: -Infinity });
    expect(Number.isNaN((parseSampleLine('m NaN') as { value: number }).value)).toBe(true);
    expect(Number.isNaN((parseSampleLine('m Nan') as { value: number }).value)).toBe(true);
    expect(parseSampleLine('process_start_time_seconds 1.7e9')).toMatchObject({ value: 1.7e9 });
  });

  it('reports malformed lines and keeps the rest', () => {
    const { samples, badLines } = parsePrometheusText('# HELP a b\nok 1\n{a="b"} 1\nm{a=b} 1\nm{a="b" 1\nm{a="b"}\nm{a="b"} x\nm{a="b" c="d"} 1\nlast 2\n');
    expect(samples.map((s) => s.name)).toEqual(['ok', 'last']);
    expect(badLines.map((b) => b.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(badLines[0]).toMatchObject({ reason: 'no metric name' });
    expect(badLines[5]).toMatchObject({ reason: 'labels must be separated by commas' });
  });
});
