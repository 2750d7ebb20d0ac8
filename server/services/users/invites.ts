import 'server-only';
import { hashPassword } from '@/server/auth/password';
import { hashSecret, INVITE_PREFIX, newSecret } from '@/server/auth/secrets';
import { AppError, conflict, notFound, parseInput } from '@/server/errors';
import type { DbTx } from '@/server/db/client';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, nowOf, type ServiceContext } from '../context';
import { acceptInviteInput, inviteUserInput, PUBLIC_USER_FIELDS } from './schemas';

const INVITE_DAYS = 7;

/**
 * Invite someone by link: the link (with a one-time token) is shown once to the
 * admin, who passes it on; the invitee chooses their own name and password. Only
 * the token's hash is stored.
 */
export async function inviteUser(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'users:manage');
  const { email, role } = parseInput(inviteUserInput, input);
  const token = newSecret(INVITE_PREFIX);
  const expiresAt = new Date(nowOf(ctx).getTime() + INVITE_DAYS * 86_400_000);
  const invite = await ctx.db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) throw conflict(`A user with email ${email} already exists`);
    // A new invite replaces any open one for the same address.
    await tx.userInvite.updateMany({ where: { email, acceptedAt: null, revokedAt: null }, data: { revokedAt: nowOf(ctx) } });
    const created = await tx.userInvite.create({
      data: { email, role, tokenHash: hashSecret(token), expiresAt, invitedById: actorUserId(ctx.actor) },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    });
    await recordAudit(tx, ctx, {
      action: 'user.invite',
      entityType: 'invite',
      entityId: created.id,
      summary: `Invited ${email} as ${role}`,
      after: { email, role, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { invite, token, path: `/invite/${token}` };
}

async function findOpenInvite(db: DbTx, now: Date, token: string) {
  const invite = await db.userInvite.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!invite || invite.revokedAt) throw new AppError('NOT_FOUND', 'This invite link is not valid. Ask an administrator for a new one.');
  if (invite.acceptedAt) throw new AppError('CONFLICT', 'This invite was already used. Sign in instead.');
  if (invite.expiresAt <= now) throw new AppError('CONFLICT', 'This invite link has expired. Ask an administrator for a new one.');
  return invite;
}

/** What the invite page shows before the invitee accepts (no authentication: the token is the credential). */
export async function describeInvite(ctx: Pick<ServiceContext, 'db' | 'now'>, token: string) {
  const invite = await findOpenInvite(ctx.db, nowOf(ctx), token);
  return { email: invite.email, role: invite.role, expiresAt: invite.expiresAt };
}

export async function acceptInvite(ctx: Pick<ServiceContext, 'db' | 'now' | 'requestId' | 'ip'>, input: unknown) {
  const { token, name, password } = parseInput(acceptInviteInput, input);
  const passwordHash = await hashPassword(password);
  return ctx.db.$transaction(async (tx) => {
    const invite = await findOpenInvite(tx, nowOf(ctx), token);
    if (await tx.user.findUnique({ where: { email: invite.email }, select: { id: true } })) throw conflict(`A user with email ${invite.email} already exists`);
    // Claim the invite first: of two concurrent accepts, only one updates the row.
    const claimed = await tx.userInvite.updateMany({ where: { id: invite.id, acceptedAt: null }, data: { acceptedAt: nowOf(ctx) } });
    if (claimed.count !== 1) throw new AppError('CONFLICT', 'This invite was already used. Sign in instead.');
    const user = await tx.user.create({ data: { email: invite.email, name, role: invite.role, passwordHash }, select: PUBLIC_USER_FIELDS });
    await recordAudit(tx, { ...ctx, actor: { kind: 'user', userId: user.id, email: user.email, name: user.name, role: user.role } }, {
      action: 'user.accept_invite',
      entityType: 'user',
      entityId: user.id,
      summary: `${user.email} accepted the invite and joined as ${user.role}`,
      after: { email: user.email, name: user.name, role: user.role },
    });
    return user;
  });
}

export async function revokeInvite(ctx: ServiceContext, inviteId: string) {
  assertCan(ctx, 'users:manage');
  await ctx.db.$transaction(async (tx) => {
    const invite = await tx.userInvite.findUnique({ where: { id: inviteId } });
    if (!invite) throw notFound('Invite');
    if (invite.acceptedAt || invite.revokedAt) throw conflict('This invite is no longer open.');
    await tx.userInvite.update({ where: { id: inviteId }, data: { revokedAt: nowOf(ctx) } });
    await recordAudit(tx, ctx, { action: 'user.invite_revoke', entityType: 'invite', entityId: inviteId, summary: `Revoked the invite for ${invite.email}` });
  });
}

export async function listOpenInvites(ctx: ServiceContext) {
  assertCan(ctx, 'users:manage');
  return ctx.db.userInvite.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: nowOf(ctx) } },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true, invitedBy: { select: { email: true } } },
    orderBy: { createdAt: 'desc' },
  });
}
