import { apiRoute } from '@/server/http/api';
import { getSweep } from '@/server/services/runs/sweeps';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>(async (_req, ctx) => getSweep(ctx, ctx.params.id));
