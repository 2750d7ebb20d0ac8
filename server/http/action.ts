import 'server-only';
import { randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/action-result';
import { contextFor, getSessionActor } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { logger } from '@/server/logger';
import type { ServiceContext } from '@/server/services/context';

/**
 * The body of every server action. A server action is a public POST endpoint, so
 * this authenticates first, then runs one service call (which validates input and
 * checks the permission), and maps failures to a result the form can show.
 */
export async function runAction<T>(fn: (ctx: ServiceContext) => Promise<T>): Promise<ActionResult<T>> {
  const actor = await getSessionActor();
  if (!actor) return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Your session has ended. Sign in again.' } };
  let ctx: ServiceContext | null = null;
  try {
    ctx = await contextFor(actor);
    return { ok: true, data: await fn(ctx) };
  } catch (error) {
    return { ok: false, error: toActionError(error, ctx?.requestId ?? randomUUID()) };
  }
}

export function toActionError(error: unknown, requestId: string) {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, ...(error.details?.fields ? { fields: error.details.fields } : {}) };
  }
  logger.error({ err: error, requestId }, 'unhandled error in server action');
  return { code: 'INTERNAL', message: `Something went wrong on our side. If it happens again, report request id ${requestId}.` };
}

/** Keep the submitted text fields of a failed form (the UI shows them again). Never pass password fields. */
export function withValues<T>(result: ActionResult<T>, formData: FormData, fields: string[]): ActionResult<T> {
  if (result.ok) return result;
  const values = Object.fromEntries(fields.map((f) => [f, String(formData.get(f) ?? '')]));
  return { ...result, values };
}
