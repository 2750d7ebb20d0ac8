import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { launchRun } from '@/server/services/runs/launch-run';
import { listRuns } from '@/server/services/runs/read-runs';

export const dynamic = 'force-dynamic';

/** Runs: ?status=&algorithm=&dataset=&tag=&sweepId=&q=&sort=createdAt|accuracy|macroF1|durationMs|number&order=asc|desc&page=&pageSize= */
export const GET = apiRoute(async (req, ctx) => listRuns(ctx, Object.fromEntries(req.nextUrl.searchParams)));

/** Launch: { dataset, algorithm?, params?, seed?, name?, tags?, maxAttempts? } → 201 { id, number, name }. Validated fully by the service. */
export const POST = apiRoute(async (req, ctx) => {
  const input = await readJson(req, z.record(z.string(), z.unknown()));
  const run = await launchRun(ctx, input);
  return Response.json(run, { status: 201 });
});
