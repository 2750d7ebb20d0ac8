import { apiRoute } from '@/server/http/api';
import { retryRun } from '@/server/services/runs/retry-run';

export const dynamic = 'force-dynamic';

export const POST = apiRoute<{ id: string }>(async (_req, ctx) => retryRun(ctx, ctx.params.id));
