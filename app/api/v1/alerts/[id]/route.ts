import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { deleteAlertRule } from '@/server/services/alerts/delete-alert-rule';
import { updateAlertRule } from '@/server/services/alerts/update-alert-rule';

export const dynamic = 'force-dynamic';

/** Change a rule: any of { name, comparator, threshold, windowMinutes, isEnabled, webhookUrl }. Write scope (alerts:write). */
export const PATCH = apiRoute<{ id: string }>(async (req, ctx) => updateAlertRule(ctx, ctx.params.id, await readJson(req, z.record(z.string(), z.unknown()))));

/** Delete a rule and its alert history (the audit log keeps what it was). */
export const DELETE = apiRoute<{ id: string }>(async (_req, ctx) => deleteAlertRule(ctx, ctx.params.id));
