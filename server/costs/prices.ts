import type { PriceTable } from '@/lib/infra-estimate';

/**
 * AWS on-demand list prices (USD) for ap-southeast-1 (Singapore), used to turn
 * measured usage into dollars — for local runs too, so teams see the bill before
 * they move — and to estimate the provisioned infrastructure (lib/infra-estimate.ts).
 * Approximate prices written down on PRICES_AS_OF, without free tiers, savings plans,
 * reserved capacity or taxes. Check https://aws.amazon.com/pricing/ (and the AWS
 * Pricing Calculator) before budgeting on them; update the table and the date together.
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

/** The whole table, in the shape the infrastructure estimate and the cost model read. */
export const PRICES: PriceTable = {
  asOf: PRICES_AS_OF,
  region: PRICE_REGION,
  /** EC2 Linux on-demand, for EKS managed node groups: USD per hour, with the size the node-share pricing needs. */
  ec2: {
    't3.small': { perHour: 0.0264, vcpu: 2, memoryGiB: 2 },
    't3.medium': { perHour: 0.0528, vcpu: 2, memoryGiB: 4 },
    't3.large': { perHour: 0.1056, vcpu: 2, memoryGiB: 8 },
    't3.xlarge': { perHour: 0.2112, vcpu: 4, memoryGiB: 16 },
    't4g.medium': { perHour: 0.0424, vcpu: 2, memoryGiB: 4 },
    't4g.large': { perHour: 0.0848, vcpu: 2, memoryGiB: 8 },
    'm5.large': { perHour: 0.12, vcpu: 2, memoryGiB: 8 },
    'm5.xlarge': { perHour: 0.24, vcpu: 4, memoryGiB: 16 },
    'm6i.large': { perHour: 0.12, vcpu: 2, memoryGiB: 8 },
    'm6i.xlarge': { perHour: 0.24, vcpu: 4, memoryGiB: 16 },
    'c5.large': { perHour: 0.098, vcpu: 2, memoryGiB: 4 },
    'c5.xlarge': { perHour: 0.196, vcpu: 4, memoryGiB: 8 },
    'r5.large': { perHour: 0.152, vcpu: 2, memoryGiB: 16 },
  },
  /** EBS gp3 volumes (node root disks), per GB-month. */
  ebsGp3PerGbMonth: 0.096,
  /** EKS cluster, standard support, per cluster-hour. */
  eksControlPlanePerHour: 0.1,
  /** NAT gateway: per gateway-hour, and per GB it processes. */
  natGatewayPerHour: 0.059,
  natGatewayPerGb: 0.059,
  /** Application Load Balancer: per hour, and per LCU-hour (new connections, active connections, bytes, rule evaluations). */
  albPerHour: 0.0252,
  albPerLcuHour: 0.008,
  /** Public IPv4 addresses (NAT gateway EIPs, load balancer nodes), per address-hour since February 2024. */
  publicIpv4PerHour: 0.005,
  /** Interface VPC endpoints (PrivateLink), per endpoint and AZ-hour (data processed, $0.01/GB, not counted). */
  vpcInterfaceEndpointPerAzHour: 0.013,
  /** RDS for PostgreSQL, single-AZ, per instance-hour; Multi-AZ (one standby) costs twice as much. */
  rdsPostgres: {
    'db.t4g.micro': 0.024,
    'db.t4g.small': 0.048,
    'db.t4g.medium': 0.094,
    'db.t4g.large': 0.188,
    'db.m6g.large': 0.226,
    'db.m5.large': 0.25,
  },
  /** RDS gp3 storage per GB-month (Multi-AZ stores it twice). */
  rdsStoragePerGbMonth: 0.138,
  /** S3 Standard, first 50 TB, per GB-month. */
  s3StandardPerGbMonth: 0.025,
  /** Data transfer out to the internet, first 10 TB/month, per GB (inbound is free). */
  dataTransferOutPerGb: 0.12,
  /** CloudWatch Logs: ingestion per GB, storage per GB-month; custom metrics per metric-month (first 10,000). */
  cloudwatchLogsIngestPerGb: 0.7,
  cloudwatchLogsStoragePerGbMonth: 0.033,
  cloudwatchMetricPerMonth: 0.3,
  /** Cost Explorer API: every GetCostAndUsage request (why the adapter refreshes a few times a day, not every 10 minutes). */
  costExplorerPerRequest: 0.01,
};
