import 'server-only';
import { notFound } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, type ServiceContext } from '../context';

/** Delete a rule and its history (the audit log keeps what it was). Its CloudWatch alarm goes at the next sync. */
export async function deleteAlertRule(ctx: ServiceContext, id: string): Promise<{ id: string; deleted: true }> {
  assertCan(ctx, 'alerts:write');
  return ctx.db.$transaction(async (tx) => {
    const rule = await tx.alertRule.findUnique({ where: { id }, include: { deployment: { select: { name: true } }, _count: { select: { events: true } } } });
    if (!rule) throw notFound(`Alert rule ${id}`);
    await tx.alertRule.delete({ where: { id } });
    await recordAudit(tx, ctx, {
      action: 'alerts.rule_delete', entityType: 'alert_rule', entityId: id,
      summary: `Deleted alert rule "${rule.name}"${rule.deployment ? ` on ${rule.deployment.name}` : ''} and its ${rule._count.events} alert event(s)`,
      before: { kind: rule.kind, deployment: rule.deployment?.name ?? null, comparator: rule.comparator, threshold: rule.threshold, windowMinutes: rule.windowMinutes, isEnabled: rule.isEnabled, webhookUrl: rule.webhookUrl },
    });
    return { id, deleted: true as const };
  });
}
