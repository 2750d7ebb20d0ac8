import { apiRoute } from '@/server/http/api';
import { getCostOverview } from '@/server/services/costs/get-cost-overview';

export const dynamic = 'force-dynamic';

/**
 * The month's costs (keys with `read`): ?month=YYYY-MM (default: this month, UTC) →
 * { month_to_date, forecast, budget, by_component, daily, per_run, per_model_version,
 * per_1000_predictions, infra_estimate, source, prices_as_of, … } in USD.
 */
export const GET = apiRoute(async (req, ctx) => {
  const month = req.nextUrl.searchParams.get('month');
  return getCostOverview(ctx, month === null ? {} : { month });
});
