import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { createAlertRule } from '@/server/services/alerts/create-alert-rule';
import { listAlertEvents, listAlertRules, listOpenAlerts } from '@/server/services/alerts/read-alerts';

export const dynamic = 'force-dynamic';

/**
 * Alert rules with their state and last value, the alerts firing now and recent
 * history: `?deployment=production` narrows to that deployment's rules and the
 * global ones. Read scope.
 */
export const GET = apiRoute(async (req, ctx) => {
  const deployment = req.nextUrl.searchParams.get('deployment') ?? undefined;
  const [rules, open, history] = await Promise.all([listAlertRules(ctx, { deployment }), listOpenAlerts(ctx, { deployment }), listAlertEvents(ctx, { deployment, limit: 50 })]);
  return { rules, open, history };
});

/** Create a rule: { kind, deployment?, name?, comparator?, threshold?, windowMinutes?, isEnabled?, webhookUrl? } → 201. Write scope (alerts:write). */
export const POST = apiRoute(async (req, ctx) => {
  const rule = await createAlertRule(ctx, await readJson(req, z.record(z.string(), z.unknown())));
  return Response.json(rule, { status: 201 });
});
