import { DescribeAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmfMetrics } from '@/inference/src/emf';
import { parseEnv } from '@/server/env';
import { extractEmf as extracted, type EmfLine } from '@/test/cloudwatch-emf';
import { MOTO_CREDENTIALS, sharedMotoServer } from '@/test/moto';
import { alarmPrefix, createCloudWatchTelemetry } from './cloudwatch';
import { createTelemetry } from './index';
import type { AlarmRule } from './port';

// What moto 5.2.1 does differently from CloudWatch, and how these tests stand on it:
// - no percentile statistics: GetMetricData with Stat "p95" over stored values answers HTTP 500
//   (its serialiser meets a None). The adapter asks for p95 in a call of its own and reports it
//   as unavailable (null) when CloudWatch gives no value, so request and error counts still stand;
//   that the p95 is null here, never a made-up number, is what these tests check of it;
// - it does not read CloudWatch Logs: EMF lines are turned into PutMetricData here the way
//   CloudWatch extracts them (same names, dimensions, Values/Counts), to test the read side;
// - alarms are stored and described but never evaluated (their state stays as created).

const REGION = 'ap-southeast-1';
const credentials = MOTO_CREDENTIALS;
const NAMESPACE = 'PriceSense/Inference';

const motoServer = sharedMotoServer({ beforeAll, afterAll, beforeEach });

const telemetry = (extra: { alarmTopicArn?: string; namespace?: string } = {}) => createCloudWatchTelemetry({ region: REGION, endpoint: motoServer().endpoint, credentials, namespace: NAMESPACE, ...extra });

const rule = (id: string, extra: Partial<AlarmRule> = {}): AlarmRule => ({ ruleId: id, name: `rule ${id}`, kind: 'latency_p95', deployment: 'production', comparator: '>', threshold: 200, windowMinutes: 15, ...extra });

describe('CloudWatch telemetry (moto)', () => {
  it('reads back what the inference service reported: request and error sums, latency sample count; p95 unavailable, not wrong', async () => {
    const t = telemetry();
    const now = Date.now();
    const lines: EmfLine[] = [];
    let version = 'mv1';
    const emf = new EmfMetrics({ deployment: 'production', intervalMs: 60_000, currentVersion: () => version, write: (l) => lines.push(JSON.parse(l)), clock: () => now - 120_000 });
    for (let i = 0; i < 40; i++) emf.observeRequest(i < 2 ? 500 : 200, 5 + i);
    emf.flush();
    version = 'mv2';
    for (let i = 0; i < 10; i++) emf.observeRequest(i < 1 ? 400 : 200, 3);
    emf.flush();
    // Another deployment's traffic is not ours.
    const other = new EmfMetrics({ deployment: 'staging', intervalMs: 60_000, currentVersion: () => 'mv9', write: (l) => lines.push(JSON.parse(l)), clock: () => now - 60_000 });
    other.observeRequest(500, 900);
    other.flush();
    for (const line of lines) await t.client.send(new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: extracted(line) }));

    const read = await t.readDeploymentMetrics({ deployment: 'production', from: new Date(now - 15 * 60_000), to: new Date(now) });
    // Summed over both model versions (the [Deployment] dimension set), SampleCount from the histogram counts.
    expect(read).toEqual({ requests: 50, errors: 3, errorRate: 0.06, latencySamples: 50, p95Ms: null });

    // A range without datapoints: nothing, not zeros.
    const empty = await t.readDeploymentMetrics({ deployment: 'production', from: new Date(now - 3 * 3_600_000), to: new Date(now - 2 * 3_600_000) });
    expect(empty).toEqual({ requests: null, errors: null, errorRate: null, latencySamples: null, p95Ms: null });
  });

  it('reads the series the Monitoring page draws: sums per period, errors by status class, predictions by class; percentiles unavailable, not made up', async () => {
    const t = telemetry();
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const lines: EmfLine[] = [];
    let version = 'mv1';
    let clock = now - 5 * 60_000 + 10_000;
    const emf = new EmfMetrics({ deployment: 'production', intervalMs: 60_000, currentVersion: () => version, write: (l) => lines.push(JSON.parse(l)), clock: () => clock });
    for (let i = 0; i < 40; i++) {
      emf.observeRequest(i < 2 ? 503 : i === 2 ? 429 : 200, 4 + i);
      if (i >= 3) emf.countPrediction(i % 2 ? 'LA' : 'MM');
    }
    emf.flush();
    version = 'mv2';
    clock = now - 2 * 60_000 + 10_000;
    for (let i = 0; i < 10; i++) {
      emf.observeRequest(i ? 200 : 400, 3);
      if (i) emf.countPrediction('UM');
    }
    emf.flush();
    const other = new EmfMetrics({ deployment: 'staging', intervalMs: 60_000, currentVersion: () => 'mv9', write: (l) => lines.push(JSON.parse(l)), clock: () => now - 60_000 });
    other.observeRequest(500, 900);
    other.flush();
    for (const line of lines) await t.client.send(new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: extracted(line) }));

    const hour = await t.readDeploymentSeries({ deployment: 'production', from: new Date(now - 3_600_000), to: new Date(now), now: new Date(now), resolutionSeconds: 60, classes: ['LA', 'MM', 'UM'] });
    expect(hour).toMatchObject({ periodSeconds: 60, start: new Date(now - 3_600_000), whole: { p50Ms: null, p95Ms: null, p99Ms: null } });
    expect(hour.periods).toEqual([
      { start: new Date(now - 5 * 60_000), requests: 40, errors: 3, errorsByClass: { '4xx': 1, '5xx': 2 }, predictions: { LA: 19, MM: 18 }, latencySamples: 40, p50Ms: null, p95Ms: null, p99Ms: null },
      { start: new Date(now - 2 * 60_000), requests: 10, errors: 1, errorsByClass: { '4xx': 1 }, predictions: { UM: 9 }, latencySamples: 10, p50Ms: null, p95Ms: null, p99Ms: null },
    ]);
    // moto cannot compute percentiles (HTTP 500): said so, while the counts above stand.
    expect(hour.percentilesUnavailable).toMatch(/HTTP 500/);

    // Twenty days back: 5-minute data at the finest, here hours as asked; the same sums.
    const month = await t.readDeploymentSeries({ deployment: 'production', from: new Date(now - 20 * 86_400_000), to: new Date(now), now: new Date(now), resolutionSeconds: 3600, classes: ['LA', 'MM', 'UM'] });
    expect(month.periodSeconds).toBe(3600);
    expect(month.start.getTime() % 3_600_000).toBe(0);
    expect(month.periods.reduce((s, p) => s + p.requests, 0)).toBe(50);
    expect(month.periods.every((p) => p.start.getTime() % 3_600_000 === 0)).toBe(true);

    // No datapoints: no periods, and nothing to explain about percentiles.
    const quiet = await t.readDeploymentSeries({ deployment: 'canary', from: new Date(now - 3_600_000), to: new Date(now), resolutionSeconds: 60, classes: ['LA'] });
    expect(quiet).toMatchObject({ periods: [], percentilesUnavailable: null, whole: { p95Ms: null } });
  });

  it('creates one alarm per rule, rewrites only changed ones, deletes removed ones, and leaves foreign alarms alone', async () => {
    const t = telemetry({ alarmTopicArn: 'arn:aws:sns:ap-southeast-1:123456789012:pricesense-alerts' });
    const prefix = alarmPrefix(NAMESPACE);
    expect(prefix).toBe('pricesense-pricesense-inference-rule-');
    await t.client.send(new PutMetricAlarmCommand({ AlarmName: 'someone-elses-alarm', Namespace: 'Other', MetricName: 'CPU', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));

    const first = await t.syncAlarms([rule('r1'), rule('r2', { kind: 'error_rate', comparator: '>=', threshold: 0.01, windowMinutes: 5, deployment: 'staging' })]);
    expect(first).toEqual({ put: [`${prefix}r1`, `${prefix}r2`], deleted: [] });
    const described = async () => (await t.client.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    const alarms = await described();
    const p95 = alarms.find((a) => a.AlarmName === `${prefix}r1`)!;
    expect(p95).toMatchObject({
      Namespace: NAMESPACE, MetricName: 'Latency', ExtendedStatistic: 'p95', Dimensions: [{ Name: 'Deployment', Value: 'production' }],
      Period: 900, EvaluationPeriods: 1, Threshold: 200, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore',
      AlarmActions: ['arn:aws:sns:ap-southeast-1:123456789012:pricesense-alerts'], OKActions: ['arn:aws:sns:ap-southeast-1:123456789012:pricesense-alerts'],
    });
    expect(p95.AlarmDescription).toMatch(/^rule r1 — p95 latency over 15 min > 200 on production \[pricesense:[0-9a-f]{12}\]$/);
    const rate = alarms.find((a) => a.AlarmName === `${prefix}r2`)!;
    expect(rate).toMatchObject({ Threshold: 0.01, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(rate.Metrics).toEqual([
      { Id: 'errors', MetricStat: { Metric: { Namespace: NAMESPACE, MetricName: 'Errors', Dimensions: [{ Name: 'Deployment', Value: 'staging' }] }, Period: 300, Stat: 'Sum' }, ReturnData: false },
      { Id: 'requests', MetricStat: { Metric: { Namespace: NAMESPACE, MetricName: 'Requests', Dimensions: [{ Name: 'Deployment', Value: 'staging' }] }, Period: 300, Stat: 'Sum' }, ReturnData: false },
      { Id: 'rate', Expression: 'errors / requests', Label: 'Error rate', ReturnData: true },
    ]);

    // Unchanged rules: nothing written. A changed threshold: that alarm only. A removed rule: its alarm goes.
    expect(await t.syncAlarms([rule('r1'), rule('r2', { kind: 'error_rate', comparator: '>=', threshold: 0.01, windowMinutes: 5, deployment: 'staging' })])).toEqual({ put: [], deleted: [] });
    expect(await t.syncAlarms([rule('r1', { threshold: 250 })])).toEqual({ put: [`${prefix}r1`], deleted: [`${prefix}r2`] });
    const after = await described();
    expect(after.map((a) => a.AlarmName).sort()).toEqual([`${prefix}r1`, 'someone-elses-alarm']);
    expect(after.find((a) => a.AlarmName === `${prefix}r1`)!.Threshold).toBe(250);
    expect(await t.syncAlarms([])).toEqual({ put: [], deleted: [`${prefix}r1`] });
    expect((await described()).map((a) => a.AlarmName)).toEqual(['someone-elses-alarm']);
  });

  it('names the operation and the endpoint when CloudWatch cannot be reached', async () => {
    const t = createCloudWatchTelemetry({ region: REGION, endpoint: 'http://127.0.0.1:9', credentials });
    await expect(t.syncAlarms([rule('r1')])).rejects.toMatchObject({ name: 'TelemetryError', operation: 'DescribeAlarms', reason: 'unreachable', message: expect.stringMatching(/CloudWatch DescribeAlarms failed \(CloudWatch namespace PriceSense\/Inference in ap-southeast-1 at http:\/\/127\.0\.0\.1:9\)/) });
    await expect(t.readDeploymentSeries({ deployment: 'production', from: new Date(Date.now() - 3_600_000), to: new Date(), resolutionSeconds: 60, classes: [] }))
      .rejects.toMatchObject({ name: 'TelemetryError', operation: 'GetMetricData', reason: 'unreachable', message: expect.stringMatching(/^CloudWatch GetMetricData failed/) });
  }, 30_000);

  it('is chosen by TELEMETRY_BACKEND, and a bad setting fails at start-up', () => {
    expect(createTelemetry(parseEnv({}))).toBeNull();
    expect(createTelemetry(parseEnv({ TELEMETRY_BACKEND: 'cloudwatch', CLOUDWATCH_ENDPOINT: motoServer().endpoint }))).toMatchObject({ kind: 'cloudwatch', where: `CloudWatch namespace PriceSense/Inference in ap-southeast-1 at ${motoServer().endpoint}` });
    expect(() => parseEnv({ TELEMETRY_BACKEND: 'prometheus' })).toThrow(/TELEMETRY_BACKEND must be local or cloudwatch/);
    expect(() => parseEnv({ CLOUDWATCH_ALARM_TOPIC_ARN: 'my-topic' })).toThrow(/CLOUDWATCH_ALARM_TOPIC_ARN must be an SNS topic ARN/);
  });
});
