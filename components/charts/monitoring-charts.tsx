'use client';

import {
  accuracyDomain, accuracyRows, classColor, classMixRows, errorRateRows, formatLatencyTick, formatMs, formatRate, formatRateTick, latencyAxis, metricsDomain, P95_OBJECTIVE_MS, statusColor, trafficRows, versionMarkerLines,
} from '@/lib/charts/monitoring';
import { LABEL_STYLES, isLabelCode } from '@/lib/charts/labels';
import type { DeploymentMetrics } from '@/lib/monitoring';
import { TimeSeriesChart } from './time-series-chart';

/**
 * The Monitoring page's charts, one per question, all on the range's time axis
 * with a line at each model version change. Render-only: the rows come from
 * lib/charts/monitoring.ts.
 */
type Props = { metrics: DeploymentMetrics };

const axis = (m: DeploymentMetrics) => ({ domain: metricsDomain(m), markers: versionMarkerLines(m) });
const percent = (v: number) => `${v.toFixed(v >= 10 || v === 0 ? 0 : 1)}%`;

export function RequestsChart({ metrics }: Props) {
  return (
    <TimeSeriesChart
      label={`Requests per second to ${metrics.deployment}`}
      rows={trafficRows(metrics)}
      series={[{ key: 'rps', label: 'Requests/s', color: 'var(--color-primary)' }]}
      formatValue={formatRate}
      formatTick={formatRateTick}
      {...axis(metrics)}
    />
  );
}

export function LatencyChart({ metrics }: Props) {
  const rows = trafficRows(metrics);
  const { domain, ticks } = latencyAxis(rows);
  return (
    <TimeSeriesChart
      label={`Latency percentiles of ${metrics.deployment}, against a ${P95_OBJECTIVE_MS} ms p95 objective`}
      rows={rows}
      series={[
        { key: 'p50', label: 'p50', color: 'var(--color-success)' },
        { key: 'p95', label: 'p95', color: 'var(--color-primary)' },
        { key: 'p99', label: 'p99', color: 'var(--color-warning)', dashed: true },
      ]}
      formatValue={formatMs}
      formatTick={formatLatencyTick}
      yScale="log"
      yDomain={domain}
      yTicks={ticks}
      references={[{ y: P95_OBJECTIVE_MS, label: `p95 objective ${P95_OBJECTIVE_MS} ms` }]}
      {...axis(metrics)}
    />
  );
}

export function ErrorRateChart({ metrics }: Props) {
  const { rows, keys } = errorRateRows(metrics);
  return (
    <TimeSeriesChart
      label={`Error rate of ${metrics.deployment} by status ${metrics.source.kind === 'cloudwatch' ? 'class' : 'code'}`}
      kind="stacked-bar"
      rows={rows}
      series={keys.map((code) => ({ key: code, label: code, color: statusColor(code) }))}
      formatValue={(v) => `${v.toFixed(2)}%`}
      formatTick={percent}
      {...axis(metrics)}
    />
  );
}

export function ClassMixChart({ metrics }: Props) {
  const { rows, keys } = classMixRows(metrics);
  return (
    <TimeSeriesChart
      label={`Predictions of ${metrics.deployment} by class`}
      kind="stacked-area"
      rows={rows}
      series={keys.map((label) => ({ key: label, label: isLabelCode(label) ? `${label} · ${LABEL_STYLES[label].name}` : label, color: classColor(label) }))}
      formatValue={(v) => v.toLocaleString('en-US')}
      formatTick={(v) => (v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : String(v))}
      {...axis(metrics)}
    />
  );
}

export function LiveAccuracyChart({ metrics }: Props) {
  const offline = metrics.offline;
  const references = [
    ...(offline?.accuracy != null ? [{ y: offline.accuracy * 100, label: `offline accuracy v${offline.version}`, color: 'var(--color-primary)' }] : []),
  ];
  const rows = accuracyRows(metrics);
  return (
    <TimeSeriesChart
      label={`Live accuracy and macro F1 of ${metrics.deployment} from feedback, with the offline accuracy`}
      rows={rows}
      series={[
        { key: 'accuracy', label: 'Live accuracy', color: 'var(--color-primary)' },
        { key: 'macroF1', label: 'Live macro F1', color: 'var(--color-success)', dashed: true },
      ]}
      bars={{ key: 'labelled', label: 'Labelled', color: 'var(--color-muted-foreground)' }}
      formatValue={(v) => `${v.toFixed(1)}%`}
      formatTick={percent}
      yDomain={accuracyDomain(rows, offline?.accuracy != null ? offline.accuracy * 100 : null)}
      references={references}
      height={240}
      {...axis(metrics)}
    />
  );
}
