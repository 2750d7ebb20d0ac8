import { apiRoute } from '@/server/http/api';
import { permissionsOf } from '@/server/services/context';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req, ctx) => {
  const { actor } = ctx;
  const permissions = [...permissionsOf(actor)].sort();
  if (actor.kind === 'api_key') {
    return { kind: 'api_key', user: { id: actor.userId, email: actor.email, role: actor.role }, key: { id: actor.keyId, name: actor.keyName, scopes: actor.scopes }, permissions };
  }
  if (actor.kind === 'user') {
    return { kind: 'session', user: { id: actor.userId, email: actor.email, name: actor.name, role: actor.role }, key: null, permissions };
  }
  return { kind: 'system', user: null, key: null, permissions };
});
