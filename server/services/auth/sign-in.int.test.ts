import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { makeUser, snapshot } from '@/test/actors';
import type { Db } from '@/server/db/client';
import { createLoginLimiter, signInWithPassword, type LoginLimiter } from './sign-in';

let db: Db;
let limiter: LoginLimiter;
const limits = { maxAttempts: 3, lockoutSeconds: 600 };
const signIn = (email: string, password: string, ip = '203.0.113.7') => signInWithPassword({ db, limiter, limits }, { email, password, ip });

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  limiter = createLoginLimiter(db, limits);
});

describe('signing in with a password', () => {
  it('accepts the right password (email case-insensitive), records the login and audits it', async () => {
    const user = await makeUser(db, 'viewer', { email: 'vera@example.com', password: 'vera-has-a-long-password' });
    const result = await signIn('  VERA@example.com ', 'vera-has-a-long-password');
    expect(result).toMatchObject({ id: user.id, role: 'viewer', sessionVersion: 1 });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).not.toBeNull();
    expect(await db.auditEvent.count({ where: { action: 'auth.sign_in', entityId: user.id } })).toBe(1);
  });

  it('gives the same answer for a wrong password and an unknown user, and changes no data', async () => {
    await makeUser(db, 'viewer', { email: 'wendy@example.com', password: 'wendy-has-a-long-password' });
    const before = await snapshot(db);
    await expect(signIn('wendy@example.com', 'not-her-password')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'Wrong email or password.' });
    await expect(signIn('nobody@example.com', 'whatever-password')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'Wrong email or password.' });
    await expect(signIn('', '')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await snapshot(db)).toEqual(before);
  });

  it('refuses a deactivated user even with the right password', async () => {
    const user = await makeUser(db, 'ml_engineer', { email: 'dora@example.com', password: 'dora-has-a-long-password' });
    await db.user.update({ where: { id: user.id }, data: { isActive: false } });
    await expect(signIn('dora@example.com', 'dora-has-a-long-password')).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/deactivated/) });
  });

  it('locks an account after repeated failures, then refuses even the right password; other accounts are unaffected', async () => {
    await makeUser(db, 'viewer', { email: 'lock@example.com', password: 'lock-has-a-long-password' });
    await makeUser(db, 'viewer', { email: 'free@example.com', password: 'free-has-a-long-password' });
    for (let i = 0; i < limits.maxAttempts; i++) await expect(signIn('lock@example.com', 'wrong-password-here', `198.51.100.${i}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const locked = await signIn('lock@example.com', 'lock-has-a-long-password', '198.51.100.99').catch((e) => e);
    expect(locked.code).toBe('RATE_LIMITED');
    expect(locked.message).toMatch(/Try again in 10 minutes/);
    expect(locked.details.retryAfterSeconds).toBeGreaterThan(500);
    await expect(signIn('free@example.com', 'free-has-a-long-password', '198.51.100.98')).resolves.toMatchObject({ email: 'free@example.com' });
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    await makeUser(db, 'viewer', { email: 'reset@example.com', password: 'reset-has-a-long-password' });
    for (let i = 0; i < limits.maxAttempts - 1; i++) await signIn('reset@example.com', 'wrong-password-here').catch(() => undefined);
    await signIn('reset@example.com', 'reset-has-a-long-password');
    for (let i = 0; i < limits.maxAttempts - 1; i++) await signIn('reset@example.com', 'wrong-password-here').catch(() => undefined);
    await expect(signIn('reset@example.com', 'reset-has-a-long-password')).resolves.toMatchObject({ email: 'reset@example.com' });
  });
});
