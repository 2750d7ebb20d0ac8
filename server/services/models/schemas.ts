import 'server-only';
import { z } from 'zod';
import { APPROVAL_STATUSES } from '@/lib/models';

export const registerModelInput = z.strictObject({
  runId: z.string().trim().min(1, 'is required'),
  /** Why this version is proposed; shown on the timeline. */
  comment: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
});

const comment = z.string().trim().min(3, 'is required (at least 3 characters): say why').max(2000, 'must be at most 2000 characters');

export const decideModelInput = z.strictObject({
  decision: z.enum(['approve', 'reject'], 'must be "approve" or "reject"'),
  comment,
  /** Required to approve a version that fails a KPI gate: the written reason for the exception. */
  overrideReason: z.string().trim().min(10, 'must explain the exception in at least 10 characters').max(2000, 'must be at most 2000 characters').optional(),
});

export const listModelsInput = z.strictObject({
  status: z.enum(APPROVAL_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
