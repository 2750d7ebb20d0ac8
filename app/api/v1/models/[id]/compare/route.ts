import { apiRoute } from '@/server/http/api';
import { compareWithDeployed } from '@/server/services/models/read-models';

export const dynamic = 'force-dynamic';

/** The version beside what serves a deployment now: ?deployment=production (default). */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => compareWithDeployed(ctx, ctx.params.id, req.nextUrl.searchParams.get('deployment') ?? 'production'));
