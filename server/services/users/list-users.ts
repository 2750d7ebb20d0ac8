import 'server-only';
import { assertCan, type ServiceContext } from '../context';
import { PUBLIC_USER_FIELDS } from './schemas';

export async function listUsers(ctx: ServiceContext) {
  assertCan(ctx, 'read');
  return ctx.db.user.findMany({ select: PUBLIC_USER_FIELDS, orderBy: [{ isActive: 'desc' }, { createdAt: 'asc' }] });
}

export async function findUserByEmail(ctx: ServiceContext, email: string) {
  assertCan(ctx, 'read');
  return ctx.db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: PUBLIC_USER_FIELDS });
}
