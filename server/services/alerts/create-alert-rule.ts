import 'server-only';
import { ALERT_KIND_INFO, describeCondition } from '@/lib/alerts';
import { AppError, notFound, parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, type ServiceContext } from '../context';
import { defaultRuleName } from './default-rules';
import { readRuleView, type AlertRuleView } from './read-alerts';
import { createRuleSchema, thresholdProblem } from './schemas';

/**
 * A new rule (admins and ML engineers): `kind` and, for deployment kinds, the
 * deployment's name; everything else defaults to the kind's defaults.
 */
export async function createAlertRule(ctx: ServiceContext, input: unknown): Promise<AlertRuleView> {
  assertCan(ctx, 'alerts:write');
  const q = parseInput(createRuleSchema, input);
  const info = ALERT_KIND_INFO[q.kind];
  if (info.scope === 'deployment' && !q.deployment) throw invalid('deployment', `is required for a ${info.label.toLowerCase()} rule`);
  if (info.scope === 'global' && q.deployment) throw invalid('deployment', `must be left out: the ${info.label.toLowerCase()} rule covers the whole platform`);
  const threshold = q.threshold ?? info.threshold;
  const problem = thresholdProblem(q.kind, threshold);
  if (problem) throw invalid('threshold', problem);
  const comparator = q.comparator ?? info.comparator;
  const windowMinutes = q.windowMinutes ?? info.windowMinutes;

  return ctx.db.$transaction(async (tx) => {
    const deployment = q.deployment ? await tx.deployment.findUnique({ where: { name: q.deployment }, select: { id: true, name: true } }) : null;
    if (q.deployment && !deployment) throw notFound(`Deployment "${q.deployment}"`);
    const rule = await tx.alertRule.create({
      data: {
        kind: q.kind, name: q.name ?? defaultRuleName(q.kind, deployment?.name ?? null), deploymentId: deployment?.id ?? null, comparator, threshold, windowMinutes,
        isEnabled: q.isEnabled ?? true, webhookUrl: q.webhookUrl ?? null, createdById: actorUserId(ctx.actor),
      },
    });
    await recordAudit(tx, ctx, {
      action: 'alerts.rule_create', entityType: 'alert_rule', entityId: rule.id,
      summary: `Created alert rule "${rule.name}": ${describeCondition(q.kind, comparator, threshold, windowMinutes)}${deployment ? ` on ${deployment.name}` : ''}`,
      after: { kind: rule.kind, deployment: deployment?.name ?? null, comparator, threshold, windowMinutes, isEnabled: rule.isEnabled, webhookUrl: rule.webhookUrl },
    });
    return readRuleView(tx, rule.id);
  });
}

export function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION', `Invalid input — ${field}: ${message}`, { fields: [{ field, message }] });
}
