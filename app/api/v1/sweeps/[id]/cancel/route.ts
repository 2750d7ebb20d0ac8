import { apiRoute } from '@/server/http/api';
import { cancelSweep } from '@/server/services/runs/sweeps';

export const dynamic = 'force-dynamic';

export const POST = apiRoute<{ id: string }>(async (_req, ctx) => cancelSweep(ctx, ctx.params.id));
