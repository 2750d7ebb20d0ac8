'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionState } from '@/lib/action-result';
import { runAction } from '@/server/http/action';
import { AppError } from '@/server/errors';
import { rollbackDeployment } from '@/server/services/deployments/deploy-model';
import { sampleTryBasket, tryPrediction } from '@/server/services/deployments/try-prediction';

/* Shape checks only: the services validate the deployment name, target version and comment. */
const name = z.string().trim().min(1).max(60);
const body = z.record(z.string(), z.unknown());

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('VALIDATION', 'The form sent something unexpected; reload the page and try again.');
  return result.data;
}

export type RolledBack = { deployment: string; model: string; previous: string | null };

export async function rollbackAction(deployment: string, input: unknown): Promise<ActionState<RolledBack>> {
  const result = await runAction(async (ctx) => {
    const done = await rollbackDeployment(ctx, parsed(name, deployment), parsed(body, input));
    return { deployment: done.deployment, model: done.model, previous: done.previous };
  });
  if (result.ok) {
    revalidatePath('/deployments');
    revalidatePath('/models', 'layout');
  }
  return result;
}

export type SampledBasket = { basket: unknown; trueLabel: string | null; dataset: string };

export async function sampleBasketAction(deployment: string): Promise<ActionState<SampledBasket>> {
  return runAction(async (ctx) => {
    const sample = await sampleTryBasket(ctx, parsed(name, deployment));
    return { basket: sample.basket, trueLabel: sample.trueLabel, dataset: sample.dataset };
  });
}

export type TryAnswer = { url: string; status: number; roundTripMs: number; body: unknown };

export async function tryPredictionAction(deployment: string, basket: unknown): Promise<ActionState<TryAnswer>> {
  return runAction((ctx) => tryPrediction(ctx, parsed(name, deployment), { basket }));
}
