import 'server-only';
import { ALERT_KIND_INFO, formatAlertValue, type AlertKind } from '@/lib/alerts';
import type { DeploymentMetrics } from '@/lib/monitoring';
import type { CloudMetrics } from '@/server/adapters/telemetry/port';
import { nowOf, type ServiceContext } from '../context';
import { getCostOverview } from '../costs/get-cost-overview';
import { getDeploymentMetrics } from '../monitoring/read-metrics';
import { driftAgainst, type DriftModelMetrics } from '../monitoring/drift';
import type { BaselineFeatures } from '../monitoring/drift-psi';
import type { RuleEvaluation } from './read-alerts';

/**
 * A rule's current value, from where that number lives: p95 latency and error
 * rate from the metrics service (Postgres rollups), or CloudWatch in AWS mode;
 * live accuracy from feedback (metrics service); drift from the drift service;
 * the cost forecast from the costs service. null (with a note saying why) when
 * the window holds too little to judge: such a rule neither fires nor resolves.
 */
export type RuleInput = { id: string; kind: AlertKind; windowMinutes: number; deployment: { id: string; name: string; currentModelVersionId: string | null } | null };

export type ValueSources = {
  metrics(deployment: string, windowMinutes: number): Promise<DeploymentMetrics>;
  cloud(deployment: string, windowMinutes: number): Promise<CloudMetrics> | null;
  cost(): Promise<{ forecast: number; budget: number; hasData: boolean }>;
};

/** Each source asked at most once per deployment and window in one evaluation. */
export function valueSources(ctx: ServiceContext): ValueSources {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key) as Promise<T>;
  };
  const window = (minutes: number) => {
    const to = nowOf(ctx);
    return { from: new Date(to.getTime() - minutes * 60_000), to };
  };
  return {
    metrics: (deployment, minutes) => once(`m:${deployment}:${minutes}`, () => {
      const { from, to } = window(minutes);
      // Postgres only: in AWS mode this serves live accuracy alone (traffic rules read `cloud`), so a
      // CloudWatch outage does not take the accuracy rule with it, and CloudWatch is not asked twice.
      return getDeploymentMetrics({ ...ctx, adapters: { ...ctx.adapters, telemetry: null } }, { deployment, from: from.toISOString(), to: to.toISOString() });
    }),
    cloud: (deployment, minutes) => {
      const telemetry = ctx.adapters.telemetry;
      return telemetry ? once(`c:${deployment}:${minutes}`, () => telemetry.readDeploymentMetrics({ deployment, ...window(minutes) })) : null;
    },
    cost: () => once('cost', async () => {
      const o = await getCostOverview(ctx);
      return { forecast: o.forecast, budget: o.budget, hasData: o.has_data };
    }),
  };
}

const none = (note: string): RuleEvaluation => ({ value: null, note });

export async function ruleValue(ctx: ServiceContext, rule: RuleInput, sources: ValueSources): Promise<RuleEvaluation & { detail?: string }> {
  const info = ALERT_KIND_INFO[rule.kind];
  const dep = rule.deployment;
  if (info.scope === 'deployment' && !dep) return none('The rule has no deployment.');
  switch (rule.kind) {
    case 'latency_p95':
    case 'error_rate': {
      const cloud = sources.cloud(dep!.name, rule.windowMinutes);
      const m = cloud ? await cloud : null;
      const requests = m ? m.requests ?? 0 : (await sources.metrics(dep!.name, rule.windowMinutes)).requests;
      if (requests < info.minSample) return none(`${requests} prediction request${requests === 1 ? '' : 's'} in the window; at least ${info.minSample} are needed.`);
      if (rule.kind === 'error_rate') {
        const rate = m ? m.errorRate : (await sources.metrics(dep!.name, rule.windowMinutes)).error_rate;
        return rate === null ? none('No error rate in the window.') : { value: rate, note: `${requests} requests` };
      }
      const p95 = m ? m.p95Ms : (await sources.metrics(dep!.name, rule.windowMinutes)).p95_ms;
      if (p95 === null) return none(m ? 'CloudWatch gave no p95 latency for the window.' : 'No latency histogram in the window.');
      return { value: p95, note: `${requests} requests` };
    }
    case 'live_accuracy': {
      const m = await sources.metrics(dep!.name, rule.windowMinutes);
      if (m.labelled < info.minSample || m.live_accuracy === null) return none(`${m.labelled} prediction${m.labelled === 1 ? '' : 's'} with feedback in the window; at least ${info.minSample} are needed.`);
      return { value: m.live_accuracy, note: `${m.labelled} labelled predictions` };
    }
    case 'drift_psi': {
      if (!dep!.currentModelVersionId) return none(`Nothing is deployed to ${dep!.name}.`);
      const [baseline, model] = await Promise.all([
        ctx.db.driftBaseline.findUnique({ where: { modelVersionId: dep!.currentModelVersionId } }),
        ctx.db.modelVersion.findUnique({ where: { id: dep!.currentModelVersionId }, select: { metrics: true } }),
      ]);
      if (!baseline) return none('The serving model has no drift baseline yet.');
      const to = nowOf(ctx);
      const drift = await driftAgainst(ctx.db, { deploymentId: dep!.id, modelVersionId: dep!.currentModelVersionId, from: new Date(to.getTime() - rule.windowMinutes * 60_000), to }, baseline.features as unknown as BaselineFeatures, (model?.metrics ?? null) as DriftModelMetrics | null);
      if (drift.sampledCount < info.minSample) return none(`${drift.sampledCount} predictions with features in the window; at least ${info.minSample} are needed.`);
      const top = drift.features[0];
      if (!top) return none('No drift features to compare.');
      return { value: top.psi, note: `largest: ${top.label} (${formatAlertValue('drift_psi', top.psi)})`, detail: top.label };
    }
    case 'cost_forecast': {
      const c = await sources.cost();
      if (!c.hasData) return none('No costs recorded this month yet.');
      if (!(c.budget > 0)) return none('No monthly budget is set.');
      return { value: c.forecast / c.budget, note: `forecast $${c.forecast.toFixed(2)} of $${c.budget.toFixed(2)} budget` };
    }
  }
}
