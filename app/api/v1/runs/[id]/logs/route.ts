import { apiRoute } from '@/server/http/api';
import { getRunLogs } from '@/server/services/runs/read-runs';

export const dynamic = 'force-dynamic';

/** Log lines after ?after=<id> (oldest first), with the cursor for the next call. */
export const GET = apiRoute<{ id: string }>(async (req, ctx) =>
  getRunLogs(ctx, ctx.params.id, { after: req.nextUrl.searchParams.get('after'), limit: Number(req.nextUrl.searchParams.get('limit') ?? 500) || 500 }),
);
