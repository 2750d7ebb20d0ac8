import 'server-only';
import { trafficSince, utcDayStart, type GlanceModel, type GlancePart, type GlanceTraffic, type ProductionGlance } from '@/lib/overview';
import { ESTIMATORS, type Algorithm } from '@/ml/estimators';
import { AppError } from '@/server/errors';
import { logger } from '@/server/logger';
import { listOpenAlerts } from '../alerts/read-alerts';
import { assertCan, nowOf, type ServiceContext } from '../context';
import { getCostOverview } from '../costs/get-cost-overview';
import { getDeploymentMetrics } from '../monitoring/read-metrics';

/** The deployment a manager asks about. */
export const GLANCE_DEPLOYMENT = 'production';

/**
 * The overview's "Production at a glance": the model serving production, its
 * traffic, latency and live accuracy, this month's cost against the budget, and
 * the open alerts — read through the metrics, costs and alerts services. Each part
 * is read on its own: a failing source (Cost Explorer, the database for one
 * query) becomes that tile's explanation, never a broken page.
 */
export async function getProductionGlance(ctx: ServiceContext): Promise<ProductionGlance> {
  assertCan(ctx, 'read');
  const now = nowOf(ctx);
  const dayStart = utcDayStart(now);
  const modelPart = settle(ctx, 'model', readModel(ctx));
  // Traffic only once the model is known: without one, there is nothing to measure.
  const trafficPart = modelPart.then((m): Promise<GlancePart<GlanceTraffic | null>> => (m.ok && !m.value ? Promise.resolve({ ok: true, value: null }) : settle(ctx, 'traffic', readTraffic(ctx, dayStart))));
  const [model, traffic, cost, alerts] = await Promise.all([
    modelPart,
    trafficPart,
    settle(ctx, 'cost', getCostOverview(ctx).then((c) => ({
      month: c.month, monthToDate: c.month_to_date, forecast: c.forecast, budget: c.budget, budgetState: c.budget_state,
      source: c.source, configuredSource: c.configured_source, sourceError: c.source_status?.last_error ?? null, hasData: c.has_data,
    }))),
    settle(ctx, 'alerts', listOpenAlerts(ctx).then((open) => open.map((e) => ({ id: e.id, message: e.message, deployment: e.deployment, firedAt: e.firedAt })))),
  ]);
  return { deployment: GLANCE_DEPLOYMENT, at: now.toISOString(), dayStart: dayStart.toISOString(), model, traffic, cost, alerts };
}

async function readModel(ctx: ServiceContext): Promise<GlanceModel | null> {
  const dep = await ctx.db.deployment.findUnique({
    where: { name: GLANCE_DEPLOYMENT },
    select: { currentSince: true, servingStatus: true, servingError: true, currentModelVersion: { select: { id: true, modelName: true, version: true, algorithm: true, metrics: true } } },
  });
  const mv = dep?.currentModelVersion;
  if (!dep || !mv) return null;
  const accuracy = (mv.metrics as { accuracy?: unknown } | null)?.accuracy;
  return {
    id: mv.id, name: mv.modelName, version: mv.version, algorithm: ESTIMATORS[mv.algorithm as Algorithm]?.label ?? mv.algorithm,
    offlineAccuracy: typeof accuracy === 'number' && Number.isFinite(accuracy) ? accuracy : null,
    since: dep.currentSince?.toISOString() ?? null,
    servingError: dep.servingStatus === 'error' ? dep.servingError : null,
  };
}

/** One 24-hour read: p95 and live accuracy over it, requests today from its buckets since midnight UTC. */
async function readTraffic(ctx: ServiceContext, dayStart: Date): Promise<GlanceTraffic> {
  const m = await getDeploymentMetrics(ctx, { deployment: GLANCE_DEPLOYMENT, range: '24h' });
  const today = trafficSince(m.series.traffic, dayStart);
  return { requestsToday: today.requests, errorsToday: today.errors, p95Ms: m.p95_ms, liveAccuracy: m.live_accuracy, labelled: m.labelled, emptyTraffic: m.empty.traffic };
}

/** A part's value, or a message for its tile: an AppError says what went wrong; anything else is logged with the request id. */
async function settle<T>(ctx: ServiceContext, part: string, promise: Promise<T>): Promise<GlancePart<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    logger.error({ err: error, part, requestId: ctx.requestId }, 'overview: a part of the production glance failed');
    return { ok: false, error: `something went wrong${ctx.requestId ? ` (request id ${ctx.requestId})` : ''}` };
  }
}
