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
