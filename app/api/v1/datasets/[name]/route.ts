import { apiRoute } from '@/server/http/api';
import { getDataset } from '@/server/services/datasets/read-datasets';

export const dynamic = 'force-dynamic';

/** A dataset with its ready versions (newest first) and its recent failed or running import attempts. */
export const GET = apiRoute<{ name: string }>(async (_req, ctx) => getDataset(ctx, decodeURIComponent(ctx.params.name)));
