import { z } from 'zod';

/**
 * What the control plane and the trainer container agree on: the hyperparameters
 * a job is started with (SageMaker passes them as strings, in
 * /opt/ml/input/config/hyperparameters.json) and the log lines the container
 * prints, which the job's metric definitions turn into SageMaker metrics.
 * Pure (no Node or SDK imports), so the container and the unit tests use it as is.
 */
export type TrainerHyperparameters = {
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  runId: string;
  /** Lineage recorded in the model artifact. */
  datasetVersionId: string;
  dataHash?: string;
};

export function encodeHyperparameters(hp: TrainerHyperparameters): Record<string, string> {
  return {
    algorithm: hp.algorithm,
    params: JSON.stringify(hp.params),
    seed: String(hp.seed),
    run_id: hp.runId,
    dataset_version_id: hp.datasetVersionId,
    ...(hp.dataHash ? { data_hash: hp.dataHash } : {}),
  };
}

const paramsJson = z.string().transform((text, ctx) => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: `must be a JSON object (got ${JSON.stringify(text.slice(0, 80))})` });
  return z.NEVER;
});

const hyperparametersSchema = z.object({
  algorithm: z.string().min(1, 'is required'),
  params: paramsJson.default({}),
  seed: z.string().regex(/^\d+$/, 'must be a whole number ≥ 0').transform(Number).default(42),
  run_id: z.string().min(1, 'is required'),
  dataset_version_id: z.string().min(1, 'is required'),
  data_hash: z.string().optional(),
});

/** Parse hyperparameters.json's content; throws an Error naming every bad field. */
export function parseHyperparameters(raw: unknown): TrainerHyperparameters {
  const result = hyperparametersSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(hyperparameters)'} ${i.message}`);
    throw new Error(`Invalid hyperparameters: ${problems.join('; ')}`);
  }
  const h = result.data;
  return { algorithm: h.algorithm, params: h.params, seed: h.seed, runId: h.run_id, datasetVersionId: h.dataset_version_id, ...(h.data_hash ? { dataHash: h.data_hash } : {}) };
}

/**
 * Metrics the container prints as `name=value` pairs. `\b` keeps "accuracy" from
 * matching inside "row_accuracy"; values are printed in fixed notation so the
 * number pattern never meets an exponent.
 */
export const METRIC_NAMES = ['accuracy', 'macro_f1', 'weighted_f1', 'log_loss', 'train_loss', 'validation_loss'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export const METRIC_DEFINITIONS: { Name: MetricName; Regex: string }[] = METRIC_NAMES.map((name) => ({ Name: name, Regex: `\\b${name}=([0-9.]+)` }));

export function formatMetricLine(values: Partial<Record<MetricName, number>>, prefix = ''): string {
  const pairs = METRIC_NAMES.filter((n) => Number.isFinite(values[n])).map((n) => `${n}=${values[n]!.toFixed(6)}`);
  return `${prefix}${pairs.join(' ')}`;
}
