import 'server-only';
import { generatePassword, hashPassword, verifyPassword } from '@/server/auth/password';
import { AppError, notFound, parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, type ServiceContext } from '../context';
import { changePasswordInput, userIdInput } from './schemas';

/** A signed-in user changes their own password; every session of theirs ends. */
export async function changeOwnPassword(ctx: ServiceContext, input: unknown) {
  if (ctx.actor.kind !== 'user') throw new AppError('FORBIDDEN', 'Only a signed-in user can change their password.');
  const { currentPassword, newPassword } = parseInput(changePasswordInput, input);
  const userId = ctx.actor.userId;
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { passwordHash: true, email: true } });
  if (!user?.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new AppError('VALIDATION', 'Current password is wrong.', { fields: [{ field: 'currentPassword', message: 'is wrong' }] });
  }
  if (currentPassword === newPassword) {
    throw new AppError('VALIDATION', 'The new password must differ from the current one.', { fields: [{ field: 'newPassword', message: 'must differ from the current password' }] });
  }
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAudit(tx, ctx, { action: 'user.password_change', entityType: 'user', entityId: userId, summary: `${user.email} changed their password` });
  });
}

/** An admin (or the CLI operator) sets a new generated password, shown once. */
export async function resetUserPassword(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'users:manage');
  const { userId } = parseInput(userIdInput, input);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const email = await ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user) throw notFound('User');
    await tx.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAudit(tx, ctx, { action: 'user.password_reset', entityType: 'user', entityId: userId, summary: `Reset the password of ${user.email}` });
    return user.email;
  });
  return { email, password };
}
