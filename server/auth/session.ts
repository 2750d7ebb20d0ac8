import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { headers } from 'next/headers';
import { randomUUID } from 'node:crypto';
import { getRuntime } from '@/server/runtime';
import type { Actor, ServiceContext } from '@/server/services/context';
import { auth } from './auth';
import { clientIp } from './client-ip';

type SessionUser = { id?: string; sessionVersion?: number };

/**
 * The signed-in user for this request, re-checked against the database: a
 * deactivated user, or a session older than the last role/password change, is no
 * longer signed in. Cached per request.
 */
export const getSessionActor = cache(async (): Promise<Extract<Actor, { kind: 'user' }> | null> => {
  const session = await auth();
  const sessionUser = session?.user as SessionUser | undefined;
  if (!sessionUser?.id) return null;
  const { db } = await getRuntime();
  const user = await db.user.findUnique({
    where: { id: sessionUser.id },
    select: { id: true, email: true, name: true, role: true, isActive: true, sessionVersion: true },
  });
  if (!user || !user.isActive || user.sessionVersion !== sessionUser.sessionVersion) return null;
  return { kind: 'user', userId: user.id, email: user.email, name: user.name, role: user.role };
});

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
