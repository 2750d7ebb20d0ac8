'use server';

import { signOut } from '@/server/auth/auth';
import { contextFor, endCurrentSession, getSessionActor } from '@/server/auth/session';
import { recordSignOut } from '@/server/services/auth/record-sign-out';

export async function signOutAction() {
  const actor = await getSessionActor();
  if (actor) await recordSignOut(await contextFor(actor));
  await endCurrentSession();
  await signOut({ redirectTo: '/login' });
}
