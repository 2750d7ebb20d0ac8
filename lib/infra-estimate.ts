import type { StackConfig } from './infra-config';

/**
 * What a stack configuration (lib/infra-config.ts) costs a month at list prices:
 * pure arithmetic over the configuration and a price table, so the same numbers
 * show on the Costs page, in the CLI and in tests. The price table is passed in
 * (server/costs/prices.ts holds the dated one) so this file stays client-safe.
 */

/** AWS prices the estimate and the cost model need (USD). */
export type PriceTable = {
  asOf: string;
  region: string;
  ec2: Record<string, { perHour: number; vcpu: number; memoryGiB: number }>;
  ebsGp3PerGbMonth: number;
  eksControlPlanePerHour: number;
  natGatewayPerHour: number;
  natGatewayPerGb: number;
  albPerHour: number;
  albPerLcuHour: number;
  publicIpv4PerHour: number;
  /** An interface VPC endpoint, per endpoint and AZ-hour. */
  vpcInterfaceEndpointPerAzHour: number;
  rdsPostgres: Record<string, number>;
  rdsStoragePerGbMonth: number;
  s3StandardPerGbMonth: number;
  dataTransferOutPerGb: number;
  cloudwatchLogsIngestPerGb: number;
  cloudwatchLogsStoragePerGbMonth: number;
  cloudwatchMetricPerMonth: number;
  costExplorerPerRequest: number;
};

/** AWS prices "per month" as 730 hours (8,760 / 12). */
export const HOURS_PER_MONTH = 730;

export type EstimateComponent = 'control_plane' | 'inference' | 'storage' | 'data_transfer';

export type EstimateLine = {
  item: string;
  /** How the amount is made up, e.g. "2 × t3.medium × 730 h × $0.0528". */
  detail: string;
  component: EstimateComponent;
  monthlyUsd: number;
};

export type InfraEstimate = {
  stack: StackConfig['name'];
  region: string;
  pricesAsOf: string;
  monthlyUsd: number;
  lines: EstimateLine[];
  /** The always-on part, per hour: what the cost model charges as `control_plane` each hour. */
  controlPlanePerHourUsd: number;
  /** One inference replica's share of a node, per hour: what the cost model charges per instance-hour. */
  inferencePerReplicaHourUsd: number;
  /** The node type and the share of it one replica's requests reserve (the larger of its CPU and memory shares). */
  inferenceNode: { instanceType: string; share: number };
};

export class InfraConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InfraConfigError';
  }
}

const round = (usd: number) => Math.round(usd * 100) / 100;
/** Unit prices with the digits they have: $0.0528, $0.059, $0.10. */
const money = (usd: number) => `$${usd.toFixed(4).replace(/0{1,2}$/, '')}`;

function nodePrice(config: StackConfig, prices: PriceTable) {
  const node = prices.ec2[config.eks.nodeInstanceType];
  if (!node) throw new InfraConfigError(`Stack ${config.name}: no price for node type ${config.eks.nodeInstanceType} in the ${prices.region} price table (known: ${Object.keys(prices.ec2).join(', ')}).`);
  return node;
}

/** An inference replica's share of a node: the larger of its CPU and memory requests over the node's size, at most one node. */
export function inferenceShare(config: StackConfig, prices: PriceTable): { instanceType: string; share: number; perHour: number } {
  const node = nodePrice(config, prices);
  const share = Math.min(1, Math.max(config.inference.cpu / node.vcpu, config.inference.memoryGiB / node.memoryGiB));
  return { instanceType: config.eks.nodeInstanceType, share, perHour: node.perHour * share };
}

/** The monthly cost of a stack at list prices, line by line. Throws InfraConfigError for a type the table does not price. */
export function estimateStack(config: StackConfig, prices: PriceTable): InfraEstimate {
  const H = HOURS_PER_MONTH;
  const node = nodePrice(config, prices);
  const rdsHourly = prices.rdsPostgres[config.rds.instanceClass];
  if (rdsHourly === undefined) throw new InfraConfigError(`Stack ${config.name}: no price for RDS class ${config.rds.instanceClass} in the ${prices.region} price table (known: ${Object.keys(prices.rdsPostgres).join(', ')}).`);
  const { eks, rds } = config;
  const inference = inferenceShare(config, prices);
  const nodesMonthly = eks.nodeCount * node.perHour * H;
  const inferenceMonthly = Math.min(nodesMonthly, config.inference.replicas * inference.perHour * H);
  const rdsCopies = rds.multiAz ? 2 : 1;
  // One address per NAT gateway (its EIP) and one per AZ for the load balancer's nodes.
  const publicIps = config.natGateways + config.availabilityZones;
  const endpointHours = config.vpcEndpoints.interfaceServices.length * config.vpcEndpoints.azs * H;
  const logsStoredGb = config.logs.ingestedGbPerMonth * Math.min(1, config.logs.retentionDays / 30);

  const lines: EstimateLine[] = [
    { item: 'EKS control plane', detail: `1 cluster × ${H} h × ${money(prices.eksControlPlanePerHour)}`, component: 'control_plane', monthlyUsd: prices.eksControlPlanePerHour * H },
    {
      item: 'Inference pods',
      detail: `${config.inference.replicas} × ${Math.round(inference.share * 100)}% of one ${eks.nodeInstanceType} (${config.inference.cpu} vCPU, ${config.inference.memoryGiB} GiB requested) × ${H} h`,
      component: 'inference', monthlyUsd: inferenceMonthly,
    },
    {
      item: 'EKS nodes: the rest',
      detail: `${eks.nodeCount} × ${eks.nodeInstanceType} × ${H} h × ${money(node.perHour)}, less the inference pods (web app, worker, headroom)`,
      component: 'control_plane', monthlyUsd: nodesMonthly - inferenceMonthly,
    },
    { item: 'Node disks', detail: `${eks.nodeCount} × ${eks.nodeDiskGb} GB gp3 × ${money(prices.ebsGp3PerGbMonth)}`, component: 'control_plane', monthlyUsd: eks.nodeCount * eks.nodeDiskGb * prices.ebsGp3PerGbMonth },
    {
      item: `NAT gateway${config.natGateways === 1 ? '' : 's'}`,
      detail: `${config.natGateways} × ${H} h × ${money(prices.natGatewayPerHour)} + ${config.natProcessedGbPerMonth} GB × ${money(prices.natGatewayPerGb)}`,
      component: 'control_plane', monthlyUsd: config.natGateways * prices.natGatewayPerHour * H + config.natProcessedGbPerMonth * prices.natGatewayPerGb,
    },
    {
      item: 'Application Load Balancer',
      detail: `${H} h × ${money(prices.albPerHour)} + ${config.loadBalancer.expectedLcu} LCU × ${H} h × ${money(prices.albPerLcuHour)}`,
      component: 'control_plane', monthlyUsd: prices.albPerHour * H + config.loadBalancer.expectedLcu * prices.albPerLcuHour * H,
    },
    { item: 'Public IPv4 addresses', detail: `${publicIps} × ${H} h × ${money(prices.publicIpv4PerHour)}`, component: 'control_plane', monthlyUsd: publicIps * prices.publicIpv4PerHour * H },
    ...(endpointHours > 0
      ? [{
          item: 'VPC interface endpoints',
          detail: `${config.vpcEndpoints.interfaceServices.length} (${config.vpcEndpoints.interfaceServices.join(', ')}) × ${config.vpcEndpoints.azs} AZ × ${H} h × ${money(prices.vpcInterfaceEndpointPerAzHour)}`,
          component: 'control_plane' as const, monthlyUsd: endpointHours * prices.vpcInterfaceEndpointPerAzHour,
        }]
      : []),
    {
      item: `RDS PostgreSQL ${rds.instanceClass}${rds.multiAz ? ' Multi-AZ' : ''}`,
      detail: `${rdsCopies} × ${H} h × ${money(rdsHourly)} + ${rdsCopies} × ${rds.storageGb} GB gp3 × ${money(prices.rdsStoragePerGbMonth)}`,
      component: 'control_plane', monthlyUsd: rdsCopies * (rdsHourly * H + rds.storageGb * prices.rdsStoragePerGbMonth),
    },
    {
      item: 'CloudWatch logs and metrics',
      detail: `${config.logs.ingestedGbPerMonth} GB ingested × ${money(prices.cloudwatchLogsIngestPerGb)}, ${round(logsStoredGb)} GB kept, ${config.customMetrics} metrics × ${money(prices.cloudwatchMetricPerMonth)}`,
      component: 'control_plane',
      monthlyUsd: config.logs.ingestedGbPerMonth * prices.cloudwatchLogsIngestPerGb + logsStoredGb * prices.cloudwatchLogsStoragePerGbMonth + config.customMetrics * prices.cloudwatchMetricPerMonth,
    },
    { item: 'S3 storage', detail: `${config.s3.expectedGb} GB Standard × ${money(prices.s3StandardPerGbMonth)}`, component: 'storage', monthlyUsd: config.s3.expectedGb * prices.s3StandardPerGbMonth },
    { item: 'Data transfer out', detail: `${config.dataTransferOutGbPerMonth} GB to the internet × ${money(prices.dataTransferOutPerGb)}`, component: 'data_transfer', monthlyUsd: config.dataTransferOutGbPerMonth * prices.dataTransferOutPerGb },
  ];
  const controlPlaneMonthly = lines.filter((l) => l.component === 'control_plane').reduce((sum, l) => sum + l.monthlyUsd, 0);
  return {
    stack: config.name,
    region: config.region,
    pricesAsOf: prices.asOf,
    monthlyUsd: round(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)),
    lines: lines.map((l) => ({ ...l, monthlyUsd: round(l.monthlyUsd) })),
    controlPlanePerHourUsd: controlPlaneMonthly / H,
    inferencePerReplicaHourUsd: inference.perHour,
    inferenceNode: { instanceType: inference.instanceType, share: inference.share },
  };
}
