'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/action-result';
import { runAction, withValues } from '@/server/http/action';
import { setBudget } from '@/server/services/costs/budget';

/** Admins: the monthly budget. The service checks the role, validates the amount and writes the audit event. */
export async function setBudgetAction(_prev: ActionState<{ monthly_usd: number }>, formData: FormData): Promise<ActionState<{ monthly_usd: number }>> {
  // "$1,200" and "1200" both mean 1200; anything else reaches the schema as text and is refused by name.
  const raw = String(formData.get('monthly_usd') ?? '').replace(/[$,\s]/g, '');
  const amount = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  const result = await runAction(async (ctx) => ({ monthly_usd: (await setBudget(ctx, { monthly_usd: amount })).monthly_usd }));
  if (result.ok) revalidatePath('/costs');
  return withValues(result, formData, ['monthly_usd']);
}
