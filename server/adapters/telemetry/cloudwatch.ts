import 'server-only';
import { createHash } from 'node:crypto';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  paginateDescribeAlarms,
  type ComparisonOperator,
  type Dimension,
  type MetricDataQuery,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { EMF_METRICS, EMF_NAMESPACE } from '@/inference/src/emf';
import { readSeries } from './cloudwatch-series';
import { TelemetryError, type AlarmRule, type CloudMetrics, type TelemetryBackend } from './port';

export type CloudWatchTelemetryOptions = {
  region: string;
  /** A CloudWatch-compatible endpoint (moto); omit for AWS. */
  endpoint?: string;
  /** Omit to use the SDK's default chain (env vars, profile, instance/IRSA role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Where the inference service's EMF lines put their metrics (INFERENCE_METRICS_NAMESPACE there). */
  namespace?: string;
  /** SNS topic the alarms notify on ALARM and OK (optional: the control plane's own webhooks notify either way). */
  alarmTopicArn?: string;
};

const COMPARISON: Record<AlarmRule['comparator'], ComparisonOperator> = {
  '>': 'GreaterThanThreshold',
  '>=': 'GreaterThanOrEqualToThreshold',
  '<': 'LessThanThreshold',
  '<=': 'LessThanOrEqualToThreshold',
};
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** The definition's hash rides at the end of the alarm description, so a sync only rewrites alarms that changed. */
const FINGERPRINT = / \[pricesense:([0-9a-f]{12})\]$/;

type SdkError = Error & { code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };

/** Alarm name prefix of one installation: the namespace keeps two installations in one account apart. */
export function alarmPrefix(namespace: string): string {
  return `pricesense-${namespace.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()}-rule-`;
}

export function createCloudWatchTelemetry(opts: CloudWatchTelemetryOptions): TelemetryBackend & { client: CloudWatchClient } {
  // CloudWatch's gzip request compression is not understood by moto; bodies here are small anyway.
  const client = new CloudWatchClient({
    region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 3, disableRequestCompression: true,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
  const namespace = opts.namespace ?? EMF_NAMESPACE;
  const prefix = alarmPrefix(namespace);
  const where = `CloudWatch namespace ${namespace} in ${opts.region}${opts.endpoint ? ` at ${opts.endpoint}` : ''}`;
  const dims = (deployment: string): Dimension[] => [{ Name: 'Deployment', Value: deployment }];

  const fail = (operation: string, error: unknown): TelemetryError => {
    const e = error as SdkError;
    const network = NETWORK_CODES.has(e.code ?? e.cause?.code ?? '') || e.name === 'TimeoutError';
    const status = e.$metadata?.httpStatusCode;
    return new TelemetryError(`CloudWatch ${operation} failed (${where}): ${e.name}${status ? ` (HTTP ${status})` : ''}: ${e.message}`, operation, network ? 'unreachable' : 'refused');
  };

  function stat(id: string, metric: string, deployment: string, period: number, statistic: string): MetricDataQuery {
    return { Id: id, MetricStat: { Metric: { Namespace: namespace, MetricName: metric, Dimensions: dims(deployment) }, Period: period, Stat: statistic }, ReturnData: true };
  }

  function alarmInput(rule: AlarmRule): PutMetricAlarmCommandInput {
    const period = Math.max(1, Math.round(rule.windowMinutes)) * 60;
    const what = rule.kind === 'latency_p95' ? `p95 latency over ${rule.windowMinutes} min` : `error rate over ${rule.windowMinutes} min`;
    const base: PutMetricAlarmCommandInput = {
      AlarmName: `${prefix}${rule.ruleId}`,
      ComparisonOperator: COMPARISON[rule.comparator],
      Threshold: rule.threshold,
      EvaluationPeriods: 1,
      // No traffic is no evidence: the alarm keeps its state, as the control plane's own evaluation does.
      TreatMissingData: 'ignore',
      ...(opts.alarmTopicArn ? { AlarmActions: [opts.alarmTopicArn], OKActions: [opts.alarmTopicArn] } : {}),
    };
    const input: PutMetricAlarmCommandInput = rule.kind === 'latency_p95'
      ? { ...base, Namespace: namespace, MetricName: EMF_METRICS.latency, Dimensions: dims(rule.deployment), ExtendedStatistic: 'p95', Period: period }
      : {
          ...base,
          Metrics: [
            { ...stat('errors', EMF_METRICS.errors, rule.deployment, period, 'Sum'), ReturnData: false },
            { ...stat('requests', EMF_METRICS.requests, rule.deployment, period, 'Sum'), ReturnData: false },
            { Id: 'rate', Expression: 'errors / requests', Label: 'Error rate', ReturnData: true },
          ],
        };
    const fingerprint = createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 12);
    const description = `${rule.name} — ${what} ${rule.comparator} ${rule.threshold} on ${rule.deployment}`.slice(0, 1000);
    return { ...input, AlarmDescription: `${description} [pricesense:${fingerprint}]` };
  }

  return {
    kind: 'cloudwatch',
    where,
    client,

    async readDeploymentMetrics({ deployment, from, to }) {
      // One period over the whole range (a multiple of 60 s, as CloudWatch requires): one datapoint per statistic.
      const period = Math.max(60, Math.ceil((to.getTime() - from.getTime()) / 60_000) * 60);
      const range = { StartTime: from, EndTime: new Date(from.getTime() + period * 1000) };
      const sumOf = (values: number[] | undefined) => (values?.length ? values.reduce((s, v) => s + v, 0) : null);
      let counts;
      try {
        counts = await client.send(new GetMetricDataCommand({
          ...range,
          MetricDataQueries: [
            stat('requests', EMF_METRICS.requests, deployment, period, 'Sum'),
            stat('errors', EMF_METRICS.errors, deployment, period, 'Sum'),
            stat('samples', EMF_METRICS.latency, deployment, period, 'SampleCount'),
          ],
        }));
      } catch (error) {
        throw fail('GetMetricData', error);
      }
      const values = (id: string) => counts.MetricDataResults?.find((r) => r.Id === id)?.Values;
      const requests = sumOf(values('requests'));
      const errors = sumOf(values('errors'));
      const latencySamples = sumOf(values('samples'));
      // A percentile is asked for on its own: when CloudWatch cannot give one (no datapoints, or an
      // emulator without percentiles), p95 is unavailable while the counts still stand.
      let p95Ms: number | null = null;
      if (latencySamples) {
        try {
          const p95 = await client.send(new GetMetricDataCommand({ ...range, MetricDataQueries: [stat('p95', EMF_METRICS.latency, deployment, period, 'p95')] }));
          const v = p95.MetricDataResults?.[0]?.Values ?? [];
          p95Ms = v.length === 1 && Number.isFinite(v[0]) ? v[0]! : null;
        } catch {
          p95Ms = null;
        }
      }
      return { requests, errors, errorRate: requests ? (errors ?? 0) / requests : null, p95Ms, latencySamples } satisfies CloudMetrics;
    },

    readDeploymentSeries(q) {
      return readSeries({ client, namespace, fail }, q);
    },

    async syncAlarms(rules) {
      const wanted = new Map(rules.map((r) => [`${prefix}${r.ruleId}`, alarmInput(r)]));
      const existing = new Map<string, string | null>();
      try {
        for await (const page of paginateDescribeAlarms({ client }, { AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm'] })) {
          for (const a of page.MetricAlarms ?? []) if (a.AlarmName) existing.set(a.AlarmName, FINGERPRINT.exec(a.AlarmDescription ?? '')?.[1] ?? null);
        }
      } catch (error) {
        throw fail('DescribeAlarms', error);
      }
      const put: string[] = [];
      for (const [name, input] of wanted) {
        if (existing.get(name) === FINGERPRINT.exec(input.AlarmDescription!)?.[1]) continue;
        try {
          await client.send(new PutMetricAlarmCommand(input));
        } catch (error) {
          throw fail('PutMetricAlarm', error);
        }
        put.push(name);
      }
      const deleted = [...existing.keys()].filter((name) => !wanted.has(name));
      // DeleteAlarms takes at most 100 names per call.
      for (let i = 0; i < deleted.length; i += 100) {
        try {
          await client.send(new DeleteAlarmsCommand({ AlarmNames: deleted.slice(i, i + 100) }));
        } catch (error) {
          throw fail('DeleteAlarms', error);
        }
      }
      return { put, deleted };
    },
  };
}
