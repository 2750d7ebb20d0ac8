'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import type { ActionState } from '@/lib/action-result';
import { runAction, withValues } from '@/server/http/action';
import { createUser } from '@/server/services/users/create-user';
import { inviteUser, revokeInvite } from '@/server/services/users/invites';
import { resetUserPassword } from '@/server/services/users/passwords';
import { setUserActive } from '@/server/services/users/set-user-active';
import { updateUserRole } from '@/server/services/users/update-user-role';

const PAGE = '/settings/users';

async function origin() {
  const h = await headers();
  return `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost:3000'}`;
}

export async function inviteAction(_prev: ActionState<{ email: string; link: string }>, formData: FormData): Promise<ActionState<{ email: string; link: string }>> {
  const result = await runAction((ctx) => inviteUser(ctx, { email: formData.get('email'), role: formData.get('role') }));
  if (!result.ok) return withValues(result, formData, ['email', 'role']);
  revalidatePath(PAGE);
  return { ok: true, data: { email: result.data.invite.email, link: `${await origin()}${result.data.path}` } };
}

export async function createUserAction(_prev: ActionState<{ email: string; password: string }>, formData: FormData): Promise<ActionState<{ email: string; password: string }>> {
  const result = await runAction((ctx) => createUser(ctx, { email: formData.get('email'), name: formData.get('name'), role: formData.get('role') }));
  if (!result.ok) return withValues(result, formData, ['email', 'name', 'role']);
  revalidatePath(PAGE);
  return { ok: true, data: { email: result.data.user.email, password: result.data.generatedPassword ?? '' } };
}

export async function changeRoleAction(userId: string, role: string): Promise<ActionState> {
  const result = await runAction(async (ctx) => void (await updateUserRole(ctx, { userId, role })));
  revalidatePath(PAGE);
  return result;
}

export async function setActiveAction(userId: string, isActive: boolean): Promise<ActionState> {
  const result = await runAction(async (ctx) => void (await setUserActive(ctx, { userId }, isActive)));
  revalidatePath(PAGE);
  return result;
}

export async function resetPasswordAction(userId: string): Promise<ActionState<{ email: string; password: string }>> {
  return runAction((ctx) => resetUserPassword(ctx, { userId }));
}

export async function revokeInviteAction(inviteId: string): Promise<ActionState> {
  const result = await runAction(async (ctx) => void (await revokeInvite(ctx, inviteId)));
  revalidatePath(PAGE);
  return result;
}
