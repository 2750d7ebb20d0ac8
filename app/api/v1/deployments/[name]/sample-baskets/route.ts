import { apiRoute } from '@/server/http/api';
import { sampleDeploymentBaskets } from '@/server/services/deployments/sample-deployment-baskets';

export const dynamic = 'force-dynamic';

/** ?count=1..200 (20) &seed= → { deployment, model, dataset, baskets: [{ basket, trueLabel }] } from the deployed model's dataset version, for smoke checks. */
export const GET = apiRoute<{ name: string }>(async (req, ctx) => sampleDeploymentBaskets(ctx, ctx.params.name, Object.fromEntries(req.nextUrl.searchParams)));
