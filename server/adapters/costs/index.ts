import 'server-only';
import type { Env } from '@/server/env';
import { createCostExplorerSource } from './cost-explorer';
import { createCostModel } from './cost-model';
import type { CostSourcePort } from './port';

export type { CostLine, CostSourcePort, DayUsage } from './port';
export { CostSourceError } from './port';
export { createCostModel } from './cost-model';

/**
 * Where the cost totals come from: COST_SOURCE=model (the default locally) prices
 * measured usage with the AWS price table; cost_explorer (the default when
 * TRAINING_BACKEND=sagemaker) reads the bill for resources tagged
 * COST_TAG_KEY=COST_TAG_VALUE. Credentials come from the SDK's default chain.
 */
export function createCostSource(env: Env): CostSourcePort {
  const mode = env.COST_SOURCE ?? (env.TRAINING_BACKEND === 'sagemaker' ? 'cost_explorer' : 'model');
  if (mode === 'model') return createCostModel();
  return createCostExplorerSource({ tagKey: env.COST_TAG_KEY, tagValue: env.COST_TAG_VALUE, endpoint: env.COST_EXPLORER_ENDPOINT });
}
