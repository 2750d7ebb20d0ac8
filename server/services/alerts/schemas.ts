import 'server-only';
import { z } from 'zod';
import { ALERT_KIND_INFO, ALERT_KINDS, COMPARATORS, formatAlertValue, type AlertKind } from '@/lib/alerts';
import { deploymentName } from '../deployments/schemas';

/** An http(s) URL the worker can POST to; empty or null clears it. */
const webhookUrl = z
  .union([z.literal(''), z.null(), z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000, 'must be at most 2000 characters')])
  .transform((v) => (v ? v : null));

const windowMinutes = z.number({ error: 'must be a number of minutes' }).int('must be a whole number of minutes').min(1, 'must be at least 1 minute').max(43_200, 'must be at most 30 days (43200 minutes)');
const threshold = z.number({ error: 'must be a number' }).refine(Number.isFinite, 'must be a finite number');
const name = z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');

export const createRuleSchema = z.strictObject({
  kind: z.enum(ALERT_KINDS, { error: `must be one of ${ALERT_KINDS.join(', ')}` }),
  /** Required for deployment kinds; must be absent for the global cost rule. */
  deployment: deploymentName.optional(),
  name: name.optional(),
  comparator: z.enum(COMPARATORS, { error: `must be one of ${COMPARATORS.join(' ')}` }).optional(),
  threshold: threshold.optional(),
  windowMinutes: windowMinutes.optional(),
  isEnabled: z.boolean({ error: 'must be true or false' }).optional(),
  webhookUrl: webhookUrl.optional(),
});

export const updateRuleSchema = z
  .strictObject({
    name: name.optional(),
    comparator: z.enum(COMPARATORS, { error: `must be one of ${COMPARATORS.join(' ')}` }).optional(),
    threshold: threshold.optional(),
    windowMinutes: windowMinutes.optional(),
    isEnabled: z.boolean({ error: 'must be true or false' }).optional(),
    webhookUrl: webhookUrl.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change: send at least one of name, comparator, threshold, windowMinutes, isEnabled, webhookUrl', path: [] });

/** The threshold's valid range for the kind, as a field issue (null when fine). */
export function thresholdProblem(kind: AlertKind, value: number): string | null {
  const info = ALERT_KIND_INFO[kind];
  if (value < info.min || value > info.max) {
    const unitNote = info.unit === 'ratio' ? ' (a share between 0 and 1, e.g. 0.01 for 1%)' : info.unit === 'budget_share' ? ' (a share of the budget, e.g. 1 for 100%)' : '';
    return `must be between ${formatAlertValue(kind, info.min)} and ${formatAlertValue(kind, info.max)} for ${info.label.toLowerCase()}${unitNote}`;
  }
  return null;
}
