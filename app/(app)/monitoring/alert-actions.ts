'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionState } from '@/lib/action-result';
import { runAction } from '@/server/http/action';
import { describeEvaluation } from '@/lib/alerts';
import { AppError } from '@/server/errors';
import { evaluateAlertsNow } from '@/server/services/alerts/evaluate-alerts-now';
import { updateAlertRule } from '@/server/services/alerts/update-alert-rule';
import type { AlertRuleView } from '@/server/services/alerts/read-alerts';

/* Shape checks only: the service checks the permission (alerts:write) and validates every field. */
const id = z.string().trim().min(1).max(64);
const body = z.record(z.string(), z.unknown());

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('VALIDATION', 'The form sent something unexpected; reload the page and try again.');
  return result.data;
}

/** Change a rule from the Monitoring page: threshold, window, webhook, or enable/disable. */
export async function updateAlertRuleAction(ruleId: string, input: unknown): Promise<ActionState<AlertRuleView>> {
  const result = await runAction((ctx) => updateAlertRule(ctx, parsed(id, ruleId), parsed(body, input)));
  if (result.ok) {
    revalidatePath('/monitoring');
    revalidatePath('/');
  }
  return result;
}

/** "Evaluate now": the worker's minute evaluation at once, e.g. right after changing a threshold (alerts:write; audited). */
export async function evaluateAlertsNowAction(): Promise<ActionState<{ message: string }>> {
  const result = await runAction(async (ctx) => ({ message: describeEvaluation(await evaluateAlertsNow(ctx)) }));
  if (result.ok) {
    revalidatePath('/monitoring');
    revalidatePath('/');
  }
  return result;
}
