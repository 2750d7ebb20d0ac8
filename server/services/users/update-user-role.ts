import 'server-only';
import { notFound, parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, type ServiceContext } from '../context';
import { assertNotLastActiveAdmin } from './admin-guards';
import { changeRoleInput, PUBLIC_USER_FIELDS } from './schemas';

export async function updateUserRole(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'users:manage');
  const { userId, role } = parseInput(changeRoleInput, input);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: PUBLIC_USER_FIELDS });
    if (!before) throw notFound('User');
    if (before.role === role) return before;
    if (role !== 'admin') await assertNotLastActiveAdmin(tx, userId, 'change the role of');
    // Bumping the session version signs the user out everywhere: the new role applies at once.
    const after = await tx.user.update({ where: { id: userId }, data: { role, sessionVersion: { increment: 1 } }, select: PUBLIC_USER_FIELDS });
    await recordAudit(tx, ctx, {
      action: 'user.role_change',
      entityType: 'user',
      entityId: userId,
      summary: `Changed role of ${after.email} from ${before.role} to ${role}`,
      before: { role: before.role },
      after: { role },
    });
    return after;
  });
}
