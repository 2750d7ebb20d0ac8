import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { makeUser } from '@/test/actors';
import type { Db } from '@/server/db/client';
import { endSession, sessionActor } from './sessions';

let db: Db;
const DAY = 24 * 60 * 60;

beforeAll(async () => {
  ({ db } = await createTestDatabase());
});

describe('sessions', () => {
  it('a session stands until it is signed out; then the same cookie is refused, and other sessions of the user are not', async () => {
    const user = await makeUser(db, 'ml_engineer', { email: 'sam@example.com', password: 'sam-has-a-long-password' });
    const laptop = { userId: user.id, sessionId: 'laptop-session', sessionVersion: 1 };
    const phone = { userId: user.id, sessionId: 'phone-session', sessionVersion: 1 };
    expect(await sessionActor(db, laptop, DAY)).toMatchObject({ kind: 'user', userId: user.id, email: 'sam@example.com', role: 'ml_engineer' });

    await endSession(db, laptop, DAY);
    expect(await sessionActor(db, laptop, DAY)).toBeNull();
    expect(await sessionActor(db, phone, DAY)).toMatchObject({ userId: user.id });
    // Signing out twice (two tabs) is harmless.
    await expect(endSession(db, laptop, DAY)).resolves.toBeUndefined();
    expect(await db.endedSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it('a signed-out session presented again stays refused for a full session lifetime from its last use', async () => {
    const user = await makeUser(db, 'viewer', { email: 'replay@example.com', password: 'replay-has-a-long-password' });
    const claims = { userId: user.id, sessionId: 'replayed-session', sessionVersion: 1 };
    await endSession(db, claims, DAY);
    const soon = new Date(Date.now() + 60_000);
    await db.endedSession.update({ where: { sessionId: 'replayed-session' }, data: { expiresAt: soon } });
    expect(await sessionActor(db, claims, DAY)).toBeNull();
    const { expiresAt } = await db.endedSession.findUniqueOrThrow({ where: { sessionId: 'replayed-session' } });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + (DAY - 60) * 1000);
  });

  it('forgets ended sessions past their expiry when another session ends', async () => {
    const user = await makeUser(db, 'viewer', { email: 'old@example.com', password: 'old-has-a-long-password' });
    await db.endedSession.create({ data: { sessionId: 'long-gone', userId: user.id, expiresAt: new Date(Date.now() - 1000) } });
    await endSession(db, { userId: user.id, sessionId: 'fresh', sessionVersion: 1 }, DAY);
    expect(await db.endedSession.findUnique({ where: { sessionId: 'long-gone' } })).toBeNull();
    expect(await db.endedSession.findUnique({ where: { sessionId: 'fresh' } })).not.toBeNull();
  });

  it('refuses sessions without an id, for a deactivated user, or from before a password or role change', async () => {
    const user = await makeUser(db, 'approver', { email: 'ann@example.com', password: 'ann-has-a-long-password' });
    expect(await sessionActor(db, { userId: user.id, sessionVersion: 1 }, DAY)).toBeNull();
    expect(await sessionActor(db, { userId: user.id, sessionId: 's1', sessionVersion: 0 }, DAY)).toBeNull();
    expect(await sessionActor(db, { userId: 'no-such-user', sessionId: 's2', sessionVersion: 1 }, DAY)).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { isActive: false } });
    expect(await sessionActor(db, { userId: user.id, sessionId: 's3', sessionVersion: 1 }, DAY)).toBeNull();
  });
});
