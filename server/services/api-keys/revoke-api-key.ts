import 'server-only';
import { AppError, notFound } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { republishAllManifests } from '../deployments/publish-manifest';
import { actorUserId, assertCan, can, nowOf, type ServiceContext } from '../context';
import { API_KEY_PUBLIC_FIELDS } from './schemas';

export async function revokeApiKey(ctx: ServiceContext, keyId: string) {
  assertCan(ctx, 'keys:create');
  return ctx.db.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: keyId }, select: API_KEY_PUBLIC_FIELDS });
    if (!key) throw notFound('API key');
    if (key.owner.id !== actorUserId(ctx.actor) && !can(ctx.actor, 'keys:manage-all')) {
      throw new AppError('FORBIDDEN', 'You may only revoke your own API keys.');
    }
    if (key.revokedAt) throw new AppError('CONFLICT', `API key "${key.name}" was already revoked.`);
    const revoked = await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: nowOf(ctx) }, select: API_KEY_PUBLIC_FIELDS });
    await recordAudit(tx, ctx, {
      action: 'api_key.revoke',
      entityType: 'api_key',
      entityId: keyId,
      summary: `Revoked API key "${key.name}" of ${key.owner.email}`,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt?.toISOString() },
    });
    // The inference service drops the key at its next poll of the manifest.
    if (key.scopes.includes('predict')) await republishAllManifests(tx, ctx);
    return revoked;
  });
}
