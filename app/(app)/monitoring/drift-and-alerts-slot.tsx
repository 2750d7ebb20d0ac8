import { roleCan } from '@/lib/permissions';
import { pageContext } from '@/server/auth/session';
import { listAlertEvents, listAlertRules, listOpenAlerts } from '@/server/services/alerts/read-alerts';
import { getDrift } from '@/server/services/monitoring/drift';
import { AlertsPanel } from './alerts-panel';
import { DriftPanel } from './drift-panel';

/**
 * Drift and alerts of the deployment and range chosen on the Monitoring page:
 * read on the server for the first paint, then kept fresh by the panels
 * (GET /api/v1/drift every minute, GET /api/v1/alerts every 30 s).
 */
export async function DriftAndAlertsSlot({ deployment, range }: { deployment: string; range: string }) {
  const ctx = await pageContext();
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'alerts:write');
  const [drift, rules, open, history] = await Promise.all([
    getDrift(ctx, { deployment, range }),
    listAlertRules(ctx, { deployment }),
    listOpenAlerts(ctx, { deployment }),
    listAlertEvents(ctx, { deployment, limit: 50 }),
  ]);
  return (
    <section aria-label="Drift and alerts" className="grid gap-4">
      <DriftPanel deployment={deployment} range={range} initial={drift} />
      <AlertsPanel deployment={deployment} initial={{ rules, open, history }} canWrite={canWrite} />
    </section>
  );
}
