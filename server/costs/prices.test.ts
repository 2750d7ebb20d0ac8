import { describe, expect, it } from 'vitest';
import { INFRA_MONTHLY_TARGET_USD, STACKS } from '@/lib/infra-config';
import { estimateStack } from '@/lib/infra-estimate';
import { LOCAL_EQUIVALENT_INSTANCE, PRICES, PRICES_AS_OF, SAGEMAKER_TRAINING_PER_HOUR, trainingCostUsd } from './prices';

describe('trainingCostUsd', () => {
  it('bills per second with a one-minute minimum, at the instance price', () => {
    const perHour = SAGEMAKER_TRAINING_PER_HOUR['ml.m5.large']!;
    expect(trainingCostUsd('ml.m5.large', 3_600_000)).toBeCloseTo(perHour, 6);
    expect(trainingCostUsd('ml.m5.large', 1_000)).toBeCloseTo(perHour / 60, 6);
    expect(trainingCostUsd('ml.m5.large', 90_000)).toBeCloseTo((perHour * 90) / 3600, 6);
  });
  it('is unknown (null) for an instance type without a price', () => {
    expect(trainingCostUsd('ml.p99.huge', 60_000)).toBeNull();
  });
  it('prices the local equivalent instance', () => {
    expect(trainingCostUsd(LOCAL_EQUIVALENT_INSTANCE, 60_000)).toBeGreaterThan(0);
  });
});

describe('the ap-southeast-1 price table', () => {
  it('is dated and names its region', () => {
    expect(PRICES.asOf).toBe(PRICES_AS_OF);
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.region).toBe('ap-southeast-1');
  });

  it('prices every node type and database class the stacks use', () => {
    for (const stack of Object.values(STACKS)) {
      expect(PRICES.ec2[stack.eks.nodeInstanceType], stack.eks.nodeInstanceType).toBeDefined();
      expect(PRICES.rdsPostgres[stack.rds.instanceClass], stack.rds.instanceClass).toBeDefined();
    }
  });

  it('holds positive prices only, with node sizes', () => {
    const numbers = Object.entries(PRICES).filter(([, v]) => typeof v === 'number') as [string, number][];
    for (const [name, value] of numbers) expect(value, name).toBeGreaterThan(0);
    for (const [type, node] of Object.entries(PRICES.ec2)) {
      expect(node.perHour, type).toBeGreaterThan(0);
      expect(node.vcpu, type).toBeGreaterThanOrEqual(2);
      expect(node.memoryGiB, type).toBeGreaterThanOrEqual(2);
    }
    for (const [cls, perHour] of Object.entries(PRICES.rdsPostgres)) expect(perHour, cls).toBeGreaterThan(0);
  });

  it('keeps the price ladders in order (a bigger size never costs less)', () => {
    expect(PRICES.ec2['t3.medium']!.perHour).toBe(2 * PRICES.ec2['t3.small']!.perHour);
    expect(PRICES.ec2['m5.xlarge']!.perHour).toBe(2 * PRICES.ec2['m5.large']!.perHour);
    expect(PRICES.rdsPostgres['db.t4g.small']!).toBe(2 * PRICES.rdsPostgres['db.t4g.micro']!);
    expect(PRICES.rdsPostgres['db.t4g.medium']!).toBeGreaterThan(PRICES.rdsPostgres['db.t4g.small']!);
  });
});

describe('the stacks at these prices', () => {
  it('dev fits the $500 a month target; prod is dearer', () => {
    const dev = estimateStack(STACKS.dev, PRICES);
    const prod = estimateStack(STACKS.prod, PRICES);
    expect(dev.monthlyUsd).toBeLessThan(INFRA_MONTHLY_TARGET_USD);
    expect(prod.monthlyUsd).toBeGreaterThan(dev.monthlyUsd);
    expect(dev.lines.find((l) => l.item === 'EKS control plane')?.monthlyUsd).toBe(73);
    expect(dev.inferencePerReplicaHourUsd).toBeCloseTo(0.0528 / 4, 6);
  });
});
