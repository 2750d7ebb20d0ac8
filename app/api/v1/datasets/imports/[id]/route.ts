import { apiRoute } from '@/server/http/api';
import { cancelImport } from '@/server/services/datasets/cancel-import';

export const dynamic = 'force-dynamic';

/** Cancel an unfinished import; everything it stored is removed. */
export const DELETE = apiRoute<{ id: string }>(async (_req, ctx) => cancelImport(ctx, ctx.params.id));
