import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { headers } from 'next/headers';
import { randomUUID } from 'node:crypto';
import { getRuntime } from '@/server/runtime';
import type { Actor, ServiceContext } from '@/server/services/context';
import { endSession, sessionActor, type SessionClaims } from '@/server/services/auth/sessions';
import { auth } from './auth';
import { SESSION_MAX_AGE_SECONDS } from './auth.config';
import { clientIp } from './client-ip';

type SessionUser = { id?: string; sessionId?: string; sessionVersion?: number };

/** What this request's session cookie claims (unverified against the database). Cached per request. */
const sessionClaims = cache(async (): Promise<SessionClaims | null> => {
  const session = await auth();
  const user = session?.user as SessionUser | undefined;
  return user?.id ? { userId: user.id, sessionId: user.sessionId, sessionVersion: user.sessionVersion } : null;
});

/**
 * The signed-in user for this request, re-checked against the database: a
 * deactivated user, a session older than the last role/password change, or a
 * session that was signed out is no longer signed in. Cached per request.
 */
export const getSessionActor = cache(async (): Promise<Extract<Actor, { kind: 'user' }> | null> => {
  const claims = await sessionClaims();
  if (!claims) return null;
  const { db } = await getRuntime();
  return sessionActor(db, claims, SESSION_MAX_AGE_SECONDS);
});

/** Signs this request's session out on the server (see endSession); the caller clears the cookie. */
export async function endCurrentSession(): Promise<void> {
  const claims = await sessionClaims();
  if (!claims) return;
  const { db } = await getRuntime();
  await endSession(db, claims, SESSION_MAX_AGE_SECONDS);
}

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requireSessionActor() {
  const actor = await getSessionActor();
  if (!actor) redirect('/login?reason=signed-out');
  return actor;
}

export async function contextFor(actor: Actor): Promise<ServiceContext> {
  const runtime = await getRuntime();
  const h = await headers();
  return {
    actor,
    db: runtime.db,
    adapters: runtime.adapters,
    requestId: h.get('x-request-id') ?? randomUUID(),
    ip: clientIp(h),
  };
}

/** For server components: a service context for the signed-in user (redirects when signed out). */
export async function pageContext(): Promise<ServiceContext> {
  return contextFor(await requireSessionActor());
}
