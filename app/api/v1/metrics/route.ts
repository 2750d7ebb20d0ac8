import { apiRoute } from '@/server/http/api';
import { getDeploymentMetrics } from '@/server/services/monitoring/read-metrics';

export const dynamic = 'force-dynamic';

/**
 * A deployment's monitoring metrics: `?deployment=production&range=1h` (1h, 24h, 7d,
 * 30d) or `&from=…&to=…` (ISO). Summary (requests, errors, p50/p95/p99 ms, live
 * accuracy…) and series at a resolution fitting the range. Read scope.
 */
export const GET = apiRoute(async (req, ctx) => getDeploymentMetrics(ctx, Object.fromEntries(req.nextUrl.searchParams)));
