import { beforeAll, describe, expect, it } from 'vitest';
import { COST_TAG, INFRA_MONTHLY_TARGET_USD, STACKS, type StackName } from '../lib/infra-config';
import { alarmPrefix } from '../server/adapters/telemetry/cloudwatch';
import { subnetCidrs } from './components/network';
import { appAlarmPrefix, metricsNamespace } from './manifests/names';
import type { CapturedResource } from './policies/types';
import { captureStack, TEST_INSTALLATION, type CapturedStack } from './testing/capture';
import { capturedStacks } from './testing/stacks';

// The stacks as the Pulumi program builds them from StackConfig (lib/infra-config.ts),
// checked on the inputs AWS and Kubernetes would receive.

let stacks: Record<StackName, CapturedStack>;
beforeAll(async () => { stacks = await capturedStacks(); });

type Obj = Record<string, unknown>;
const all = (name: StackName, type: string) => stacks[name].resources.filter((r) => r.type === type);
function one(name: StackName, type: string, nameIncludes = ''): CapturedResource {
  const found = all(name, type).filter((r) => r.name.includes(nameIncludes));
  if (found.length !== 1) throw new Error(`${found.length} ${type} *${nameIncludes}* in ${name}`);
  return found[0]!;
}
const statements = (r: CapturedResource, field = 'policy') => (JSON.parse(r.inputs[field] as string) as { Statement: Obj[] }).Statement;
const STACK_NAMES = ['dev', 'prod'] as const;

type Container = { name: string; image: string; env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[]; readinessProbe?: Obj; livenessProbe?: Obj; startupProbe?: Obj; resources: { requests: Obj; limits: Obj } };
const container = (name: StackName, deployment: string) => ((one(name, 'kubernetes:apps/v1:Deployment', `-${deployment}`).inputs as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers[0]!);
const env = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value ?? e.valueFrom]));

describe('network', () => {
  it('carves a private /19 and a public /24 per AZ out of the /16', () => {
    expect(subnetCidrs('10.40.0.0/16', 2)).toEqual({ private: ['10.40.0.0/19', '10.40.32.0/19'], public: ['10.40.200.0/24', '10.40.201.0/24'] });
    expect(() => subnetCidrs('10.40.0.0/20', 2)).toThrow(/\/16/);
  });

  it.each(STACK_NAMES)('%s: subnets in every AZ, a NAT gateway per StackConfig, private routes spread over them', (name) => {
    const stack = STACKS[name];
    const subnets = all(name, 'aws:ec2/subnet:Subnet');
    expect(subnets).toHaveLength(2 * stack.availabilityZones);
    expect(new Set(subnets.map((s) => s.inputs.availabilityZone)).size).toBe(stack.availabilityZones);
    expect(subnets.filter((s) => s.inputs.mapPublicIpOnLaunch === true)).toEqual([]);
    expect(all(name, 'aws:ec2/natGateway:NatGateway')).toHaveLength(stack.natGateways);
    expect(all(name, 'aws:ec2/eip:Eip')).toHaveLength(stack.natGateways);
    const natIds = all(name, 'aws:ec2/routeTable:RouteTable').flatMap((t) => (t.inputs.routes as Obj[]).map((r) => r.natGatewayId)).filter(Boolean);
    expect(natIds).toHaveLength(stack.availabilityZones);
    expect(new Set(natIds).size).toBe(stack.natGateways);
    expect(one(name, 'aws:ec2/vpc:Vpc').inputs.cidrBlock).toBe(stack.vpcCidr);
  });

  it('dev has one NAT gateway and no interface endpoints; prod one NAT per AZ and ECR/CloudWatch endpoints in both AZs', () => {
    expect(all('dev', 'aws:ec2/natGateway:NatGateway')).toHaveLength(1);
    expect(all('prod', 'aws:ec2/natGateway:NatGateway')).toHaveLength(2);
    const endpoints = (name: StackName) => all(name, 'aws:ec2/vpcEndpoint:VpcEndpoint');
    for (const name of STACK_NAMES) expect(endpoints(name).filter((e) => e.inputs.vpcEndpointType === 'Gateway').map((e) => e.inputs.serviceName)).toEqual(['com.amazonaws.ap-southeast-1.s3']);
    expect(endpoints('dev').filter((e) => e.inputs.vpcEndpointType === 'Interface')).toEqual([]);
    const prodInterface = endpoints('prod').filter((e) => e.inputs.vpcEndpointType === 'Interface');
    expect(prodInterface.map((e) => (e.inputs.serviceName as string).split('.').slice(3).join('.')).sort()).toEqual([...STACKS.prod.vpcEndpoints.interfaceServices].sort());
    for (const e of prodInterface) expect(e.inputs.subnetIds).toHaveLength(STACKS.prod.vpcEndpoints.azs);
  });

  it('only the load balancer group is open to the internet: 443, and 80 (redirected to HTTPS)', () => {
    const open = all('dev', 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter((r) => r.inputs.cidrIpv4 === '0.0.0.0/0');
    expect(open.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.toPort]).sort()).toEqual([['pricesense-dev-alb-sg-id', 443, 443], ['pricesense-dev-alb-sg-id', 80, 80]]);
    const ingress = one('dev', 'kubernetes:networking.k8s.io/v1:Ingress').inputs as { metadata: { annotations: Record<string, string> } };
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/security-groups']).toBe('pricesense-dev-alb-sg-id');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(TEST_INSTALLATION.certificateArn);
    // The database accepts the cluster only, and the default group nothing.
    expect(one('dev', 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'db-from-cluster').inputs).toMatchObject({ fromPort: 5432, referencedSecurityGroupId: 'sg-0cluster' });
    expect(one('dev', 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup').inputs).toMatchObject({ ingress: [], egress: [] });
  });
});

describe('data protection: dev tears down cleanly, prod is protected', () => {
  it.each(STACK_NAMES)('%s buckets', (name) => {
    const buckets = all(name, 'aws:s3/bucket:Bucket');
    expect(buckets.map((b) => b.name).sort()).toEqual(['artifacts', 'curated', 'raw', 'trail'].map((p) => `pricesense-${name}-${p}`));
    const prod = name === 'prod';
    for (const b of buckets) {
      expect(b.inputs.forceDestroy, b.name).toBe(!prod);
      expect(b.protect, b.name).toBe(prod);
    }
    for (const r of all(name, 'aws:ecr/repository:Repository')) expect(r.inputs.forceDelete).toBe(!prod);
    expect(one(name, 'aws:kms/key:Key', 'data-key').protect).toBe(prod);
  });

  it.each(STACK_NAMES)('%s database: multi-AZ, class, storage, backups from StackConfig; deletion protection and a final snapshot on prod', (name) => {
    const { rds } = STACKS[name];
    const db = one(name, 'aws:rds/instance:Instance');
    const prod = name === 'prod';
    expect(db.inputs).toMatchObject({
      engine: 'postgres', engineVersion: rds.engineVersion, instanceClass: rds.instanceClass, multiAz: rds.multiAz, allocatedStorage: rds.storageGb,
      backupRetentionPeriod: rds.backupRetentionDays, storageEncrypted: true, publiclyAccessible: false, deletionProtection: prod, skipFinalSnapshot: !prod,
      kmsKeyId: `arn:aws:kms:ap-southeast-1:123456789012:key/pricesense-${name}-data-key`,
    });
    expect(db.protect).toBe(prod);
    expect(db.inputs.finalSnapshotIdentifier).toBe(prod ? `pricesense-${name}-db-final` : undefined);
    expect(one(name, 'aws:rds/parameterGroup:ParameterGroup').inputs.parameters).toContainEqual({ name: 'rds.force_ssl', value: '1' });
  });

  it('prod is Multi-AZ and dev is not', () => {
    expect(one('dev', 'aws:rds/instance:Instance').inputs.multiAz).toBe(false);
    expect(one('prod', 'aws:rds/instance:Instance').inputs.multiAz).toBe(true);
  });

  it('the database password lives in Secrets Manager and the Kubernetes Secret, never in a manifest', () => {
    const secretValue = JSON.parse(one('dev', 'aws:secretsmanager/secretVersion:SecretVersion', 'db-secret').inputs.secretString as string) as Obj;
    expect(secretValue).toMatchObject({ username: 'pricesense', host: 'pricesense-dev-db.abcdefghij.ap-southeast-1.rds.amazonaws.com', port: 5432 });
    expect(secretValue.url).toMatch(/^postgresql:\/\/pricesense:p{40}@pricesense-dev-db\..*:5432\/pricesense\?sslmode=no-verify$/);
    const appSecret = JSON.parse(one('dev', 'aws:secretsmanager/secretVersion:SecretVersion', 'app-secret').inputs.secretString as string) as Obj;
    expect(Object.keys(appSecret).sort()).toEqual(['AUTH_SECRET', 'DATABASE_URL', 'MLOPS_ADMIN_PASSWORD']);
    const k8sSecret = one('dev', 'kubernetes:core/v1:Secret').inputs as { metadata: { name: string }; stringData: Obj };
    expect(k8sSecret.metadata.name).toBe('pricesense-app');
    expect(k8sSecret.stringData).toEqual(appSecret);
    for (const d of all('dev', 'kubernetes:apps/v1:Deployment')) expect(JSON.stringify(d.inputs)).not.toContain('p'.repeat(24));
  });
});

describe('EKS', () => {
  it.each(STACK_NAMES)('%s node group: instance type, bounds and disk from StackConfig', (name) => {
    const { eks } = STACKS[name];
    const group = one(name, 'aws:eks/nodeGroup:NodeGroup').inputs;
    expect(group).toMatchObject({ instanceTypes: [eks.nodeInstanceType], capacityType: eks.capacityType, scalingConfig: { desiredSize: eks.nodeCount, minSize: eks.minNodes, maxSize: eks.maxNodes } });
    const template = one(name, 'aws:ec2/launchTemplate:LaunchTemplate').inputs as { blockDeviceMappings: { ebs: Obj }[]; metadataOptions: Obj };
    expect(template.blockDeviceMappings[0]!.ebs).toMatchObject({ volumeSize: eks.nodeDiskGb, volumeType: 'gp3', encrypted: 'true' });
    expect(template.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(one(name, 'aws:eks/cluster:Cluster').inputs).toMatchObject({ version: eks.kubernetesVersion, encryptionConfig: { resources: ['secrets'] } });
  });

  it('prod nodes are bigger and more numerous than dev', () => {
    const size = (name: StackName) => one(name, 'aws:eks/nodeGroup:NodeGroup').inputs as { instanceTypes: string[]; scalingConfig: { minSize: number; maxSize: number } };
    expect(size('dev').instanceTypes).toEqual(['t3.medium']);
    expect(size('prod').instanceTypes).toEqual(['m5.large']);
    expect(size('prod').scalingConfig.minSize).toBeGreaterThan(size('dev').scalingConfig.minSize);
  });

  it('IRSA roles trust exactly one service account each', () => {
    const trust = (role: string) => (statements(one('dev', 'aws:iam/role:Role', role), 'assumeRolePolicy')[0]!.Condition as { StringEquals: Record<string, string> }).StringEquals;
    const issuer = 'oidc.eks.ap-southeast-1.amazonaws.com/id/EXAMPLE';
    expect(trust('-inference')).toEqual({ [`${issuer}:sub`]: 'system:serviceaccount:pricesense:inference', [`${issuer}:aud`]: 'sts.amazonaws.com' });
    expect(trust('-control-plane')[`${issuer}:sub`]).toBe('system:serviceaccount:pricesense:control-plane');
    expect(trust('-lb-controller')[`${issuer}:sub`]).toBe('system:serviceaccount:kube-system:aws-load-balancer-controller');
  });

  it('inference pods read the artifacts bucket only, and write only their status and telemetry', () => {
    const policy = statements(one('dev', 'aws:iam/rolePolicy:RolePolicy', '-inference-policy'));
    const resources = policy.flatMap((s) => [s.Resource].flat()) as string[];
    expect(resources.filter((r) => r.startsWith('arn:aws:s3')).every((r) => r.startsWith('arn:aws:s3:::pricesense-dev-artifacts-a1b2c3d'))).toBe(true);
    const actions = new Set(policy.flatMap((s) => [s.Action].flat()));
    expect([...actions].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(policy.find((s) => s.Sid === 'WriteStatusAndTelemetry')?.Resource).toEqual(['arn:aws:s3:::pricesense-dev-artifacts-a1b2c3d/deployments/*/instances/*', 'arn:aws:s3:::pricesense-dev-artifacts-a1b2c3d/telemetry/*']);
  });

  it('the control plane may use SageMaker, CloudWatch, Cost Explorer and S3, and pass only the SageMaker execution role', () => {
    const policy = statements(one('dev', 'aws:iam/rolePolicy:RolePolicy', '-control-plane-policy'));
    const actions = policy.flatMap((s) => [s.Action].flat()) as string[];
    for (const needed of ['sagemaker:CreateTrainingJob', 'sagemaker:CreateModelPackage', 'cloudwatch:GetMetricData', 'cloudwatch:PutMetricAlarm', 'ce:GetCostAndUsage', 's3:PutObject']) expect(actions).toContain(needed);
    expect(policy.find((s) => s.Sid === 'PassTrainingRole')).toMatchObject({ Resource: 'arn:aws:iam::123456789012:role/pricesense-dev-sagemaker-execution', Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } });
    // The alarms it may change are the ones its CloudWatch adapter names (server/adapters/telemetry/cloudwatch.ts).
    expect(appAlarmPrefix(metricsNamespace(STACKS.dev))).toBe(alarmPrefix(metricsNamespace(STACKS.dev)));
    expect(policy.find((s) => s.Sid === 'ManageOwnAlarms')?.Resource).toBe(`arn:aws:cloudwatch:ap-southeast-1:123456789012:alarm:${alarmPrefix('PriceSense/dev')}*`);
  });
});

describe('workloads', () => {
  it.each(STACK_NAMES)('%s autoscalers take their bounds from StackConfig', (name) => {
    for (const component of ['web', 'worker', 'inference'] as const) {
      const hpa = one(name, 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler', `-${component}`).inputs as { spec: { minReplicas: number; maxReplicas: number } };
      expect(hpa.spec, component).toMatchObject({ minReplicas: STACKS[name][component].minReplicas, maxReplicas: STACKS[name][component].maxReplicas });
    }
  });

  it.each(STACK_NAMES)('%s pods request what the cost estimate prices', (name) => {
    const inference = container(name, 'inference');
    expect(inference.resources.requests).toEqual({ cpu: `${STACKS[name].inference.cpu * 1000}m`, memory: `${STACKS[name].inference.memoryGiB * 1024}Mi` });
  });

  it('probes: inference ready on /readyz and alive on /healthz, web on /api/health, the worker on its heartbeat', () => {
    const inference = container('dev', 'inference');
    expect(inference.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' } });
    expect(inference.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(container('dev', 'web').readinessProbe).toMatchObject({ httpGet: { path: '/api/health' } });
    expect(container('dev', 'worker').livenessProbe).toMatchObject({ exec: { command: ['node', 'server/jobs/worker-healthcheck.mjs'] } });
  });

  it('images are the stack ECR repositories at the configured tag', () => {
    for (const component of ['web', 'worker', 'inference'] as const) {
      expect(container('prod', component).image).toBe(`123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/pricesense/prod/${component}:${TEST_INSTALLATION.imageTag}`);
    }
  });

  it('the control plane runs in AWS mode, with secrets only from the Kubernetes Secret', () => {
    const web = env(container('dev', 'web'));
    expect(web).toMatchObject({
      STORAGE_BACKEND: 's3', S3_BUCKET: 'pricesense-dev-artifacts-a1b2c3d', AWS_REGION: 'ap-southeast-1',
      TRAINING_BACKEND: 'sagemaker', SAGEMAKER_ROLE_ARN: 'arn:aws:iam::123456789012:role/pricesense-dev-sagemaker-execution',
      TRAINER_IMAGE_URI: `123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/pricesense/dev/trainer:${TEST_INSTALLATION.imageTag}`,
      MODEL_REGISTRY_MIRROR: 'sagemaker', TELEMETRY_BACKEND: 'cloudwatch', CLOUDWATCH_NAMESPACE: 'PriceSense/dev',
      COST_SOURCE: 'cost_explorer', COST_TAG_KEY: COST_TAG.key, COST_TAG_VALUE: COST_TAG.value,
      PUBLIC_URL: 'https://pricesense.example.com', MLOPS_ADMIN_EMAIL: TEST_INSTALLATION.alertEmail, MLOPS_DEMO: 'false',
      CLOUDWATCH_ALARM_TOPIC_ARN: 'arn:aws:sns:ap-southeast-1:123456789012:pricesense-dev-alarms',
      // dev trains on Managed Spot capacity, prod on demand.
      SAGEMAKER_SPOT_TRAINING: 'true',
    });
    expect(env(container('prod', 'worker')).SAGEMAKER_SPOT_TRAINING).toBe('false');
    for (const key of ['DATABASE_URL', 'AUTH_SECRET', 'MLOPS_ADMIN_PASSWORD']) expect(web[key], key).toEqual({ secretKeyRef: { name: 'pricesense-app', key } });
    const worker = env(container('dev', 'worker'));
    expect(worker).toMatchObject({ STORAGE_BACKEND: 's3', TRAINING_BACKEND: 'sagemaker', DATABASE_URL: { secretKeyRef: { name: 'pricesense-app', key: 'DATABASE_URL' } } });
    expect(worker.MLOPS_ADMIN_PASSWORD).toBeUndefined();
    const inference = env(container('dev', 'inference'));
    expect(inference).toMatchObject({ INFERENCE_PORT: '8080', INFERENCE_HOST: '0.0.0.0', STORAGE_BACKEND: 's3', S3_BUCKET: 'pricesense-dev-artifacts-a1b2c3d', INFERENCE_METRICS_EMF: 'true', INFERENCE_METRICS_NAMESPACE: 'PriceSense/dev' });
    expect(inference.DATABASE_URL).toBeUndefined();
  });

  it('only the inference Deployment skips Pulumi\'s readiness wait (it is ready once a model is deployed)', () => {
    const skipping = all('dev', 'kubernetes:apps/v1:Deployment').filter((d) => (d.inputs as { metadata: { annotations?: Obj } }).metadata.annotations?.['pulumi.com/skipAwait'] === 'true');
    expect(skipping.map((d) => d.name)).toEqual(['pricesense-dev-deployment-inference']);
  });
});

describe('observability, cost and CI', () => {
  it.each(STACK_NAMES)('%s: log retention, alarms and budget from StackConfig and the installation', (name) => {
    const stack = STACKS[name];
    for (const g of all(name, 'aws:cloudwatch/logGroup:LogGroup')) expect(g.inputs.retentionInDays, g.name).toBe(stack.logs.retentionDays);
    expect(one(name, 'aws:cloudwatch/metricAlarm:MetricAlarm', 'p95').inputs).toMatchObject({ extendedStatistic: 'p95', threshold: stack.alarms.p95LatencyMs / 1000, dimensions: { LoadBalancer: `app/pricesense-${name}/0123456789abcdef` } });
    expect(one(name, 'aws:cloudwatch/metricAlarm:MetricAlarm', '5xx').inputs.threshold).toBe(stack.alarms.errorRatePercent);
    expect(one(name, 'aws:cloudwatch/metricAlarm:MetricAlarm', 'node-cpu').inputs).toMatchObject({ threshold: stack.alarms.nodeCpuPercent, dimensions: { AutoScalingGroupName: 'eks-nodes-asg' } });
    for (const alarm of all(name, 'aws:cloudwatch/metricAlarm:MetricAlarm')) expect(alarm.inputs.alarmActions).toEqual([`arn:aws:sns:ap-southeast-1:123456789012:pricesense-${name}-alarms`]);
    expect(one(name, 'aws:budgets/budget:Budget').inputs).toMatchObject({
      limitAmount: INFRA_MONTHLY_TARGET_USD.toFixed(2), timeUnit: 'MONTHLY', costFilters: [{ name: 'TagKeyValue', values: ['user:project$pricesense'] }],
    });
    expect(one(name, 'aws:cloudtrail/trail:Trail').inputs).toMatchObject({ isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: `arn:aws:kms:ap-southeast-1:123456789012:key/pricesense-${name}-audit-key` });
  });

  it('the deploy role trusts only the configured repository, and may push images but not change infrastructure', () => {
    const role = one('dev', 'aws:iam/role:Role', '-deploy');
    expect((statements(role, 'assumeRolePolicy')[0]!.Condition as { StringLike: Obj }).StringLike).toEqual({
      'token.actions.githubusercontent.com:sub': ['repo:acme/pricesense:ref:refs/heads/main', 'repo:acme/pricesense:environment:dev'],
    });
    const actions = statements(one('dev', 'aws:iam/rolePolicy:RolePolicy', '-deploy-policy')).flatMap((s) => [s.Action].flat()) as string[];
    expect(actions).toContain('ecr:PutImage');
    expect(actions).toContain('eks:DescribeCluster');
    expect(actions.filter((a) => /^(iam|ec2:(Create|Delete|Modify)|rds|s3:Delete|eks:(Create|Update|Delete))/.test(a))).toEqual([]);
    expect(one('dev', 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation').inputs).toMatchObject({ accessScope: { type: 'namespace', namespaces: ['pricesense'] } });
  });

  it('exports what CI and operators need', () => {
    const out = stacks.dev.outputs;
    expect(out).toMatchObject({
      clusterName: 'pricesense-dev', webUrl: 'https://pricesense.example.com', apiUrl: 'https://api.pricesense.example.com',
      webRepositoryUrl: '123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/pricesense/dev/web',
      deployRoleArn: 'arn:aws:iam::123456789012:role/pricesense-dev-github-deploy',
      albHostname: 'pricesense-dev-1234567890.ap-southeast-1.elb.amazonaws.com',
      bucketNames: { raw: 'pricesense-dev-raw-a1b2c3d', curated: 'pricesense-dev-curated-a1b2c3d', artifacts: 'pricesense-dev-artifacts-a1b2c3d' },
    });
    expect(Object.keys(out.ecrRepositoryUrls as Obj).sort()).toEqual(['inference', 'trainer', 'web', 'worker']);
    expect(JSON.parse(out.kubeconfig as string)).toMatchObject({ users: [{ user: { exec: { command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'pricesense-dev', '--region', 'ap-southeast-1'] } } }] });
    // The render values carry no secret.
    expect(JSON.stringify(out.renderValues)).not.toMatch(/p{24}|postgresql:/);
  });
});

describe('installation variants', () => {
  it('without an image tag: the infrastructure only — no Kubernetes workloads, no ALB alarms or hostname yet', async () => {
    const bare = await captureStack('dev', { imageTag: undefined, githubRepo: undefined, budgetUsd: '750', createTrail: 'false' });
    expect(bare.resources.filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:helm.sh'))).toEqual([]);
    expect(bare.resources.filter((r) => r.type === 'aws:cloudwatch/metricAlarm:MetricAlarm').map((r) => r.name)).toEqual(['pricesense-dev-node-cpu']);
    expect(bare.outputs.albHostname).toBeUndefined();
    // No repository configured: no deploy role; a budget of the installation's choosing; no trail.
    expect(bare.resources.filter((r) => r.type === 'pricesense:infra:CiAccess')).toEqual([]);
    expect(bare.resources.find((r) => r.type === 'aws:budgets/budget:Budget')?.inputs.limitAmount).toBe('750.00');
    expect(bare.resources.filter((r) => r.type === 'aws:cloudtrail/trail:Trail')).toEqual([]);
    // The add-ons are there, so the first rollout finds the load balancer controller running.
    expect(bare.resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release').map((r) => r.inputs.name).sort()).toEqual(['aws-for-fluent-bit', 'aws-load-balancer-controller', 'cluster-autoscaler']);
  });
});
