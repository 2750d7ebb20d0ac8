import { apiRoute } from '@/server/http/api';
import { getDrift } from '@/server/services/monitoring/drift';

export const dynamic = 'force-dynamic';

/**
 * Data drift of a deployment: `?deployment=production&range=24h` (a duration such as
 * 15m, 1h, 24h, 7d). Per feature PSI against the serving model's training data,
 * ranked, with status (< 0.1 ok, 0.1–0.25 watch, ≥ 0.25 act), and class drift.
 * An empty result says why (no model, no baseline yet, no traffic). Read scope.
 */
export const GET = apiRoute(async (req, ctx) => {
  const q = req.nextUrl.searchParams;
  return getDrift(ctx, { deployment: q.get('deployment') ?? 'production', range: q.get('range') ?? undefined });
});
