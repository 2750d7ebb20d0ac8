import { describe, expect, it } from 'vitest';
import type { DeploymentMetrics, TrafficPoint } from '../monitoring';
import { accuracyDomain, accuracyRows, bucketStarts, classMixRows, errorRateRows, formatLatencyTick, formatMs, isolatedPoints, latencyAxis, formatRate, formatRateTick, sourceText, statTiles, statusColor, trafficRows, versionMarkerLines } from './monitoring';

const FROM = '2026-11-26T10:00:00.000Z';
const TO = '2026-11-26T10:05:00.000Z';
const at = (minute: number) => new Date(Date.parse(FROM) + minute * 60_000).toISOString();

function point(minute: number, p: Partial<TrafficPoint>): TrafficPoint {
  return { t: at(minute), requests: 0, errors: 0, rps: 0, p50_ms: null, p95_ms: null, p99_ms: null, by_status: {}, by_class: {}, ...p };
}

function metrics(over: Partial<DeploymentMetrics> = {}): DeploymentMetrics {
  return {
    deployment: 'production', range: { label: 'custom', from: FROM, to: TO, resolution_seconds: 60 },
    requests: 0, errors: 0, error_rate: null, p50_ms: null, p95_ms: null, p99_ms: null, rps: 0,
    live_accuracy: null, live_macro_f1: null, labelled: 0, offline: null,
    series: { traffic: [], accuracy: [] }, markers: [], latency_buckets_ms: [],
    source: { kind: 'local', label: 'local collector', detail: '' }, empty: { traffic: 'none', feedback: 'none', latency: null },
    ...over,
  };
}

describe('dense rows on the range', () => {
  it('has one bucket per resolution step, aligned to it', () => {
    expect(bucketStarts(metrics()).map((t) => new Date(t).toISOString())).toEqual([0, 1, 2, 3, 4].map(at));
    expect(bucketStarts(metrics({ range: { label: 'custom', from: '2026-11-26T10:00:30.000Z', to: '2026-11-26T10:02:00.000Z', resolution_seconds: 60 } }))).toHaveLength(2);
  });

  it('fills minutes without traffic with zero requests and no latency', () => {
    const m = metrics({ series: { traffic: [point(1, { requests: 120, rps: 2, p50_ms: 1.2, p95_ms: 3.4, p99_ms: 8 })], accuracy: [] } });
    const rows = trafficRows(m);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ t: Date.parse(at(0)), requests: 0, rps: 0, p50: null, p95: null, p99: null });
    expect(rows[1]).toEqual({ t: Date.parse(at(1)), requests: 120, rps: 2, p50: 1.2, p95: 3.4, p99: 8 });
  });
});

it('latencyAxis spans powers of ten around the percentiles and the objective', () => {
  const row = (p50: number | null, p95: number | null, p99: number | null) => ({ t: 0, requests: 1, rps: 1, p50, p95, p99 });
  expect(latencyAxis([row(0.8, 4, 13), row(null, null, null)])).toEqual({ domain: [0.1, 1000], ticks: [0.1, 1, 10, 100, 1000] });
  expect(latencyAxis([row(3, 40, 1500)])).toEqual({ domain: [1, 10_000], ticks: [1, 10, 100, 1000, 10_000] });
  expect(latencyAxis([])).toEqual({ domain: [0.1, 1000], ticks: [0.1, 1, 10, 100, 1000] });
  expect([0.1, 10, 1000].map(formatLatencyTick)).toEqual(['0.1 ms', '10 ms', '1 s']);
});

it('isolatedPoints finds values with no neighbour, which a line cannot draw', () => {
  const rows = [{ p: 1 }, { p: null }, { p: 2 }, { p: 3 }, { p: null }, { p: 4 }];
  expect([...isolatedPoints(rows, 'p')]).toEqual([0, 5]);
  expect([...isolatedPoints([], 'p')]).toEqual([]);
});

describe('errorRateRows', () => {
  it('gives each non-2xx status its share of the bucket in %, in code order; null without requests', () => {
    const m = metrics({ series: { traffic: [point(0, { requests: 200, by_status: { 200: 180, 500: 4, 429: 10, 400: 6 } }), point(2, { requests: 50, by_status: { 200: 50 } })], accuracy: [] } });
    const { rows, keys } = errorRateRows(m);
    expect(keys).toEqual(['400', '429', '500']);
    expect(rows[0]).toEqual({ t: Date.parse(at(0)), 400: 3, 429: 5, 500: 2 });
    expect(rows[1]).toEqual({ t: Date.parse(at(1)), 400: null, 429: null, 500: null });
    expect(rows[2]).toEqual({ t: Date.parse(at(2)), 400: 0, 429: 0, 500: 0 });
  });

  it('colours server errors red and rate limiting amber', () => {
    expect(statusColor('503')).toBe('var(--color-danger)');
    expect(statusColor('429')).toBe('var(--color-warning)');
    expect(statusColor('400')).not.toBe(statusColor('500'));
  });

  it('stacks status classes from CloudWatch the same way: 4xx amber before 5xx red, unclassified errors last and grey', () => {
    const m = metrics({ series: { traffic: [point(0, { requests: 100, errors: 9, by_status: { '5xx': 2, other: 3, '4xx': 4 } })], accuracy: [] } });
    const { rows, keys } = errorRateRows(m);
    expect(keys).toEqual(['4xx', '5xx', 'other']);
    expect(rows[0]).toEqual({ t: Date.parse(at(0)), '4xx': 4, '5xx': 2, other: 3 });
    expect(keys.map(statusColor)).toEqual(['var(--color-warning)', 'var(--color-danger)', 'var(--color-muted-foreground)']);
  });
});

it('classMixRows keeps the labels in their fixed order, unknown ones after, zero where none', () => {
  const m = metrics({ series: { traffic: [point(0, { by_class: { UM: 3, ZZ: 1, LA: 2 } }), point(1, { by_class: { MM: 5 } })], accuracy: [] } });
  const { rows, keys } = classMixRows(m);
  expect(keys).toEqual(['LA', 'MM', 'UM', 'ZZ']);
  expect(rows[0]).toEqual({ t: Date.parse(at(0)), LA: 2, MM: 0, UM: 3, ZZ: 1 });
  expect(rows[3]).toEqual({ t: Date.parse(at(3)), LA: 0, MM: 0, UM: 0, ZZ: 0 });
});

it('accuracyRows gives percentages with their labelled counts, nothing where no feedback came', () => {
  const m = metrics({ series: { traffic: [], accuracy: [{ t: at(2), labelled: 40, correct: 36, accuracy: 0.9, macro_f1: 0.8765 }] } });
  const rows = accuracyRows(m);
  expect(rows[2]).toEqual({ t: Date.parse(at(2)), accuracy: 90, macroF1: 87.65, labelled: 40 });
  expect(rows[0]).toEqual({ t: Date.parse(at(0)), accuracy: null, macroF1: null, labelled: 0 });
});

it('accuracyDomain starts a round step below the lowest value or the offline reference', () => {
  const rows = [{ t: 0, accuracy: 97.4, macroF1: 96.1, labelled: 10 }, { t: 1, accuracy: null, macroF1: null, labelled: 0 }];
  expect(accuracyDomain(rows, 98)).toEqual([90, 100]);
  expect(accuracyDomain(rows, 60)).toEqual([55, 100]);
  expect(accuracyDomain([], null)).toEqual([0, 100]);
  expect(accuracyDomain([{ t: 0, accuracy: 1, macroF1: 0.5, labelled: 3 }], null)).toEqual([0, 100]);
});

it('versionMarkerLines labels deploys and rollbacks in range, one label per bucket', () => {
  const m = metrics({
    markers: [
      { at: '2026-11-26T09:00:00.000Z', version: 1, model_version_id: 'a', action: 'deploy' },
      { at: at(1), version: 2, model_version_id: 'b', action: 'deploy' },
      { at: '2026-11-26T10:03:10.000Z', version: 3, model_version_id: 'c', action: 'deploy' },
      { at: '2026-11-26T10:03:40.000Z', version: 2, model_version_id: 'b', action: 'rollback' },
    ],
  });
  expect(versionMarkerLines(m)).toEqual([
    { x: Date.parse(at(1)), label: 'v2', action: 'deploy' },
    { x: Date.parse('2026-11-26T10:03:10.000Z'), label: '', action: 'deploy' },
    { x: Date.parse('2026-11-26T10:03:40.000Z'), label: '↩ v2', action: 'rollback' },
  ]);
});

describe('statTiles', () => {
  it('formats the summary and compares live accuracy with offline', () => {
    const tiles = statTiles(metrics({
      requests: 12_345, errors: 12, error_rate: 12 / 12_345, rps: 3.43, p50_ms: 0.81, p95_ms: 4.2, p99_ms: 230,
      live_accuracy: 0.912, labelled: 2000, offline: { model_version_id: 'a', version: 3, accuracy: 0.93, macro_f1: 0.9 },
    }));
    expect(tiles.requests).toEqual({ value: '12,345', hint: '3.4/s on average' });
    expect(tiles.errorRate.value).toBe('0.10%');
    expect(tiles.p95).toMatchObject({ value: '4.20 ms', hint: 'p50 0.81 ms · p99 230 ms', trend: { isPositive: true } });
    expect(tiles.accuracy).toEqual({ value: '91.2%', hint: '2,000 labelled predictions', trend: { direction: 'down', label: '−1.8 pts vs offline 93.0%', isPositive: false } });
  });

  it('says what is missing instead of showing zeros as facts', () => {
    const tiles = statTiles(metrics({ offline: { model_version_id: 'a', version: 1, accuracy: 0.9, macro_f1: 0.88 } }));
    expect(tiles.errorRate).toEqual({ value: '—', hint: 'no requests' });
    expect(tiles.p95).toEqual({ value: '—', hint: 'no requests' });
    expect(tiles.accuracy).toEqual({ value: '—', hint: 'offline 90.0%; no feedback yet' });
  });

  it('tells a source without percentiles from no traffic', () => {
    const tiles = statTiles(metrics({
      requests: 50, errors: 1, error_rate: 0.02, source: { kind: 'cloudwatch', label: 'CloudWatch', detail: 'CloudWatch namespace PriceSense/Inference in ap-southeast-1' },
      empty: { traffic: null, feedback: 'none', latency: 'Latency percentiles are unavailable from this source' },
    }));
    expect(tiles.p95).toEqual({ value: '—', hint: 'not available from CloudWatch' });
  });
});

it('sourceText names where the numbers come from and how latency and errors are made there', () => {
  const local = sourceText(metrics());
  expect(local).toMatchObject({ line: 'Source: local collector', errorsTitle: 'Error rate by status code', latency: expect.stringMatching(/^p50, p95 and p99 from the summed latency histograms/) });
  const cloud = sourceText(metrics({ source: { kind: 'cloudwatch', label: 'CloudWatch', detail: 'CloudWatch namespace PriceSense/Inference in ap-southeast-1' } }));
  expect(cloud).toMatchObject({ line: 'Source: CloudWatch', errorsTitle: 'Error rate by status class', latency: expect.stringMatching(/as CloudWatch computes them/) });
  expect(cloud.title).toBe("Requests, errors, latency and classes: CloudWatch namespace PriceSense/Inference in ap-southeast-1. Live accuracy: feedback records in the control plane's database.");
});

it('formats latencies and rates for their size', () => {
  expect([formatMs(0.42), formatMs(12.34), formatMs(250.2), formatMs(1500), formatMs(null)]).toEqual(['0.42 ms', '12.3 ms', '250 ms', '1.50 s', '—']);
  expect([formatRate(0), formatRate(0.05), formatRate(2.34), formatRate(150.4)]).toEqual(['0/s', '3.0/min', '2.3/s', '150/s']);
  // 198 requests in 30 days, and 20 in 30 days.
  expect([formatRate(198 / (30 * 86_400)), formatRate(20 / (30 * 86_400))]).toEqual(['0.3/h', '0.7/day']);
  // Axis ticks of a quiet 30-day range stay distinct.
  expect([0, 0.025, 0.05, 0.075, 0.1, 2.5, 12.5, 40].map(formatRateTick)).toEqual(['0', '0.025', '0.05', '0.075', '0.1', '2.5', '13', '40']);
});
