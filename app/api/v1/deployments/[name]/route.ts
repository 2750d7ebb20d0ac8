import { apiRoute } from '@/server/http/api';
import { getDeployment } from '@/server/services/deployments/read-deployments';

export const dynamic = 'force-dynamic';

/** One deployment with its full history (which version served it when, who, why). */
export const GET = apiRoute<{ name: string }>(async (_req, ctx) => getDeployment(ctx, ctx.params.name));
