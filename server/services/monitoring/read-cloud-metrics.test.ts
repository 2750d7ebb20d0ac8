import { describe, expect, it } from 'vitest';
import { TelemetryError, type CloudSeries, type SeriesQuery, type TelemetryBackend } from '@/server/adapters/telemetry/port';
import { AppError } from '@/server/errors';
import { readCloudTraffic } from './read-cloud-metrics';

/**
 * The mapping from CloudWatch's series to the metrics API's shape. The adapter
 * itself is tested against moto (cloudwatch.int.test.ts), which computes no
 * percentiles: the case where CloudWatch does is checked here, on our own port.
 */
const T0 = Date.parse('2026-11-26T11:00:00Z');
const MIN = 60_000;

function backend(answer: CloudSeries | Error, asked: SeriesQuery[] = []): TelemetryBackend {
  return {
    kind: 'cloudwatch', where: 'CloudWatch namespace PriceSense/Inference in ap-southeast-1',
    readDeploymentMetrics: () => Promise.reject(new Error('not used')),
    syncAlarms: () => Promise.reject(new Error('not used')),
    readDeploymentSeries: async (q) => {
      asked.push(q);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const period = (minute: number, p: Partial<CloudSeries['periods'][number]> = {}) => ({
  start: new Date(T0 + minute * MIN), requests: 0, errors: 0, errorsByClass: {}, predictions: {}, latencySamples: 0, p50Ms: null, p95Ms: null, p99Ms: null, ...p,
});
const query = { deployment: 'production', from: T0 + 30_000, to: T0 + 60 * MIN, now: T0 + 60 * MIN, resolutionSeconds: 60, modelMetrics: { confusion_matrix: { labels: ['LA', 'MM', 'UM', 'ZZ'] } } };

describe('readCloudTraffic', () => {
  it("maps periods to traffic points with CloudWatch's percentiles, and asks for every class the model knows", async () => {
    const asked: SeriesQuery[] = [];
    const series: CloudSeries = {
      periodSeconds: 60, start: new Date(T0), percentilesUnavailable: null,
      periods: [period(2, { requests: 120, errors: 3, errorsByClass: { '4xx': 1, '5xx': 2 }, predictions: { LA: 60, MM: 57 }, latencySamples: 120, p50Ms: 1.23456, p95Ms: 8.5, p99Ms: 19.0004 })],
      whole: { p50Ms: 1.2, p95Ms: 8.5, p99Ms: 19 },
    };
    const t = await readCloudTraffic(backend(series, asked), query);
    expect(asked[0]).toMatchObject({ deployment: 'production', resolutionSeconds: 60, classes: ['LA', 'MM', 'UM', 'ZZ'] });
    expect(t).toEqual({
      source: { kind: 'cloudwatch', label: 'CloudWatch', detail: 'CloudWatch namespace PriceSense/Inference in ap-southeast-1' },
      from: T0, resolutionSeconds: 60, p50_ms: 1.2, p95_ms: 8.5, p99_ms: 19, latencyNote: null,
      traffic: [{ t: '2026-11-26T11:02:00.000Z', requests: 120, errors: 3, rps: 2, p50_ms: 1.235, p95_ms: 8.5, p99_ms: 19, by_status: { '4xx': 1, '5xx': 2 }, by_class: { LA: 60, MM: 57 } }],
    });
  });

  it('says why latency is missing rather than showing zeros, and keeps errors an older image did not classify', async () => {
    const series: CloudSeries = {
      periodSeconds: 60, start: new Date(T0), percentilesUnavailable: 'it answered HTTP 500 when asked for them',
      periods: [period(0, { requests: 10, errors: 4, errorsByClass: { '5xx': 1 }, latencySamples: 10 })],
      whole: { p50Ms: null, p95Ms: null, p99Ms: null },
    };
    const t = await readCloudTraffic(backend(series), { ...query, modelMetrics: null });
    expect(t).toMatchObject({ p50_ms: null, p95_ms: null, p99_ms: null });
    expect(t.traffic[0]).toMatchObject({ p95_ms: null, by_status: { '5xx': 1, other: 3 } });
    expect(t.latencyNote).toMatch(/^Latency percentiles are unavailable from this source: CloudWatch holds 10 latency samples for the range but gave no p50\/p95\/p99: it answered HTTP 500/);
  });

  it('turns a CloudWatch failure into a 502 that names CloudWatch; other errors pass through', async () => {
    const failure = new TelemetryError('CloudWatch GetMetricData failed (CloudWatch namespace PriceSense/Inference in ap-southeast-1): ThrottlingException (HTTP 400): Rate exceeded', 'GetMetricData');
    const error = await readCloudTraffic(backend(failure), query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UPSTREAM', status: 502, message: 'Could not read the metrics of production from CloudWatch: CloudWatch GetMetricData failed (CloudWatch namespace PriceSense/Inference in ap-southeast-1): ThrottlingException (HTTP 400): Rate exceeded' });
    const bug = new TypeError('boom');
    await expect(readCloudTraffic(backend(bug), query)).rejects.toBe(bug);
  });
});
