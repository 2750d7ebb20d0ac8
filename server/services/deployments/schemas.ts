import 'server-only';
import { z } from 'zod';
import { DEPLOYMENT_NAME_PATTERN } from '@/lib/models';

export const deploymentName = z.string().trim().regex(DEPLOYMENT_NAME_PATTERN, 'must be lower-case letters, digits and dashes, starting with a letter (e.g. "production", "staging")');
const comment = z.string().trim().max(2000, 'must be at most 2000 characters').optional();

export const deployModelInput = z.strictObject({
  /** Version id, "v3" or "3". */
  model: z.string().trim().min(1, 'is required'),
  deployment: deploymentName.default('production'),
  comment,
});

export const rollbackInput = z.strictObject({
  /** The version to go back to; by default the one that served before the current one. */
  to: z.string().trim().min(1).optional(),
  comment,
});

/** Query of GET /api/v1/deployments/{name}/sample-baskets (strings from the URL, coerced). */
export const sampleBasketsInput = z.strictObject({
  count: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(20),
  seed: z.coerce.number().int('must be a whole number').min(0, 'must be ≥ 0').max(2 ** 31 - 1).default(1),
});
