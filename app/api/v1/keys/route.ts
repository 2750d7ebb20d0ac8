import { z } from 'zod';
import { API_KEY_SCOPES } from '@/lib/permissions';
import { apiRoute, readJson } from '@/server/http/api';
import { createApiKey } from '@/server/services/api-keys/create-api-key';
import { listApiKeys } from '@/server/services/api-keys/list-api-keys';

export const dynamic = 'force-dynamic';

/** Your keys (admins: everyone's). Never secrets. */
export const GET = apiRoute(async (req, ctx) => {
  const includeRevoked = req.nextUrl.searchParams.get('include') === 'revoked';
  return { keys: await listApiKeys(ctx, { includeRevoked }) };
});

const body = z.strictObject({
  name: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  expiresInDays: z.number().optional(),
  ownerId: z.string().optional(),
});

/** Create a key (signed-in admins and engineers; API keys cannot mint keys). The secret is in this response only. */
export const POST = apiRoute(async (req, ctx) => {
  const input = await readJson(req, body);
  const key = await createApiKey(ctx, input);
  return Response.json(key, { status: 201 });
});
