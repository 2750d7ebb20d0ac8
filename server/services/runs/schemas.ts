import 'server-only';
import { z } from 'zod';
import { ALGORITHMS } from '@/ml/estimators';

const paramValue = z.union([z.number(), z.string().max(100), z.boolean()]);

export const tagSchema = z.string().trim().min(1, 'is empty').max(40, 'must be at most 40 characters').regex(/^[\w.:/-]+$/, 'may use letters, digits, "_", ".", ":", "/" and "-"');

export const launchRunInput = z.strictObject({
  /** A dataset version id, a dataset name (its latest ready version) or "name@N" / "name:vN". */
  dataset: z.string().trim().min(1, 'is required').max(120),
  algorithm: z.string().trim().min(1).max(40).optional(),
  params: z.record(z.string().max(60), paramValue).default({}),
  seed: z.number().int('must be a whole number').min(0, 'must be ≥ 0').max(2 ** 31 - 1).default(42),
  name: z.string().trim().max(120, 'must be at most 120 characters').optional(),
  tags: z.array(tagSchema).max(20, 'at most 20 tags').default([]),
  /** Attempts in all, counting the first: a run whose worker dies is re-queued until it has used them. */
  maxAttempts: z.number().int().min(1, 'must be ≥ 1').max(5, 'must be ≤ 5').default(2),
  backend: z.enum(['local', 'sagemaker']).optional(),
});
export type LaunchRunInput = z.input<typeof launchRunInput>;

export const RUN_SORT_FIELDS = ['createdAt', 'accuracy', 'macroF1', 'durationMs', 'number'] as const;
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export const listRunsInput = z.strictObject({
  status: z.enum(RUN_STATUSES).optional(),
  algorithm: z.enum(ALGORITHMS).optional(),
  datasetVersionId: z.string().max(40).optional(),
  dataset: z.string().max(120).optional(),
  tag: z.string().max(40).optional(),
  sweepId: z.string().max(40).optional(),
  q: z.string().trim().max(120).optional(),
  sort: z.enum(RUN_SORT_FIELDS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListRunsInput = z.input<typeof listRunsInput>;

export const SWEEP_METRICS = ['macro_f1', 'accuracy'] as const;

const rangeSpec = z.strictObject({ min: z.number(), max: z.number(), log: z.boolean().optional() });

export const launchSweepInput = z.strictObject({
  dataset: z.string().trim().min(1, 'is required').max(120),
  algorithm: z.string().trim().min(1).max(40).optional(),
  name: z.string().trim().max(120).optional(),
  strategy: z.enum(['grid', 'random']),
  /** grid: { param: [values…] }; random: { param: { min, max, log? } } or { param: [choices…] }. */
  space: z.record(z.string().max(60), z.union([z.array(paramValue).min(1, 'needs at least one value').max(50), rangeSpec])).refine((s) => Object.keys(s).length > 0, 'choose at least one parameter to search'),
  baseParams: z.record(z.string().max(60), paramValue).default({}),
  budget: z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(200, 'must be ≤ 200'),
  concurrency: z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(16, 'must be ≤ 16').default(2),
  metric: z.enum(SWEEP_METRICS).default('macro_f1'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  tags: z.array(tagSchema).max(20).default([]),
});
export type LaunchSweepInput = z.input<typeof launchSweepInput>;
