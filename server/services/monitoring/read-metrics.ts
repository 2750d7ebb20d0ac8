import 'server-only';
import { z } from 'zod';
import {
  addConfusion, confusionScores, isMetricRange, RANGE_RESOLUTION, RANGE_SECONDS, resolutionFor,
  type AccuracyPoint, type Confusion, type DeploymentMetrics, type MetricRange,
} from '@/lib/monitoring';
import { AppError, notFound, parseInput } from '@/server/errors';
import { assertCan, nowOf, type ServiceContext } from '../context';
import { readInstances } from '../deployments/read-deployments';
import { deploymentName } from '../deployments/schemas';
import { LATENCY_BOUNDS_MS } from './latency-histogram';
import { readConfusion } from './live-accuracy';
import { LOCAL_SOURCE, readCloudTraffic } from './read-cloud-metrics';
import { readLocalTraffic } from './read-local-traffic';
import { ROLLUP_SECONDS } from './scrape-metrics';

/**
 * A deployment's traffic, latency, errors, class mix and live accuracy over a
 * time range, as a summary and as series. Traffic comes from the rollups (hour
 * rows for the whole hours of the range, minute rows for the rest, re-bucketed in
 * SQL to the range's resolution: read-local-traffic.ts); percentiles from their
 * summed histograms (in AWS mode both from CloudWatch: read-cloud-metrics.ts); live
 * accuracy from the confusion rollups of predictions with feedback, grouped by
 * when the feedback arrived (live-accuracy.ts), in both modes.
 * Missing data is an empty series with a reason, never an error.
 */
const MAX_SPAN_SECONDS = 400 * 86_400;

export const metricsQuery = z
  .strictObject({
    deployment: deploymentName.default('production'),
    range: z.string().refine(isMetricRange, 'must be 1h, 24h, 7d or 30d').optional(),
    from: z.iso.datetime({ offset: true, message: 'must be an ISO date-time, e.g. 2026-11-26T10:00:00Z' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO date-time, e.g. 2026-11-26T11:00:00Z' }).optional(),
  })
  .refine((q) => !(q.range && (q.from || q.to)), { message: 'give either range or from/to, not both', path: ['range'] })
  .refine((q) => !q.to || q.from, { message: 'is required with to', path: ['from'] });

export type MetricsQuery = z.input<typeof metricsQuery>;

export async function getDeploymentMetrics(ctx: ServiceContext, input: MetricsQuery): Promise<DeploymentMetrics> {
  assertCan(ctx, 'read');
  const q = parseInput(metricsQuery, input);
  const now = nowOf(ctx).getTime();
  const label: MetricRange | 'custom' = q.from ? 'custom' : ((q.range as MetricRange | undefined) ?? '1h');
  const to = q.from ? (q.to ? Date.parse(q.to) : now) : now;
  const from = q.from ? Date.parse(q.from) : to - RANGE_SECONDS[label as MetricRange] * 1000;
  if (!(to > from)) throw parseInputError('from', 'must be before to');
  if ((to - from) / 1000 > MAX_SPAN_SECONDS) throw parseInputError('from', 'the range may span at most 400 days');
  const res = label === 'custom' ? Math.max(ROLLUP_SECONDS, resolutionFor((to - from) / 1000)) : RANGE_RESOLUTION[label];

  const dep = await ctx.db.deployment.findUnique({
    where: { name: q.deployment },
    select: { id: true, name: true, currentModelVersion: { select: { id: true, version: true, metrics: true } } },
  });
  if (!dep) throw notFound(`Deployment "${q.deployment}"`);
  const toIso = new Date(to).toISOString();

  const [local, confusion, events, cloud] = await Promise.all([
    // Local mode: the collector's rollups. AWS mode: traffic, latency and class mix from CloudWatch (the rollups stay empty: nothing is scraped).
    ctx.adapters.telemetry ? null : readLocalTraffic(ctx.db, dep.id, from, to, res),
    readConfusion(ctx, dep.id, res, from, to),
    ctx.db.deploymentEvent.findMany({
      where: { deploymentId: dep.id, startedAt: { gte: new Date(from), lt: new Date(to) } },
      orderBy: { startedAt: 'asc' },
      select: { action: true, startedAt: true, modelVersion: { select: { id: true, version: true } } },
    }),
    ctx.adapters.telemetry
      ? readCloudTraffic(ctx.adapters.telemetry, { deployment: dep.name, from, to, now, resolutionSeconds: res, modelMetrics: dep.currentModelVersion?.metrics ?? null })
      : null,
  ]);

  const measured = cloud ?? { source: LOCAL_SOURCE, from, resolutionSeconds: res, latencyNote: null, ...local! };

  const byBucket = new Map<number, Confusion>();
  const all: Confusion = {};
  for (const row of confusion) {
    addConfusion(byBucket.get(row.t) ?? byBucket.set(row.t, {}).get(row.t)!, row.truth, row.predicted, row.n);
    addConfusion(all, row.truth, row.predicted, row.n);
  }
  const accuracy: AccuracyPoint[] = [...byBucket.entries()].sort(([a], [b]) => a - b).map(([t, c]) => {
    const s = confusionScores(c);
    return { t: new Date(t).toISOString(), labelled: s.labelled, correct: s.correct, accuracy: round(s.accuracy, 4), macro_f1: round(s.macro_f1, 4) };
  });
  const live = confusionScores(all);

  const requests = measured.traffic.reduce((s, p) => s + p.requests, 0);
  // Without traffic, say whether anything could serve it: an instance must be reporting for this deployment.
  const serving = requests || !dep.currentModelVersion ? true : (await readInstances(ctx, dep.name)).some((i) => !i.stale);
  const errors = measured.traffic.reduce((s, p) => s + p.errors, 0);
  const offlineMetrics = dep.currentModelVersion?.metrics as { accuracy?: unknown; macro_f1?: unknown } | null | undefined;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    deployment: dep.name,
    range: { label, from: new Date(measured.from).toISOString(), to: toIso, resolution_seconds: measured.resolutionSeconds },
    requests,
    errors,
    error_rate: requests ? round(errors / requests, 6) : null,
    p50_ms: measured.p50_ms,
    p95_ms: measured.p95_ms,
    p99_ms: measured.p99_ms,
    rps: round(requests / ((to - measured.from) / 1000), 4) ?? 0,
    live_accuracy: round(live.accuracy, 4),
    live_macro_f1: round(live.macro_f1, 4),
    labelled: live.labelled,
    offline: dep.currentModelVersion
      ? { model_version_id: dep.currentModelVersion.id, version: dep.currentModelVersion.version, accuracy: num(offlineMetrics?.accuracy), macro_f1: num(offlineMetrics?.macro_f1) }
      : null,
    series: { traffic: measured.traffic, accuracy },
    markers: events.map((e) => ({ at: e.startedAt.toISOString(), version: e.modelVersion.version, model_version_id: e.modelVersion.id, action: e.action })),
    latency_buckets_ms: LATENCY_BOUNDS_MS,
    source: measured.source,
    empty: {
      traffic: requests
        ? null
        : !dep.currentModelVersion
          ? `Nothing is deployed to ${dep.name} yet.`
          : serving
            ? `No traffic to ${dep.name} in this range yet.`
            : `No traffic to ${dep.name} in this range, and no inference instance reports serving it (start one with INFERENCE_DEPLOYMENT=${dep.name}).`,
      feedback: live.labelled ? null : `No feedback in this range yet: live accuracy needs true labels sent to /v1/feedback.`,
      latency: measured.latencyNote,
    },
  };
}

function round(value: number | null, digits = 3): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function parseInputError(field: string, message: string) {
  return new AppError('VALIDATION', `Invalid input — ${field}: ${message}`, { fields: [{ field, message }] });
}
