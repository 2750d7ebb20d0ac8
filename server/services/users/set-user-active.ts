import 'server-only';
import { AppError, notFound, parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { republishAllManifests } from '../deployments/publish-manifest';
import { actorUserId, assertCan, nowOf, type ServiceContext } from '../context';
import { assertNotLastActiveAdmin } from './admin-guards';
import { PUBLIC_USER_FIELDS, userIdInput } from './schemas';

/** Deactivate or reactivate a user. A deactivated user cannot sign in and their API keys stop working. */
export async function setUserActive(ctx: ServiceContext, input: unknown, isActive: boolean) {
  assertCan(ctx, 'users:manage');
  const { userId } = parseInput(userIdInput, input);
  if (!isActive && actorUserId(ctx.actor) === userId) {
    throw new AppError('CONFLICT', 'You cannot deactivate your own account.');
  }
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: PUBLIC_USER_FIELDS });
    if (!before) throw notFound('User');
    if (before.isActive === isActive) return before;
    if (!isActive) await assertNotLastActiveAdmin(tx, userId, 'deactivate');
    const after = await tx.user.update({
      where: { id: userId },
      data: { isActive, deactivatedAt: isActive ? null : nowOf(ctx), sessionVersion: { increment: 1 } },
      select: PUBLIC_USER_FIELDS,
    });
    await recordAudit(tx, ctx, {
      action: isActive ? 'user.reactivate' : 'user.deactivate',
      entityType: 'user',
      entityId: userId,
      summary: `${isActive ? 'Reactivated' : 'Deactivated'} ${after.email}`,
      before: { isActive: before.isActive },
      after: { isActive },
    });
    // Their prediction keys leave (or rejoin) the deployment manifests.
    if (await tx.apiKey.count({ where: { ownerId: userId, scopes: { has: 'predict' }, revokedAt: null } })) await republishAllManifests(tx, ctx);
    return after;
  });
}

export const deactivateUser = (ctx: ServiceContext, input: unknown) => setUserActive(ctx, input, false);
export const reactivateUser = (ctx: ServiceContext, input: unknown) => setUserActive(ctx, input, true);
