import { apiRoute } from '@/server/http/api';
import { getRun, getRunCurves } from '@/server/services/runs/read-runs';

export const dynamic = 'force-dynamic';

/** Learning curves: { train_loss: [{ step, value }], validation_loss: [...] }. */
export const GET = apiRoute<{ id: string }>(async (_req, ctx) => {
  const run = await getRun(ctx, ctx.params.id);
  return { curves: (await getRunCurves(ctx, [run.id]))[run.id] ?? {} };
});
