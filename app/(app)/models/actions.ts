'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionState } from '@/lib/action-result';
import { runAction } from '@/server/http/action';
import { AppError } from '@/server/errors';
import { deployModel } from '@/server/services/deployments/deploy-model';
import { decideModel } from '@/server/services/models/decide-model';
import { updateGateThresholds } from '@/server/services/models/kpi-gate-settings';
import { registerModel } from '@/server/services/models/register-model';

/*
 * The panels send plain objects. Only the shape is checked here; the services
 * validate every field (comment length, override reason, deployment name) and
 * name the offending one, which the panels pin to their fields.
 */
const id = z.string().trim().min(1).max(60);
const body = z.record(z.string(), z.unknown());

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('VALIDATION', 'The form sent something unexpected; reload the page and try again.');
  return result.data;
}

export type RegisteredModel = { id: string; version: number; gatesPassed: boolean };

export async function registerModelAction(runId: string, comment?: string): Promise<ActionState<RegisteredModel>> {
  const result = await runAction(async (ctx) => {
    const model = await registerModel(ctx, { runId: parsed(id, runId), ...(comment?.trim() ? { comment } : {}) });
    return { id: model.id, version: model.version, gatesPassed: model.gatesPassed };
  });
  if (result.ok) {
    revalidatePath('/models');
    revalidatePath('/runs');
  }
  return result;
}

export async function decideModelAction(modelVersionId: string, input: unknown): Promise<ActionState<{ status: string; override: boolean }>> {
  const result = await runAction(async (ctx) => {
    const decided = await decideModel(ctx, parsed(id, modelVersionId), parsed(body, input));
    return { status: decided.status, override: decided.override };
  });
  if (result.ok) revalidatePath('/models', 'layout');
  return result;
}

export async function deployModelAction(input: unknown): Promise<ActionState<{ deployment: string; model: string; previous: string | null }>> {
  const result = await runAction(async (ctx) => {
    const deployed = await deployModel(ctx, parsed(body, input));
    return { deployment: deployed.deployment, model: deployed.model, previous: deployed.previous };
  });
  if (result.ok) {
    revalidatePath('/models', 'layout');
    revalidatePath('/deployments');
  }
  return result;
}

export async function updateGatesAction(input: unknown): Promise<ActionState<{ accuracy: number; macroF1: number; minClassPrecision: number }>> {
  const result = await runAction((ctx) => updateGateThresholds(ctx, parsed(body, input)));
  if (result.ok) revalidatePath('/models');
  return result;
}
