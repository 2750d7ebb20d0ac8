import { apiRoute } from '@/server/http/api';
import { revokeApiKey } from '@/server/services/api-keys/revoke-api-key';

export const dynamic = 'force-dynamic';

/** Revoke a key at once. */
export const DELETE = apiRoute<{ id: string }>(async (_req, ctx) => revokeApiKey(ctx, ctx.params.id));
