import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { listModels } from '@/server/services/models/read-models';
import { registerModel } from '@/server/services/models/register-model';

export const dynamic = 'force-dynamic';

/** Model versions: ?status=PendingManualApproval|Approved|Rejected&page=&pageSize= */
export const GET = apiRoute(async (req, ctx) => listModels(ctx, Object.fromEntries(req.nextUrl.searchParams)));

/** Register a succeeded run: { runId (id or number), comment? } → 201 { id, version, gatesPassed, gateResults, status, mirror }. */
export const POST = apiRoute(async (req, ctx) => {
  const model = await registerModel(ctx, await readJson(req, z.record(z.string(), z.unknown())));
  return Response.json(model, { status: 201 });
});
