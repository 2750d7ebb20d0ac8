'use server';

import { redirect } from 'next/navigation';
import type { ActionState } from '@/lib/action-result';
import { signOut } from '@/server/auth/auth';
import { runAction } from '@/server/http/action';
import { changeOwnPassword } from '@/server/services/users/passwords';

export async function changePasswordAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const result = await runAction((ctx) => changeOwnPassword(ctx, { currentPassword: formData.get('currentPassword'), newPassword: formData.get('newPassword') }));
  if (!result.ok) return result;
  // Every session ended with the change; sign in again with the new password.
  await signOut({ redirect: false });
  redirect('/login?reason=password-changed');
}
