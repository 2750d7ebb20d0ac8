import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { contextAs, makeUser, snapshot, userContext } from '@/test/actors';
import type { Db } from '@/server/db/client';
import { hashSecret } from '@/server/auth/secrets';
import { verifyPassword } from '@/server/auth/password';
import type { ServiceContext } from '../context';
import { createUser } from './create-user';
import { acceptInvite, describeInvite, inviteUser, revokeInvite } from './invites';
import { changeOwnPassword, resetUserPassword } from './passwords';
import { deactivateUser, reactivateUser } from './set-user-active';
import { updateUserRole } from './update-user-role';

let db: Db;
let admin: ServiceContext;
let adminId: string;

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  const a = await userContext(db, 'admin');
  admin = a.ctx;
  adminId = a.user.id;
});

describe('creating users', () => {
  it('creates a user, generates a password shown once, and audits it in the same transaction', async () => {
    const { user, generatedPassword } = await createUser(admin, { email: 'New.Person@Example.com', name: 'New Person', role: 'ml_engineer' });
    expect(user.email).toBe('new.person@example.com');
    expect(generatedPassword).toMatch(/^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).not.toContain(generatedPassword!);
    expect(await verifyPassword(generatedPassword!, stored.passwordHash!)).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'user.create', entityId: user.id } });
    expect(audit.actorId).toBe(adminId);
    expect(audit.after).toMatchObject({ email: 'new.person@example.com', role: 'ml_engineer' });
  });

  it('refuses a duplicate email without changing anything', async () => {
    const before = await snapshot(db);
    await expect(createUser(admin, { email: 'new.person@example.com', name: 'Twin', role: 'viewer' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await snapshot(db)).toEqual(before);
  });

  it('names every bad field, including unknown ones', async () => {
    const before = await snapshot(db);
    const error = await createUser(admin, { email: 'nope', name: '', role: 'boss', password: 'short', extra: 1 }).catch((e) => e);
    expect(error.code).toBe('VALIDATION');
    const fields = error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'name', 'role', 'password', 'extra']));
    expect(await snapshot(db)).toEqual(before);
  });

  it.each(['ml_engineer', 'approver', 'viewer'] as const)('refuses a %s on the server, leaving the database untouched', async (role) => {
    const { ctx, user } = await userContext(db, role);
    const before = await snapshot(db);
    await expect(createUser(ctx, { email: `x-${role}@example.com`, name: 'X', role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(updateUserRole(ctx, { userId: user.id, role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(deactivateUser(ctx, { userId: adminId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(inviteUser(ctx, { email: 'y@example.com', role: 'viewer' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(resetUserPassword(ctx, { userId: adminId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('roles and deactivation', () => {
  it('changes a role, ends the old sessions and records before/after', async () => {
    const target = await makeUser(db, 'viewer');
    const after = await updateUserRole(admin, { userId: target.id, role: 'approver' });
    expect(after.role).toBe('approver');
    const stored = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(stored.sessionVersion).toBe(target.sessionVersion + 1);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'user.role_change', entityId: target.id } });
    expect(audit.before).toEqual({ role: 'viewer' });
    expect(audit.after).toEqual({ role: 'approver' });
  });

  it('never leaves the installation without an active admin, and nobody deactivates themselves', async () => {
    const fresh = await createTestDatabase();
    const only = await userContext(fresh.db, 'admin');
    await expect(updateUserRole(only.ctx, { userId: only.user.id, role: 'viewer' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(deactivateUser(only.ctx, { userId: only.user.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    const system = contextAs(fresh.db, { kind: 'system', label: 'test' });
    await expect(deactivateUser(system, { userId: only.user.id })).rejects.toThrow(/last active admin/);
  });

  it('deactivates and reactivates a user', async () => {
    const target = await makeUser(db, 'ml_engineer');
    expect((await deactivateUser(admin, { userId: target.id })).isActive).toBe(false);
    expect((await reactivateUser(admin, { userId: target.id })).isActive).toBe(true);
    const actions = await db.auditEvent.findMany({ where: { entityId: target.id }, orderBy: { id: 'asc' } });
    expect(actions.map((a) => a.action)).toEqual(['user.deactivate', 'user.reactivate']);
  });
});

describe('invites', () => {
  it('stores only a hash of the token, and the invitee joins with the invited role', async () => {
    const { token, path } = await inviteUser(admin, { email: 'invitee@example.com', role: 'approver' });
    expect(path).toBe(`/invite/${token}`);
    const row = await db.userInvite.findFirstOrThrow({ where: { email: 'invitee@example.com' } });
    expect(row.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await describeInvite(admin, token)).toMatchObject({ email: 'invitee@example.com', role: 'approver' });
    const user = await acceptInvite(admin, { token, name: 'Ivy', password: 'a-long-enough-password' });
    expect(user).toMatchObject({ email: 'invitee@example.com', role: 'approver', name: 'Ivy' });
    await expect(acceptInvite(admin, { token, name: 'Again', password: 'a-long-enough-password' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses expired, revoked and unknown invite links', async () => {
    const expired = await inviteUser(admin, { email: 'late@example.com', role: 'viewer' });
    const later = { ...admin, now: () => new Date(Date.now() + 8 * 86_400_000) };
    await expect(acceptInvite(later, { token: expired.token, name: 'Late', password: 'a-long-enough-password' })).rejects.toThrow(/expired/);
    const revoked = await inviteUser(admin, { email: 'gone@example.com', role: 'viewer' });
    await revokeInvite(admin, revoked.invite.id);
    await expect(describeInvite(admin, revoked.token)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(describeInvite(admin, 'psi_not-a-real-token-at-all')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('passwords', () => {
  it('resets a password (shown once) and checks the current one before a change', async () => {
    const target = await makeUser(db, 'ml_engineer', { password: 'the-original-password' });
    const { password } = await resetUserPassword(admin, { userId: target.id });
    const self = contextAs(db, { kind: 'user', userId: target.id, email: target.email, name: target.name, role: 'ml_engineer' });
    await expect(changeOwnPassword(self, { currentPassword: 'the-original-password', newPassword: 'another-long-password' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await changeOwnPassword(self, { currentPassword: password, newPassword: 'another-long-password' });
    const stored = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(await verifyPassword('another-long-password', stored.passwordHash!)).toBe(true);
    expect(stored.sessionVersion).toBe(target.sessionVersion + 2);
  });
});
