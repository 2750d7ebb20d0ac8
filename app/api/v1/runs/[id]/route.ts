import { apiRoute } from '@/server/http/api';
import { getRun } from '@/server/services/runs/read-runs';

export const dynamic = 'force-dynamic';

/** One run by id or number: status, progress, metrics, parameters, lineage, cost. */
export const GET = apiRoute<{ id: string }>(async (_req, ctx) => getRun(ctx, ctx.params.id));
