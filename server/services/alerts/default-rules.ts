import 'server-only';
import { ALERT_KIND_INFO, ALERT_KINDS, describeCondition, type AlertKind } from '@/lib/alerts';
import type { Db } from '@/server/db/client';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../context';

/**
 * The default rules, created the first time alerts are used for a deployment (a
 * marker setting per deployment, so a rule someone deleted stays deleted) and
 * once for the platform: p95 latency > 200 ms and error rate > 1% over 15 min,
 * live accuracy < 0.75 over 24 h, data drift PSI ≥ 0.25 over 1 h per deployment;
 * monthly cost forecast > 100% of the budget globally. No webhook until someone sets one.
 */
const SYSTEM: Actor = { kind: 'system', label: 'alert defaults' };
const markerKey = (deploymentId: string | null) => `alert-defaults:${deploymentId ?? 'global'}`;

export function defaultRuleName(kind: AlertKind, deployment: string | null): string {
  return kind === 'cost_forecast' ? 'Monthly cost forecast over budget' : `${ALERT_KIND_INFO[kind].label} (${deployment})`;
}

function defaultsFor(deployment: { id: string; name: string } | null) {
  return ALERT_KINDS.filter((k) => (ALERT_KIND_INFO[k].scope === 'global') === (deployment === null)).map((kind) => {
    const info = ALERT_KIND_INFO[kind];
    return { kind, name: defaultRuleName(kind, deployment?.name ?? null), deploymentId: deployment?.id ?? null, comparator: info.comparator, threshold: info.threshold, windowMinutes: info.windowMinutes };
  });
}

/** Creates the defaults of every deployment (and the platform) that never had them; returns how many rules were created. */
export async function ensureDefaultRules(db: Db): Promise<number> {
  const deployments = await db.deployment.findMany({ select: { id: true, name: true } });
  const scopes: ({ id: string; name: string } | null)[] = [null, ...deployments];
  const done = new Set((await db.setting.findMany({ where: { key: { in: scopes.map((d) => markerKey(d?.id ?? null)) } }, select: { key: true } })).map((s) => s.key));
  let created = 0;
  for (const scope of scopes) {
    const key = markerKey(scope?.id ?? null);
    if (done.has(key)) continue;
    created += await db.$transaction(async (tx) => {
      // The marker's primary key settles a race between two processes: the loser creates nothing.
      const marked = await tx.setting.createMany({ data: [{ key, value: { createdAt: new Date().toISOString() } }], skipDuplicates: true });
      if (!marked.count) return 0;
      const rules = defaultsFor(scope);
      await tx.alertRule.createMany({ data: rules });
      await recordAudit(tx, { actor: SYSTEM }, {
        action: 'alerts.defaults', entityType: scope ? 'deployment' : 'alert_rule', entityId: scope?.id ?? null,
        summary: `Created the default alert rules${scope ? ` for ${scope.name}` : ' for the platform'}: ${rules.map((r) => describeCondition(r.kind, r.comparator, r.threshold, r.windowMinutes)).join('; ')}`,
      });
      return rules.length;
    });
  }
  return created;
}
