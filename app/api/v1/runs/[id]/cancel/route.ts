import { apiRoute } from '@/server/http/api';
import { cancelRun } from '@/server/services/runs/cancel-run';

export const dynamic = 'force-dynamic';

export const POST = apiRoute<{ id: string }>(async (_req, ctx) => cancelRun(ctx, ctx.params.id));
