import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { decideModel } from '@/server/services/models/decide-model';

export const dynamic = 'force-dynamic';

/** { comment, overrideReason? (required when a KPI gate fails) } → { id, version, status, override }. Four-eyes: not by the model's trainer. */
export const POST = apiRoute<{ id: string }>(async (req, ctx) => {
  const body = await readJson(req, z.record(z.string(), z.unknown()));
  return decideModel(ctx, ctx.params.id, { ...body, decision: 'approve' });
});
