import { apiRoute } from '@/server/http/api';
import { exportCostsCsv } from '@/server/services/costs/export-costs-csv';

export const dynamic = 'force-dynamic';

/** Every recorded cost line as CSV: ?from=YYYY-MM-DD&to=YYYY-MM-DD (default: this month so far) &source=cost_model|cost_explorer. */
export const GET = apiRoute(async (req, ctx) => {
  const q = req.nextUrl.searchParams;
  const { csv, filename } = await exportCostsCsv(ctx, { from: q.get('from') ?? undefined, to: q.get('to') ?? undefined, source: q.get('source') ?? undefined });
  return new Response(csv, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
  });
});
