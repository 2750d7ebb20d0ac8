import { apiRoute } from '@/server/http/api';
import { listDatasets } from '@/server/services/datasets/read-datasets';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req, ctx) => ({ datasets: await listDatasets(ctx) }));
