'use server';

import { randomUUID } from 'node:crypto';
import { redirect } from 'next/navigation';
import type { ActionState } from '@/lib/action-result';
import { toActionError } from '@/server/http/action';
import { getRuntime } from '@/server/runtime';
import { acceptInvite } from '@/server/services/users/invites';

/** No session here: the one-time token in the link is the credential. */
export async function acceptInviteAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  try {
    const { db } = await getRuntime();
    await acceptInvite({ db }, { token: formData.get('token'), name: formData.get('name'), password: formData.get('password') });
  } catch (error) {
    return { ok: false, error: toActionError(error, randomUUID()), values: { name: String(formData.get('name') ?? '') } };
  }
  redirect('/login?reason=joined');
}
