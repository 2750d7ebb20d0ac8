/**
 * What the AWS stacks provision, as plain typed data: the Pulumi program in infra/
 * imports these objects (one per stack) to create the resources, and the cost
 * estimate (lib/infra-estimate.ts) prices the same objects — so the estimate and
 * the bill describe one configuration. Change a stack here, and both follow.
 *
 * Usage volumes (GB through the NAT, logs, load balancer LCUs) are expectations
 * for this workload, not limits: they only feed the estimate.
 */

export type StackName = 'dev' | 'prod';
export const STACK_NAMES: readonly StackName[] = ['dev', 'prod'];

export type StackConfig = {
  name: StackName;
  region: string;
  /** Availability zones the VPC spans (private + public subnet in each). */
  availabilityZones: number;
  /** The VPC's address range; infra/ carves a public and a private subnet per AZ out of it. */
  vpcCidr: string;
  /**
   * Interface VPC endpoints (e.g. 'ecr.api', 'logs') and how many AZs carry each: AWS API traffic
   * stays off the NAT gateways, at an hourly price per endpoint and AZ. S3 always gets a (free) gateway endpoint.
   */
  vpcEndpoints: { interfaceServices: readonly string[]; azs: number };
  /**
   * Production data is protected: buckets keep their objects on `pulumi destroy` (no forceDestroy)
   * and are `protect`ed, the database has deletion protection and a final snapshot.
   * Off for dev so a teardown leaves nothing behind.
   */
  protectData: boolean;
  eks: {
    /** Kubernetes version of the control plane and nodes (stay within EKS standard support: extended support costs 6× per hour). */
    kubernetesVersion: string;
    /** ON_DEMAND, or SPOT (cheaper, interruptible; the estimate prices on-demand). */
    capacityType: 'ON_DEMAND' | 'SPOT';
    /** EC2 instance type of the managed node group (must be in the price table). */
    nodeInstanceType: string;
    /** Nodes running in a normal month (the autoscaler's desired size). */
    nodeCount: number;
    minNodes: number;
    maxNodes: number;
    /** gp3 root volume per node, GB. */
    nodeDiskGb: number;
  };
  /** One NAT gateway is cheap and a single point of failure; one per AZ survives an AZ outage. */
  natGateways: number;
  /** Expected GB a month through the NAT gateways (image pulls, AWS API calls from private subnets). */
  natProcessedGbPerMonth: number;
  /** Public Application Load Balancer in front of the web app and the prediction API. */
  loadBalancer: { kind: 'alb'; expectedLcu: number };
  rds: {
    engine: 'postgres';
    /** Major version; RDS picks the current minor and applies minor upgrades in the maintenance window. */
    engineVersion: string;
    instanceClass: string;
    multiAz: boolean;
    storageGb: number;
    backupRetentionDays: number;
  };
  s3: {
    /** Datasets, artifacts and telemetry expected in the bucket, GB. */
    expectedGb: number;
    versioning: boolean;
    /** Objects move to S3 Intelligent-Tiering this many days after they are written. */
    intelligentTieringAfterDays: number;
    /** Overwritten or deleted versions are kept this long, then expire. */
    noncurrentVersionDays: number;
  };
  /** The inference service's Deployment: replicas and the pod requests that decide its share of a node. */
  inference: WorkloadSize;
  /** The web control plane's Deployment (priced within "the rest" of the nodes). */
  web: WorkloadSize;
  /** The background worker's Deployment (imports run DuckDB: up to ~1.5 GB). */
  worker: WorkloadSize;
  /** CloudWatch alarm thresholds; the latency and error-rate ones match the app's default alert rules. */
  alarms: { p95LatencyMs: number; errorRatePercent: number; nodeCpuPercent: number };
  logs: { ingestedGbPerMonth: number; retentionDays: number };
  /** Custom CloudWatch metrics (telemetry in AWS mode). */
  customMetrics: number;
  /**
   * SageMaker training jobs on Managed Spot capacity (SAGEMAKER_SPOT_TRAINING): up to
   * ~70–90% cheaper, but a job may wait for capacity or restart after an interruption.
   */
  spotTraining: boolean;
  /** Expected GB a month answered to clients on the internet (prediction responses, the web app). */
  dataTransferOutGbPerMonth: number;
  /** Tags on every resource; COST_TAG_KEY / COST_TAG_VALUE pick the project's spend out of Cost Explorer. */
  tags: Record<string, string>;
};

/**
 * A Deployment's size: replicas in a normal month (what the estimate prices), the autoscaler's
 * bounds, and one pod's requests (limits: memory equal, CPU twice the request).
 */
export type WorkloadSize = { replicas: number; minReplicas: number; maxReplicas: number; cpu: number; memoryGiB: number };

/** The monthly infrastructure cost the project set out to stay under (USD, the seed's target). */
export const INFRA_MONTHLY_TARGET_USD = 500;

/** The cost-allocation tag on every resource (activate it in the Billing console to see it in Cost Explorer). */
export const COST_TAG = { key: 'project', value: 'pricesense' } as const;

/**
 * dev: the smallest stack that runs everything, for a team trying the platform:
 * two burstable nodes, one NAT gateway, a micro single-AZ database.
 */
const DEV: StackConfig = {
  name: 'dev',
  region: 'ap-southeast-1',
  availabilityZones: 2,
  vpcCidr: '10.40.0.0/16',
  // No interface endpoints: at dev's traffic the NAT gateway is cheaper than $9.49 per endpoint and AZ.
  vpcEndpoints: { interfaceServices: [], azs: 0 },
  protectData: false,
  eks: { kubernetesVersion: '1.35', capacityType: 'ON_DEMAND', nodeInstanceType: 't3.medium', nodeCount: 2, minNodes: 2, maxNodes: 3, nodeDiskGb: 20 },
  natGateways: 1,
  natProcessedGbPerMonth: 20,
  loadBalancer: { kind: 'alb', expectedLcu: 1 },
  rds: { engine: 'postgres', engineVersion: '17', instanceClass: 'db.t4g.micro', multiAz: false, storageGb: 20, backupRetentionDays: 1 },
  s3: { expectedGb: 50, versioning: true, intelligentTieringAfterDays: 30, noncurrentVersionDays: 30 },
  inference: { replicas: 1, minReplicas: 1, maxReplicas: 2, cpu: 0.5, memoryGiB: 1 },
  web: { replicas: 1, minReplicas: 1, maxReplicas: 2, cpu: 0.25, memoryGiB: 0.75 },
  worker: { replicas: 1, minReplicas: 1, maxReplicas: 2, cpu: 0.5, memoryGiB: 1.5 },
  alarms: { p95LatencyMs: 200, errorRatePercent: 1, nodeCpuPercent: 80 },
  logs: { ingestedGbPerMonth: 5, retentionDays: 14 },
  customMetrics: 20,
  // Training is a batch job nobody waits on to the minute: Spot by default where cost matters most.
  spotTraining: true,
  dataTransferOutGbPerMonth: 10,
  tags: { [COST_TAG.key]: COST_TAG.value, stack: 'dev' },
};

/**
 * prod: survives the loss of an AZ — three general-purpose nodes, a NAT gateway
 * per AZ, a Multi-AZ database — and serves two inference replicas.
 */
const PROD: StackConfig = {
  name: 'prod',
  region: 'ap-southeast-1',
  availabilityZones: 2,
  vpcCidr: '10.50.0.0/16',
  // Image pulls, logs and metrics reach AWS privately in every AZ, even when a NAT gateway is down.
  vpcEndpoints: { interfaceServices: ['ecr.api', 'ecr.dkr', 'logs', 'monitoring'], azs: 2 },
  protectData: true,
  eks: { kubernetesVersion: '1.35', capacityType: 'ON_DEMAND', nodeInstanceType: 'm5.large', nodeCount: 3, minNodes: 3, maxNodes: 6, nodeDiskGb: 50 },
  natGateways: 2,
  natProcessedGbPerMonth: 50,
  loadBalancer: { kind: 'alb', expectedLcu: 2 },
  rds: { engine: 'postgres', engineVersion: '17', instanceClass: 'db.t4g.medium', multiAz: true, storageGb: 100, backupRetentionDays: 7 },
  s3: { expectedGb: 200, versioning: true, intelligentTieringAfterDays: 30, noncurrentVersionDays: 90 },
  inference: { replicas: 2, minReplicas: 2, maxReplicas: 6, cpu: 1, memoryGiB: 2 },
  web: { replicas: 2, minReplicas: 2, maxReplicas: 4, cpu: 0.5, memoryGiB: 1 },
  worker: { replicas: 1, minReplicas: 1, maxReplicas: 3, cpu: 1, memoryGiB: 3 },
  alarms: { p95LatencyMs: 200, errorRatePercent: 1, nodeCpuPercent: 80 },
  logs: { ingestedGbPerMonth: 20, retentionDays: 30 },
  customMetrics: 40,
  // A retrain after a new dataset version should not wait on Spot capacity in production.
  spotTraining: false,
  dataTransferOutGbPerMonth: 50,
  tags: { [COST_TAG.key]: COST_TAG.value, stack: 'prod' },
};

export const STACKS: Readonly<Record<StackName, StackConfig>> = { dev: DEV, prod: PROD };

/** The stack local mode prices its measured usage as: what a team moving off a laptop would start with. */
export const LOCAL_EQUIVALENT_STACK: StackName = 'dev';
