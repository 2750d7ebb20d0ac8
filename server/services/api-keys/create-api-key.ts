import 'server-only';
import { API_KEY_PREFIX, displayPrefix, hashSecret, newSecret } from '@/server/auth/secrets';
import { AppError, notFound, parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { republishAllManifests } from '../deployments/publish-manifest';
import { assertCan, can, nowOf, type ServiceContext } from '../context';
import { API_KEY_PUBLIC_FIELDS, createApiKeyInput } from './schemas';

/** Create a named, scoped key. The secret is returned here once and never again: only its hash is kept. */
export async function createApiKey(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'keys:create');
  const data = parseInput(createApiKeyInput, input);
  const actorId = ctx.actor.kind === 'system' ? null : ctx.actor.userId;
  const ownerId = data.ownerId ?? actorId;
  if (!ownerId) throw new AppError('VALIDATION', 'Say which user owns the key.', { fields: [{ field: 'ownerId', message: 'is required' }] });
  if (ownerId !== actorId && !can(ctx.actor, 'keys:manage-all')) throw new AppError('FORBIDDEN', 'You may only create API keys for yourself.');

  const secret = newSecret(API_KEY_PREFIX);
  const expiresAt = data.expiresInDays ? new Date(nowOf(ctx).getTime() + data.expiresInDays * 86_400_000) : null;
  const key = await ctx.db.$transaction(async (tx) => {
    const owner = await tx.user.findUnique({ where: { id: ownerId }, select: { isActive: true, email: true, role: true } });
    if (!owner) throw notFound('User');
    if (!owner.isActive) throw new AppError('CONFLICT', `${owner.email} is deactivated; their keys would not work.`);
    if (owner.role === 'viewer' || owner.role === 'approver') {
      throw new AppError('FORBIDDEN', `${owner.email} is ${owner.role === 'viewer' ? 'a viewer' : 'an approver'}; only admins and ML engineers own API keys.`);
    }
    const created = await tx.apiKey.create({
      data: { name: data.name, prefix: displayPrefix(secret), secretHash: hashSecret(secret), scopes: data.scopes, ownerId, expiresAt },
      select: API_KEY_PUBLIC_FIELDS,
    });
    await recordAudit(tx, ctx, {
      action: 'api_key.create',
      entityType: 'api_key',
      entityId: created.id,
      summary: `Created API key "${created.name}" (${data.scopes.join(', ')}) for ${owner.email}`,
      after: { name: created.name, scopes: data.scopes, owner: owner.email, expiresAt: expiresAt?.toISOString() ?? null },
    });
    // A prediction key works on the inference service once the manifests list it.
    if (data.scopes.includes('predict')) await republishAllManifests(tx, ctx);
    return created;
  });
  return { ...key, secret };
}
