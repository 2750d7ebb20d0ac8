import 'server-only';
import { LOCAL_EQUIVALENT_STACK, STACKS, type StackConfig } from '@/lib/infra-config';
import { estimateStack, type PriceTable } from '@/lib/infra-estimate';
import { LOCAL_EQUIVALENT_INSTANCE, PRICES, trainingCostUsd } from '@/server/costs/prices';
import type { CostLine, CostSourcePort, DayUsage } from './port';

/**
 * The local twin of the bill: measured usage × the AWS price table, as if the
 * workload ran on the `dev` stack (lib/infra-config.ts) in ap-southeast-1.
 *
 * - training: each run that finished that day, at SageMaker's per-second price for
 *   its instance (local runs: ml.m5.large, the size of these machines);
 * - inference: instance-hours of each deployment × one replica's share of an EKS
 *   node (its CPU/memory requests over the node's size);
 * - storage: bytes in storage × S3 Standard per GB-month, for the hours covered;
 * - data transfer: an estimate of response bytes (see RESPONSE_BYTES) × data out per GB;
 * - control plane: the always-on part of the stack estimate (EKS, NAT, load
 *   balancer, database, logs, the nodes' capacity beyond inference) per hour covered.
 */

/**
 * Response bytes sent per request and per basket answered: a single prediction's
 * JSON is ~200 bytes, its HTTP headers ~250, with TLS/ALB framing ~750 in all.
 * The per-request share is counted once for a batch. An estimate, documented in README.
 */
export const RESPONSE_BYTES = { perRequest: 600, perPrediction: 150 } as const;
const GIB = 1024 ** 3;

export type CostModelOptions = { stack?: StackConfig; prices?: PriceTable };

const usd = (n: number) => Math.round(n * 1e6) / 1e6;

/** Price one day's usage. Pure: the same usage always gives the same lines. */
export function priceDay(usage: DayUsage, opts: CostModelOptions = {}): CostLine[] {
  const stack = opts.stack ?? STACKS[LOCAL_EQUIVALENT_STACK];
  const prices = opts.prices ?? PRICES;
  const estimate = estimateStack(stack, prices);
  const { day } = usage;
  const lines: CostLine[] = [];

  for (const run of usage.runs) {
    const priced = trainingCostUsd(run.instanceType, run.durationMs);
    const amount = run.recordedCostUsd ?? priced ?? trainingCostUsd(LOCAL_EQUIVALENT_INSTANCE, run.durationMs) ?? 0;
    lines.push({
      day, component: 'training', amountUsd: usd(amount), usageQuantity: run.durationMs / 3_600_000, usageUnit: 'instance-hours',
      runId: run.runId, modelVersionId: run.modelVersionId,
      details: { runNumber: run.runNumber, instanceType: run.instanceType, durationMs: run.durationMs, ...(priced === null && run.recordedCostUsd === null ? { pricedAs: LOCAL_EQUIVALENT_INSTANCE } : {}) },
    });
  }

  for (const use of usage.inference) {
    if (use.instanceHours <= 0) continue;
    lines.push({
      day, component: 'inference', amountUsd: usd(use.instanceHours * estimate.inferencePerReplicaHourUsd), usageQuantity: use.instanceHours, usageUnit: 'instance-hours',
      deploymentId: use.deploymentId, modelVersionId: use.modelVersionId,
      details: { ...use.details, perInstanceHourUsd: estimate.inferencePerReplicaHourUsd, node: estimate.inferenceNode.instanceType, nodeShare: estimate.inferenceNode.share, stack: stack.name },
    });
  }

  if (usage.storage && usage.hoursCovered > 0) {
    const gib = usage.storage.bytes / GIB;
    const amount = (gib * prices.s3StandardPerGbMonth * usage.hoursCovered) / (usage.daysInMonth * 24);
    lines.push({
      day, component: 'storage', amountUsd: usd(amount), usageQuantity: gib, usageUnit: 'GB',
      details: { ...usage.storage, hoursCovered: usage.hoursCovered, perGbMonthUsd: prices.s3StandardPerGbMonth },
    });
  }

  for (const p of usage.predictions) {
    if (p.count <= 0) continue;
    const requests = Math.min(p.count, p.requests);
    const bytes = requests * RESPONSE_BYTES.perRequest + p.count * RESPONSE_BYTES.perPrediction;
    lines.push({
      day, component: 'data_transfer', amountUsd: usd((bytes / GIB) * prices.dataTransferOutPerGb), usageQuantity: bytes / GIB, usageUnit: 'GB',
      deploymentId: p.deploymentId, modelVersionId: p.modelVersionId,
      details: { predictions: p.count, requests, estimatedBytes: bytes, perGbUsd: prices.dataTransferOutPerGb },
    });
  }

  if (usage.hoursCovered > 0) {
    lines.push({
      day, component: 'control_plane', amountUsd: usd(estimate.controlPlanePerHourUsd * usage.hoursCovered), usageQuantity: usage.hoursCovered, usageUnit: 'hours',
      details: { stack: stack.name, perHourUsd: estimate.controlPlanePerHourUsd, items: estimate.lines.filter((l) => l.component === 'control_plane').map((l) => l.item) },
    });
  }
  return lines;
}

/** The cost model as a cost source: free to ask, so every recording recomputes. */
export function createCostModel(opts: CostModelOptions = {}): CostSourcePort {
  const stack = opts.stack ?? STACKS[LOCAL_EQUIVALENT_STACK];
  const prices = opts.prices ?? PRICES;
  return {
    kind: 'cost_model',
    where: `cost model: measured usage × AWS ${prices.region} list prices of ${prices.asOf}, as the ${stack.name} stack`,
    refreshMs: 0,
    dailyCosts: async (days) => days.flatMap((usage) => priceDay(usage, { stack, prices })),
  };
}
