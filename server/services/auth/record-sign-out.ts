import 'server-only';
import { recordAudit } from '../audit/record-audit';
import type { ServiceContext } from '../context';

export async function recordSignOut(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'user') return;
  const { userId, email } = ctx.actor;
  await ctx.db.$transaction((tx) => recordAudit(tx, ctx, { action: 'auth.sign_out', entityType: 'user', entityId: userId, summary: `${email} signed out` }));
}
