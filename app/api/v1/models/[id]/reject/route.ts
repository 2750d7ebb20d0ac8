import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { decideModel } from '@/server/services/models/decide-model';

export const dynamic = 'force-dynamic';

/** { comment } → { id, version, status }. Four-eyes: not by the model's trainer. */
export const POST = apiRoute<{ id: string }>(async (req, ctx) => {
  const body = await readJson(req, z.record(z.string(), z.unknown()));
  return decideModel(ctx, ctx.params.id, { ...body, decision: 'reject' });
});
