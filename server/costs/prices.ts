/**
 * AWS on-demand prices (USD) for ap-southeast-1 (Singapore), used to estimate
 * what work would cost on AWS — for local runs too, so teams see the bill before
 * they move. Approximate list prices written down on PRICES_AS_OF; check
 * https://aws.amazon.com/sagemaker/pricing/ before budgeting on them.
 */
export const PRICES_AS_OF = '2026-11-26';
export const PRICE_REGION = 'ap-southeast-1';

/** SageMaker training instances, USD per hour. */
export const SAGEMAKER_TRAINING_PER_HOUR: Record<string, number> = {
  'ml.m5.large': 0.134,
  'ml.m5.xlarge': 0.269,
  'ml.m5.2xlarge': 0.538,
  'ml.c5.xlarge': 0.235,
  'ml.c5.2xlarge': 0.47,
};

/** The instance a local run is priced as: 2 vCPUs and 8 GB, like the machines this runs on. */
export const LOCAL_EQUIVALENT_INSTANCE = 'ml.m5.large';

/** SageMaker bills training per second with a one-minute minimum. */
export function trainingCostUsd(instanceType: string, durationMs: number): number | null {
  const perHour = SAGEMAKER_TRAINING_PER_HOUR[instanceType];
  if (perHour === undefined) return null;
  const seconds = Math.max(60, durationMs / 1000);
  return Math.round(((perHour * seconds) / 3600) * 1e6) / 1e6;
}
