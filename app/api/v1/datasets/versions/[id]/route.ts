import { apiRoute } from '@/server/http/api';
import { getDatasetVersion } from '@/server/services/datasets/read-datasets';

export const dynamic = 'force-dynamic';

/** Status and progress while importing; lineage, quality report and profile when done. */
export const GET = apiRoute<{ id: string }>(async (_req, ctx) => getDatasetVersion(ctx, ctx.params.id));
