import 'server-only';
import type { Env } from '@/server/env';
import { createCloudWatchTelemetry } from './cloudwatch';
import type { TelemetryBackend } from './port';

export type { AlarmKind, AlarmRule, CloudMetrics, CloudPeriod, CloudSeries, SeriesQuery, TelemetryBackend } from './port';
export { ALARM_KINDS, TelemetryError } from './port';

/**
 * Where deployment telemetry is read and alarms live: TELEMETRY_BACKEND=cloudwatch
 * reads the inference service's EMF metrics from CloudWatch and mirrors the rules
 * CloudWatch can evaluate as alarms; local (the default) gives null, and the
 * control plane reads its own Postgres rollups. Credentials come from the SDK's
 * default chain, never from our config.
 */
export function createTelemetry(env: Env): TelemetryBackend | null {
  if (env.TELEMETRY_BACKEND !== 'cloudwatch') return null;
  return createCloudWatchTelemetry({ region: env.AWS_REGION, endpoint: env.CLOUDWATCH_ENDPOINT, namespace: env.CLOUDWATCH_NAMESPACE, alarmTopicArn: env.CLOUDWATCH_ALARM_TOPIC_ARN });
}
