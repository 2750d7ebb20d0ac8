import 'server-only';
import type { Db } from '@/server/db/client';
import type { Actor } from '../context';

/** What a session cookie says about its user (set at sign-in, kept across refreshes). */
export type SessionClaims = { userId: string; sessionId?: string; sessionVersion?: number };

/**
 * Whether a session still stands: its user exists and is active, nothing bumped
 * their session version (deactivation, role or password change), and it was not
 * signed out. A signed-out session that is presented again (a copied cookie, or
 * one a request racing the sign-out re-set) has its ending extended, so it stays
 * refused for as long as anyone keeps presenting it.
 */
export async function sessionActor(db: Db, claims: SessionClaims, maxAgeSeconds: number): Promise<Extract<Actor, { kind: 'user' }> | null> {
  if (!claims.sessionId) return null; // issued before sessions had ids: sign in again
  const [user, ended] = await Promise.all([
    db.user.findUnique({ where: { id: claims.userId }, select: { id: true, email: true, name: true, role: true, isActive: true, sessionVersion: true } }),
    db.endedSession.findUnique({ where: { sessionId: claims.sessionId }, select: { expiresAt: true } }),
  ]);
  if (ended) {
    // updateMany: a clean-up that removed the row meanwhile is not an error.
    await db.endedSession.updateMany({ where: { sessionId: claims.sessionId }, data: { expiresAt: new Date(Date.now() + maxAgeSeconds * 1000) } });
    return null;
  }
  if (!user || !user.isActive || user.sessionVersion !== claims.sessionVersion) return null;
  return { kind: 'user', userId: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * Ends one session (sign-out) on the server, not only in the browser: a JWT
 * cookie is valid wherever it is presented until it expires, so clearing it is
 * not enough. Ended sessions past their expiry are forgotten at the same time.
 */
export async function endSession(db: Db, claims: SessionClaims, maxAgeSeconds: number): Promise<void> {
  if (!claims.sessionId) return;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + maxAgeSeconds * 1000);
  await db.$transaction([
    db.endedSession.deleteMany({ where: { expiresAt: { lt: now } } }),
    db.endedSession.upsert({
      where: { sessionId: claims.sessionId },
      create: { sessionId: claims.sessionId, userId: claims.userId, expiresAt },
      update: { expiresAt },
    }),
  ]);
}
