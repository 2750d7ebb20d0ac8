'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/action-result';
import { runAction, withValues } from '@/server/http/action';
import { createApiKey } from '@/server/services/api-keys/create-api-key';
import { revokeApiKey } from '@/server/services/api-keys/revoke-api-key';

export type CreatedKey = { id: string; name: string; secret: string; scopes: string[] };

export async function createKeyAction(_prev: ActionState<CreatedKey>, formData: FormData): Promise<ActionState<CreatedKey>> {
  const days = formData.get('expiresInDays');
  const result = await runAction((ctx) =>
    createApiKey(ctx, {
      name: formData.get('name'),
      scopes: formData.getAll('scopes'),
      ...(days ? { expiresInDays: Number(days) } : {}),
    }),
  );
  if (!result.ok) return withValues(result, formData, ['name', 'expiresInDays']);
  revalidatePath('/settings/api-keys');
  const { id, name, secret, scopes } = result.data;
  return { ok: true, data: { id, name, secret, scopes } };
}

export async function revokeKeyAction(keyId: string): Promise<ActionState> {
  const result = await runAction(async (ctx) => {
    await revokeApiKey(ctx, keyId);
    return undefined;
  });
  if (result.ok) revalidatePath('/settings/api-keys');
  return result;
}
