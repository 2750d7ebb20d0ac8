'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionState } from '@/lib/action-result';
import { AppError } from '@/server/errors';
import { runAction } from '@/server/http/action';
import { updateRetrainSetting } from '@/server/services/retrain/update-retrain-setting';

/* Only the shape is checked here; the service validates every field and names the offending one. */
const name = z.string().trim().min(1).max(120);
const body = z.record(z.string(), z.unknown());

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('VALIDATION', 'The form sent something unexpected; reload the page and try again.');
  return result.data;
}

export async function updateRetrainAction(dataset: string, input: unknown): Promise<ActionState<{ enabled: boolean }>> {
  const result = await runAction(async (ctx) => {
    const view = await updateRetrainSetting(ctx, parsed(name, dataset), parsed(body, input));
    return { enabled: view.enabled };
  });
  if (result.ok) revalidatePath(`/datasets/${encodeURIComponent(dataset)}`);
  return result;
}
