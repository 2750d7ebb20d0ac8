import 'server-only';
import type { DbTx } from '@/server/db/client';
import { AppError } from '@/server/errors';

/** An installation must always keep one active admin, or nobody can manage it. */
export async function assertNotLastActiveAdmin(tx: DbTx, userId: string, doing: string) {
  const target = await tx.user.findUnique({ where: { id: userId }, select: { role: true, isActive: true } });
  if (target?.role !== 'admin' || !target.isActive) return;
  const admins = await tx.user.count({ where: { role: 'admin', isActive: true } });
  if (admins <= 1) throw new AppError('CONFLICT', `Cannot ${doing} the last active admin. Make another user admin first.`);
}
