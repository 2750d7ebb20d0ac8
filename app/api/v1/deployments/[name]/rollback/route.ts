import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { rollbackDeployment } from '@/server/services/deployments/deploy-model';

export const dynamic = 'force-dynamic';

/** { to? (a version that served here before; default: the previous one), comment? } */
export const POST = apiRoute<{ name: string }>(async (req, ctx) => {
  const body = req.headers.get('content-length') === '0' ? {} : await readJson(req, z.record(z.string(), z.unknown()));
  return rollbackDeployment(ctx, ctx.params.name, body);
});
