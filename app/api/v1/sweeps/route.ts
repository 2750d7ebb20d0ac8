import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { launchSweep, listSweeps } from '@/server/services/runs/sweeps';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req, ctx) => ({ sweeps: await listSweeps(ctx) }));

/** { dataset, algorithm?, strategy: grid|random, space, baseParams?, budget, concurrency?, metric?, seed?, tags? } → 201 */
export const POST = apiRoute(async (req, ctx) => {
  const input = await readJson(req, z.record(z.string(), z.unknown()));
  return Response.json(await launchSweep(ctx, input), { status: 201 });
});
