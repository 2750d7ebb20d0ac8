import { describe, expect, it } from 'vitest';
import { STACKS, type StackConfig } from './infra-config';
import { estimateStack, HOURS_PER_MONTH, inferenceShare, InfraConfigError, type PriceTable } from './infra-estimate';

// Round prices so every expected amount can be checked by hand; the real, dated
// table is tested against the stacks in server/costs/prices.test.ts.
const PRICES: PriceTable = {
  asOf: '2026-01-01', region: 'test-region-1',
  ec2: { 't3.medium': { perHour: 0.04, vcpu: 2, memoryGiB: 4 }, 'm5.large': { perHour: 0.1, vcpu: 2, memoryGiB: 8 } },
  ebsGp3PerGbMonth: 0.1, eksControlPlanePerHour: 0.1, natGatewayPerHour: 0.05, natGatewayPerGb: 0.05, albPerHour: 0.02, albPerLcuHour: 0.01,
  publicIpv4PerHour: 0.005, vpcInterfaceEndpointPerAzHour: 0.01, rdsPostgres: { 'db.t4g.micro': 0.02, 'db.t4g.medium': 0.1 }, rdsStoragePerGbMonth: 0.1, s3StandardPerGbMonth: 0.02,
  dataTransferOutPerGb: 0.1, cloudwatchLogsIngestPerGb: 0.5, cloudwatchLogsStoragePerGbMonth: 0.03, cloudwatchMetricPerMonth: 0.3, costExplorerPerRequest: 0.01,
};

const amount = (stack: ReturnType<typeof estimateStack>, item: string) => {
  const found = stack.lines.find((l) => l.item.startsWith(item));
  if (!found) throw new Error(`no line ${item} in ${stack.lines.map((l) => l.item).join(', ')}`);
  return found.monthlyUsd;
};

describe('estimateStack', () => {
  const dev = estimateStack(STACKS.dev, PRICES);
  const prod = estimateStack(STACKS.prod, PRICES);

  it('prices the dev stack line by line', () => {
    expect(amount(dev, 'EKS control plane')).toBe(73); // 730 h × 0.10
    expect(amount(dev, 'NAT gateway')).toBe(37.5); // 1 × 730 × 0.05 + 20 GB × 0.05
    expect(amount(dev, 'Application Load Balancer')).toBe(21.9); // 730 × 0.02 + 1 LCU × 730 × 0.01
    expect(amount(dev, 'RDS PostgreSQL db.t4g.micro')).toBe(16.6); // 730 × 0.02 + 20 GB × 0.10
    expect(amount(dev, 'Public IPv4')).toBe(10.95); // (1 NAT + 2 AZ) × 730 × 0.005
    expect(amount(dev, 'Node disks')).toBe(4); // 2 × 20 GB × 0.10
    expect(amount(dev, 'S3 storage')).toBe(1); // 50 GB × 0.02
    expect(amount(dev, 'Data transfer out')).toBe(1); // 10 GB × 0.10
    // 5 GB × 0.5 + 5 × 14/30 GB kept × 0.03 + 20 metrics × 0.3
    expect(amount(dev, 'CloudWatch')).toBe(Math.round((2.5 + 5 * (14 / 30) * 0.03 + 6) * 100) / 100);
    // Two t3.medium for a month: a quarter of one for the inference pod, the rest for everything else.
    expect(amount(dev, 'Inference pods')).toBe(7.3); // 1 × 0.25 × 0.04 × 730
    expect(amount(dev, 'EKS nodes: the rest')).toBe(51.1); // 2 × 0.04 × 730 − 7.3
  });

  it('adds the lines up', () => {
    for (const e of [dev, prod]) expect(e.monthlyUsd).toBeCloseTo(e.lines.reduce((s, l) => s + l.monthlyUsd, 0), 1);
    expect(dev).toMatchObject({ stack: 'dev', region: 'ap-southeast-1', pricesAsOf: '2026-01-01' });
  });

  it('makes prod dearer where its configuration says so: Multi-AZ doubles the database, a NAT gateway per AZ', () => {
    expect(amount(prod, 'RDS PostgreSQL db.t4g.medium Multi-AZ')).toBe(166); // 2 × (730 × 0.10 + 100 GB × 0.10)
    expect(amount(prod, 'NAT gateways')).toBe(75.5); // 2 × 730 × 0.05 + 50 GB × 0.05
    expect(amount(prod, 'Public IPv4')).toBe(14.6); // (2 NAT + 2 AZ) × 730 × 0.005
    expect(amount(prod, 'VPC interface endpoints')).toBe(58.4); // 4 endpoints × 2 AZ × 730 × 0.01
    expect(dev.lines.some((l) => l.item.startsWith('VPC interface endpoints'))).toBe(false); // dev has none: no $0 line
    expect(prod.monthlyUsd).toBeGreaterThan(dev.monthlyUsd);
  });

  it('charges per hour, as the control plane, everything always on except the inference pods, S3 and data out', () => {
    const always = dev.lines.filter((l) => l.component === 'control_plane').reduce((s, l) => s + l.monthlyUsd, 0);
    expect(dev.controlPlanePerHourUsd * HOURS_PER_MONTH).toBeCloseTo(always, 1);
    expect(dev.lines.filter((l) => l.component !== 'control_plane').map((l) => [l.item, l.component])).toEqual([
      ['Inference pods', 'inference'], ['S3 storage', 'storage'], ['Data transfer out', 'data_transfer'],
    ]);
  });

  it("prices an inference replica as its requests' share of a node", () => {
    // dev: 0.5 vCPU of 2 and 1 GiB of 4 → a quarter of a t3.medium.
    expect(inferenceShare(STACKS.dev, PRICES)).toEqual({ instanceType: 't3.medium', share: 0.25, perHour: 0.01 });
    expect(dev.inferencePerReplicaHourUsd).toBe(0.01);
    expect(dev.inferenceNode).toEqual({ instanceType: 't3.medium', share: 0.25 });
    // Memory decides when it is the larger share; never more than a whole node.
    const memoryHeavy: StackConfig = { ...STACKS.dev, inference: { ...STACKS.dev.inference, cpu: 0.25, memoryGiB: 3 } };
    expect(inferenceShare(memoryHeavy, PRICES).share).toBe(0.75);
    const huge: StackConfig = { ...STACKS.dev, inference: { ...STACKS.dev.inference, cpu: 8, memoryGiB: 64 } };
    expect(inferenceShare(huge, PRICES).share).toBe(1);
  });

  it('never charges the inference pods more than the nodes they run on', () => {
    const crowded: StackConfig = { ...STACKS.dev, inference: { ...STACKS.dev.inference, replicas: 12, cpu: 2, memoryGiB: 4 } };
    const e = estimateStack(crowded, PRICES);
    expect(amount(e, 'Inference pods')).toBe(58.4); // both nodes, no more
    expect(amount(e, 'EKS nodes: the rest')).toBe(0);
  });

  it('refuses a node type or database class the table does not price, naming it', () => {
    const badNode: StackConfig = { ...STACKS.dev, eks: { ...STACKS.dev.eks, nodeInstanceType: 'x9.mega' } };
    expect(() => estimateStack(badNode, PRICES)).toThrow(InfraConfigError);
    expect(() => estimateStack(badNode, PRICES)).toThrow(/x9\.mega/);
    expect(() => estimateStack({ ...STACKS.dev, rds: { ...STACKS.dev.rds, instanceClass: 'db.z1.huge' } }, PRICES)).toThrow(/db\.z1\.huge/);
  });

  it('writes down how each amount is made up', () => {
    expect(dev.lines.find((l) => l.item === 'EKS control plane')?.detail).toBe('1 cluster × 730 h × $0.10');
    expect(dev.lines.find((l) => l.item === 'NAT gateway')?.detail).toBe('1 × 730 h × $0.05 + 20 GB × $0.05');
  });
});
