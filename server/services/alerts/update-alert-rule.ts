import 'server-only';
import { describeCondition, formatAlertValue, type AlertKind, type Comparator } from '@/lib/alerts';
import { notFound, parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, nowOf, type ServiceContext } from '../context';
import { invalid } from './create-alert-rule';
import { readRuleView, type AlertRuleView } from './read-alerts';
import { thresholdProblem, updateRuleSchema } from './schemas';

/**
 * Change a rule's name, condition, window, webhook, or enable/disable it. The kind
 * and deployment stay (delete and create instead). Disabling a firing rule closes
 * its open alert without a webhook call: nobody is left waiting for a resolution.
 */
export async function updateAlertRule(ctx: ServiceContext, id: string, input: unknown): Promise<AlertRuleView> {
  assertCan(ctx, 'alerts:write');
  const q = parseInput(updateRuleSchema, input);
  return ctx.db.$transaction(async (tx) => {
    await tx.$queryRaw`select id from "AlertRule" where id = ${id} for update`;
    const before = await tx.alertRule.findUnique({ where: { id }, include: { deployment: { select: { name: true } } } });
    if (!before) throw notFound(`Alert rule ${id}`);
    const kind = before.kind as AlertKind;
    if (q.threshold !== undefined) {
      const problem = thresholdProblem(kind, q.threshold);
      if (problem) throw invalid('threshold', problem);
    }
    const after = await tx.alertRule.update({ where: { id }, data: q });
    if (before.isEnabled && !after.isEnabled) {
      const now = nowOf(ctx);
      const open = await tx.alertEvent.findMany({ where: { ruleId: id, resolvedAt: null, state: 'firing' }, select: { id: true, message: true } });
      for (const e of open) await tx.alertEvent.update({ where: { id: e.id }, data: { state: 'resolved', resolvedAt: now, message: `${e.message} — closed: the rule was disabled` } });
    }
    const pick = (r: typeof after) => ({ name: r.name, comparator: r.comparator, threshold: r.threshold, windowMinutes: r.windowMinutes, isEnabled: r.isEnabled, webhookUrl: r.webhookUrl });
    // Only what actually changed: an editor sends every field, and "webhook removed"
    // for a rule that never had one would be noise in the audit log.
    const beforeValues: Record<string, unknown> = pick(before);
    const afterValues: Record<string, unknown> = pick(after);
    const changed = Object.keys(q).filter((k) => beforeValues[k] !== afterValues[k]);
    const changes = changed.length === 0 ? ['nothing changed'] : changed.map((k) => {
      if (k === 'isEnabled') return after.isEnabled ? 'enabled' : 'disabled';
      if (k === 'threshold') return `threshold ${formatAlertValue(kind, before.threshold)} → ${formatAlertValue(kind, after.threshold)}`;
      if (k === 'webhookUrl') return after.webhookUrl ? 'webhook set' : 'webhook removed';
      return `${k} changed`;
    });
    await recordAudit(tx, ctx, {
      action: 'alerts.rule_update', entityType: 'alert_rule', entityId: id,
      summary: `Alert rule "${after.name}"${before.deployment ? ` on ${before.deployment.name}` : ''}: ${changes.join(', ')} (${describeCondition(kind, after.comparator as Comparator, after.threshold, after.windowMinutes)})`,
      before: pick(before), after: pick(after),
    });
    return readRuleView(tx, id);
  });
}
