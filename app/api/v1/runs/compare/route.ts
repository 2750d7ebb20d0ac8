import { apiRoute } from '@/server/http/api';
import { compareRuns } from '@/server/services/runs/read-runs';

export const dynamic = 'force-dynamic';

/** ?ids=a,b,c → the runs side by side with their curves. */
export const GET = apiRoute(async (req, ctx) => compareRuns(ctx, (req.nextUrl.searchParams.get('ids') ?? '').split(',')));
