'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionState } from '@/lib/action-result';
import { runAction } from '@/server/http/action';
import { AppError } from '@/server/errors';
import { cancelRun } from '@/server/services/runs/cancel-run';
import { launchRun } from '@/server/services/runs/launch-run';
import { retryRun } from '@/server/services/runs/retry-run';
import { cancelSweep, launchSweep } from '@/server/services/runs/sweeps';

/*
 * The launch forms are generated from parameter schemas, so they send a JSON object
 * rather than FormData. The shape is checked here; the service validates every field
 * (ranges, known parameters, dataset readiness) and names the offending one.
 */
const body = z.record(z.string(), z.unknown());
const id = z.string().trim().min(1).max(40);

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('VALIDATION', 'The form sent something unexpected; reload the page and try again.');
  return result.data;
}

export async function launchRunAction(input: unknown): Promise<ActionState<{ id: string; number: number }>> {
  const result = await runAction(async (ctx) => {
    const run = await launchRun(ctx, parsed(body, input));
    return { id: run.id, number: run.number };
  });
  if (result.ok) revalidatePath('/runs');
  return result;
}

export async function launchSweepAction(input: unknown): Promise<ActionState<{ id: string; runs: number }>> {
  const result = await runAction(async (ctx) => {
    const sweep = await launchSweep(ctx, parsed(body, input));
    return { id: sweep.id, runs: sweep.runs };
  });
  if (result.ok) revalidatePath('/runs');
  return result;
}

export async function cancelRunAction(runId: string): Promise<ActionState<{ status: string }>> {
  const result = await runAction(async (ctx) => {
    const run = await cancelRun(ctx, parsed(id, runId));
    return { status: run.status };
  });
  if (result.ok) revalidatePath('/runs');
  return result;
}

export async function retryRunAction(runId: string): Promise<ActionState<{ status: string }>> {
  const result = await runAction(async (ctx) => {
    const run = await retryRun(ctx, parsed(id, runId));
    return { status: run.status };
  });
  if (result.ok) revalidatePath('/runs');
  return result;
}

export async function cancelSweepAction(sweepId: string): Promise<ActionState> {
  const result = await runAction(async (ctx) => {
    await cancelSweep(ctx, parsed(id, sweepId));
    return undefined;
  });
  if (result.ok) revalidatePath(`/runs/sweeps/${sweepId}`);
  return result;
}
