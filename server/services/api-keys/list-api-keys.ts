import 'server-only';
import { actorUserId, assertCan, can, type ServiceContext } from '../context';
import { API_KEY_PUBLIC_FIELDS } from './schemas';

/** Your own keys; admins see everyone's. */
export async function listApiKeys(ctx: ServiceContext, opts: { includeRevoked?: boolean } = {}) {
  assertCan(ctx, 'read');
  const all = can(ctx.actor, 'keys:manage-all');
  const userId = actorUserId(ctx.actor);
  return ctx.db.apiKey.findMany({
    where: {
      ...(all ? {} : { ownerId: userId ?? '__none__' }),
      ...(opts.includeRevoked ? {} : { revokedAt: null }),
    },
    select: API_KEY_PUBLIC_FIELDS,
    orderBy: { createdAt: 'desc' },
  });
}
