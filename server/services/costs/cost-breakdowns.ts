import 'server-only';
import type { ServiceContext } from '../context';
import { countPredictions } from '../monitoring/prediction-counts';
import { runCostUsd, runDurationMs } from './measure-usage';

/**
 * The attributed views of a month's cost, all from the cost model (the bill
 * cannot say which run or model a dollar went to): per training run, per model
 * version (its training plus the serving it did) and per 1,000 predictions.
 */

const TOP = 20;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const toNumber = (d: { toString(): string } | null | undefined) => (d ? Number(d.toString()) : 0);

export type RunCost = {
  run_id: string; run_number: number; name: string; status: string; backend: string;
  instance_type: string | null; duration_ms: number | null; finished_at: string | null; cost_usd: number | null;
};

/** The month's most recent finished runs with their cost; `count` and `total_usd` cover every run of the month. */
export async function runCosts(ctx: ServiceContext, start: Date, end: Date): Promise<{ runs: RunCost[]; count: number; total_usd: number }> {
  const where = { finishedAt: { gte: start, lt: end }, startedAt: { not: null } };
  const select = { id: true, number: true, name: true, status: true, backend: true, instanceType: true, durationMs: true, startedAt: true, finishedAt: true, costUsd: true } as const;
  const all = await ctx.db.run.findMany({ where, orderBy: { finishedAt: 'desc' }, select });
  const priced = all.map((r) => ({
    run_id: r.id, run_number: r.number, name: r.name, status: r.status, backend: r.backend, instance_type: r.instanceType,
    duration_ms: runDurationMs(r), finished_at: r.finishedAt?.toISOString() ?? null, cost_usd: runCostUsd(r),
  }));
  return { runs: priced.slice(0, TOP), count: priced.length, total_usd: round6(priced.reduce((s, r) => s + (r.cost_usd ?? 0), 0)) };
}

export type ModelVersionCost = {
  model_version_id: string; model: string; version: number; status: string; serving: string[];
  training_usd: number; inference_usd: number; data_transfer_usd: number; total_usd: number;
};

/**
 * Lifetime cost of the model versions registered or serving this month: the run
 * that trained it, and the instance-hours and responses of the deployments while
 * it served them.
 */
export async function modelVersionCosts(ctx: ServiceContext, start: Date, end: Date): Promise<ModelVersionCost[]> {
  const active = await ctx.db.costRecord.findMany({
    where: { source: 'cost_model', modelVersionId: { not: null }, component: { in: ['inference', 'data_transfer'] }, day: { gte: start, lt: end } },
    distinct: ['modelVersionId'], select: { modelVersionId: true },
  });
  const versions = await ctx.db.modelVersion.findMany({
    where: { OR: [{ id: { in: active.map((a) => a.modelVersionId!) } }, { createdAt: { gte: start, lt: end } }] },
    select: {
      id: true, modelName: true, version: true, status: true, deployments: { select: { name: true } },
      run: { select: { instanceType: true, durationMs: true, startedAt: true, finishedAt: true, costUsd: true } },
    },
  });
  if (!versions.length) return [];
  const serving = await ctx.db.costRecord.groupBy({
    by: ['modelVersionId', 'component'],
    where: { source: 'cost_model', modelVersionId: { in: versions.map((v) => v.id) }, component: { in: ['inference', 'data_transfer'] } },
    _sum: { amountUsd: true },
  });
  const servingOf = (id: string, component: string) => toNumber(serving.find((s) => s.modelVersionId === id && s.component === component)?._sum.amountUsd);
  return versions
    .map((v) => {
      const training = runCostUsd(v.run) ?? 0;
      const inference = servingOf(v.id, 'inference');
      const transfer = servingOf(v.id, 'data_transfer');
      return {
        model_version_id: v.id, model: v.modelName, version: v.version, status: v.status, serving: v.deployments.map((d) => d.name),
        training_usd: round6(training), inference_usd: round6(inference), data_transfer_usd: round6(transfer), total_usd: round6(training + inference + transfer),
      };
    })
    .sort((a, b) => b.total_usd - a.total_usd || b.version - a.version)
    .slice(0, TOP);
}

export type PredictionCost = { deployment: string; deployment_id: string; predictions: number; serving_usd: number; per_1000_usd: number | null };

/**
 * Serving cost (inference instance-hours + data out) per 1,000 predictions, per
 * deployment, for the month. Null when a deployment answered nothing: a cost per
 * prediction needs predictions.
 */
export async function predictionCosts(ctx: ServiceContext, start: Date, end: Date): Promise<{ deployments: PredictionCost[]; predictions: number }> {
  const [counted, serving, deployments] = await Promise.all([
    // From the hourly prediction rollup (a month is whole hours): ~720 rows per class, not millions of predictions.
    countPredictions(ctx.db, { from: start.getTime(), to: end.getTime() }),
    ctx.db.costRecord.groupBy({ by: ['deploymentId'], where: { source: 'cost_model', deploymentId: { not: null }, day: { gte: start, lt: end } }, _sum: { amountUsd: true } }),
    ctx.db.deployment.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
  ]);
  const counts = new Map<string, number>();
  for (const c of counted) counts.set(c.deploymentId, (counts.get(c.deploymentId) ?? 0) + c.predictions);
  const rows = deployments
    .map((d) => {
      const predictions = counts.get(d.id) ?? 0;
      const usd = round6(toNumber(serving.find((s) => s.deploymentId === d.id)?._sum.amountUsd));
      return { deployment: d.name, deployment_id: d.id, predictions, serving_usd: usd, per_1000_usd: predictions > 0 ? round6((usd / predictions) * 1000) : null };
    })
    .filter((r) => r.predictions > 0 || r.serving_usd > 0)
    .sort((a, b) => Number(b.deployment === 'production') - Number(a.deployment === 'production') || b.predictions - a.predictions);
  return { deployments: rows, predictions: [...counts.values()].reduce((s, n) => s + n, 0) };
}
