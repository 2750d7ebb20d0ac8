import { apiRoute } from '@/server/http/api';
import { getModel } from '@/server/services/models/read-models';

export const dynamic = 'force-dynamic';

/** One version (id, "v3" or "3"): lineage, metrics, KPI gates, approval timeline, deployment history. */
export const GET = apiRoute<{ id: string }>(async (_req, ctx) => getModel(ctx, ctx.params.id));
