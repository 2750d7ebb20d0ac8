import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { deployModel } from '@/server/services/deployments/deploy-model';
import { listDeployments } from '@/server/services/deployments/read-deployments';

export const dynamic = 'force-dynamic';

/** Every deployment: the version serving it, since when, who, and what its inference instances report. */
export const GET = apiRoute(async (_req, ctx) => listDeployments(ctx));

/** Deploy an approved version: { model (id, "v3" or "3"), deployment? ("production"), comment? } → 201. */
export const POST = apiRoute(async (req, ctx) => {
  const result = await deployModel(ctx, await readJson(req, z.record(z.string(), z.unknown())));
  return Response.json(result, { status: 201 });
});
