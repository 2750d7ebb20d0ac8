import 'server-only';
import { z } from 'zod';
import { PSI_ACT, PSI_WATCH, psiStatus, type ClassDrift, type DriftReport, type FeatureDrift } from '@/lib/charts/drift';
import type { Db, DbTx, Prisma } from '@/server/db/client';
import { AppError, notFound, parseInput } from '@/server/errors';
import { assertCan, nowOf, type ServiceContext } from '../context';
import { deploymentName } from '../deployments/schemas';
import { computeBaseline } from './drift-baseline';
import { decodeBinCounts, driftFeatures } from './drift-bins';
import { countDriftKeys, EDGE_ROWS } from './drift-counts';
import { LABEL_BASELINE_KEY, compareToBaseline, psi, type BaselineFeatures } from './drift-psi';
import { countPredictions, type PredictionCount } from './prediction-counts';

/**
 * Data drift of a deployment: per feature, the PSI between the serving model's
 * training data (its DriftBaseline) and the traffic of a time range, ranked; and
 * prediction-class drift, the PSI of the predicted class shares now against the
 * model's own predicted shares on its test weeks (confusion-matrix column sums;
 * like compared with like, so a model's steady bias towards a class is not drift).
 * Without a confusion matrix the training label shares stand in.
 *
 * Traffic is counted from hourly rollups kept for this purpose (prediction counts,
 * and bin counts against the serving model's baseline), plus the raw rows at the
 * ends of the range; only bin counts reach this process (driftAgainst).
 */

/** Fewer predictions than this in the range: PSI is mostly sampling noise (shown, flagged; alerts wait). */
export const MIN_DRIFT_SAMPLE = 200;

export const driftQuerySchema = z.object({
  deployment: deploymentName,
  range: z.string().trim().regex(/^\d{1,4}[mhd]$/, 'must be a duration such as 15m, 1h, 24h or 7d').default('24h'),
});

const RANGE_UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_RANGE_MS = 90 * 86_400_000;

/** "15m", "24h", "7d" → [from, to) ending now. */
export function rangeWindow(range: string, now: Date): { from: Date; to: Date } {
  const match = /^(\d{1,4})([mhd])$/.exec(range);
  const ms = match ? Number(match[1]) * RANGE_UNIT_MS[match[2] as keyof typeof RANGE_UNIT_MS] : 0;
  if (!ms || ms > MAX_RANGE_MS) throw new AppError('VALIDATION', `range must be a duration between 1m and 90d such as 15m, 1h, 24h or 7d (got "${range}")`, { fields: [{ field: 'range', message: 'must be between 1m and 90d' }] });
  return { from: new Date(now.getTime() - ms), to: now };
}

export type { ClassDrift, DriftReport, DriftState, FeatureDrift } from '@/lib/charts/drift';

export type DriftModelMetrics = { confusion_matrix?: { labels?: string[]; matrix?: number[][] }; split?: { trainWeeks?: [number, number] } };

/**
 * The training distribution of a model version's drift features, computed once
 * from its dataset version (the training weeks' labelled baskets) and stored.
 * Two callers at once both compute; the first insert wins, the other reads it.
 */
export async function ensureDriftBaseline(ctx: Pick<ServiceContext, 'db' | 'adapters'>, modelVersionId: string) {
  const existing = await ctx.db.driftBaseline.findUnique({ where: { modelVersionId } });
  if (existing) return existing;
  const mv = await ctx.db.modelVersion.findUnique({ where: { id: modelVersionId }, select: { metrics: true, datasetVersion: { select: { id: true, datasetId: true } } } });
  if (!mv) throw notFound(`Model version ${modelVersionId}`);
  const weeks = (mv.metrics as DriftModelMetrics | null)?.split?.trainWeeks;
  const computed = await computeBaseline(ctx, mv.datasetVersion, Array.isArray(weeks) && weeks.length === 2 ? weeks : null);
  return ctx.db.driftBaseline.upsert({
    where: { modelVersionId },
    create: { modelVersionId, features: computed.features as unknown as Prisma.InputJsonValue, baskets: computed.baskets },
    update: {},
  });
}

export async function getDrift(ctx: ServiceContext, input: { deployment: string; range?: string }): Promise<DriftReport> {
  assertCan(ctx, 'read');
  const query = parseInput(driftQuerySchema, input);
  const { from, to } = rangeWindow(query.range, nowOf(ctx));
  const dep = await ctx.db.deployment.findUnique({
    where: { name: query.deployment },
    select: { id: true, name: true, currentModelVersion: { select: { id: true, modelName: true, version: true, metrics: true } } },
  });
  if (!dep) throw notFound(`Deployment "${query.deployment}"`);
  const mv = dep.currentModelVersion;
  const report: DriftReport = {
    deployment: dep.name, range: { label: query.range, from: from.toISOString(), to: to.toISOString() },
    model: mv ? { id: mv.id, modelName: mv.modelName, version: mv.version } : null, state: 'ok', reason: null,
    thresholds: { watch: PSI_WATCH, act: PSI_ACT }, recentCount: 0, sampledCount: 0, isLowSample: false, baselineBaskets: null, features: [], classDrift: null,
  };
  if (!mv) return { ...report, state: 'no-model', reason: `Nothing is deployed to ${dep.name}: drift compares traffic with the serving model's training data.` };
  const baseline = await ctx.db.driftBaseline.findUnique({ where: { modelVersionId: mv.id } });
  if (!baseline) {
    return { ...report, state: 'no-baseline', reason: `The training distribution of ${mv.modelName} v${mv.version} has not been computed yet: the worker does it within a minute of a deployment (it reads the model's dataset version).` };
  }
  const features = baseline.features as unknown as BaselineFeatures;
  const drift = await driftAgainst(ctx.db, { deploymentId: dep.id, modelVersionId: mv.id, from, to }, features, mv.metrics as DriftModelMetrics | null);
  const base = { ...report, baselineBaskets: baseline.baskets, recentCount: drift.recentCount, sampledCount: drift.sampledCount, isLowSample: drift.sampledCount < MIN_DRIFT_SAMPLE };
  if (!drift.recentCount) return { ...base, state: 'no-traffic', reason: `No predictions reached ${dep.name} in the last ${query.range}: send traffic, or pick a longer range.` };
  if (!drift.sampledCount) return { ...base, state: 'no-traffic', reason: `The ${drift.recentCount} predictions of the last ${query.range} carry no feature summary (written by inference services older than drift monitoring).`, classDrift: drift.classDrift };
  return { ...base, features: drift.features, classDrift: drift.classDrift };
}

/** Predictions a drift computation bins at most from raw rows (a sample beyond): PSI's sampling noise at 100k is ~0.0001. */
export const MAX_DRIFT_ROWS = 100_000;

/**
 * Feature and class drift of a deployment's traffic in [from, to) against a
 * baseline (also used by alert evaluation): bin counts from the hour bins kept
 * against this baseline and the raw rows at the ends (drift-counts.ts), class
 * counts from the prediction rollup (prediction-counts.ts).
 */
export async function driftAgainst(
  db: Db | DbTx,
  where: { deploymentId: string; modelVersionId: string; from: Date; to: Date },
  baseline: BaselineFeatures,
  metrics: DriftModelMetrics | null,
  maxRows = MAX_DRIFT_ROWS,
  edgeRows = EDGE_ROWS,
): Promise<{ recentCount: number; sampledCount: number; features: FeatureDrift[]; classDrift: ClassDrift | null }> {
  const defs = driftFeatures(baseline);
  const from = where.from.getTime();
  const to = where.to.getTime();
  const counted = await countPredictions(db, { deploymentId: where.deploymentId, from, to });
  const total = counted.reduce((s, c) => s + c.predictions, 0);
  const keys = defs.length && total ? await countDriftKeys(db, { deploymentId: where.deploymentId, modelVersionId: where.modelVersionId, from, to }, baseline, total, maxRows, edgeRows) : [];
  const { counts, withFeatures } = decodeBinCounts(keys, baseline);
  const features = defs
    .map((f) => {
      const { bins, count } = compareToBaseline(baseline[f.key]!, counts.get(f.key)!);
      const value = count ? psi(bins) : 0;
      return { feature: f.key, label: f.label, kind: f.kind, psi: value, status: psiStatus(value), recentCount: count, bins };
    })
    .sort((a, b) => b.psi - a.psi);
  return { recentCount: total, sampledCount: withFeatures, features, classDrift: classDriftOf(counted.filter((c) => c.modelVersionId === where.modelVersionId), baseline, metrics) };
}

/** The serving version's predicted class shares in the range against its reference (PredictionRollup counts, exact). */
function classDriftOf(counted: PredictionCount[], baseline: BaselineFeatures, metrics: DriftModelMetrics | null): ClassDrift | null {
  const reference = referenceClassShares(metrics, baseline);
  if (!reference) return null;
  const byLabel = new Map<string, number>();
  for (const c of counted) byLabel.set(c.label, (byLabel.get(c.label) ?? 0) + c.predictions);
  const recentCount = [...byLabel.values()].reduce((s, n) => s + n, 0);
  const labels = [...new Set([...Object.keys(reference.shares), ...byLabel.keys()])].sort();
  const classes = labels.map((label) => ({ label, expected: reference.shares[label] ?? 0, actual: recentCount ? (byLabel.get(label) ?? 0) / recentCount : 0 }));
  const value = recentCount ? psi(classes) : 0;
  return { psi: value, status: psiStatus(value), recentCount, reference: reference.kind, classes };
}

/** Predicted class shares on the model's test weeks (confusion-matrix columns), else the training label shares. */
export function referenceClassShares(metrics: DriftModelMetrics | null, baseline: BaselineFeatures): { kind: ClassDrift['reference']; shares: Record<string, number> } | null {
  const cm = metrics?.confusion_matrix;
  if (cm?.labels?.length && cm.matrix?.length === cm.labels.length) {
    const columns = cm.labels.map((_, j) => cm.matrix!.reduce((s, row) => s + (row[j] ?? 0), 0));
    const total = columns.reduce((s, n) => s + n, 0);
    if (total > 0) return { kind: 'test-predictions', shares: Object.fromEntries(cm.labels.map((l, j) => [l, columns[j]! / total])) };
  }
  const labels = baseline[LABEL_BASELINE_KEY];
  if (labels?.kind === 'categorical' && Object.keys(labels.shares).length) return { kind: 'training-labels', shares: labels.shares };
  return null;
}
