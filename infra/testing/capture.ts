import * as pulumi from '@pulumi/pulumi';
import { STACKS, type StackName } from '../../lib/infra-config';
import type { CapturedResource } from '../policies/types';

/**
 * Runs the real Pulumi program (createPlatform) against Pulumi's mock engine and
 * returns every resource it registered, with its inputs and options, plus the
 * stack outputs. No cloud, no CLI. Provider-computed attributes the program
 * reads (ARNs, the cluster's OIDC issuer, the RDS address…) come from `state`.
 */

export const ACCOUNT = '123456789012';
export const TEST_INSTALLATION: Record<string, string> = {
  domain: 'pricesense.example.com',
  certificateArn: `arn:aws:acm:ap-southeast-1:${ACCOUNT}:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
  alertEmail: 'ops@example.com',
  imageTag: 'abc123def456',
  githubRepo: 'acme/pricesense',
};

type Json = Record<string, unknown>;

function state(type: string, name: string, inputs: Json): Json {
  const region = 'ap-southeast-1';
  const [pkg, mod] = type.split(':');
  const service = (mod ?? '').split('/')[0];
  const base: Json = { ...inputs, name: inputs.name ?? name, arn: inputs.arn ?? `arn:aws:${service}:${region}:${ACCOUNT}:${name}` };
  if (pkg !== 'aws' && pkg !== 'random') return base;
  switch (type) {
    case 'aws:s3/bucket:Bucket': return { ...base, bucket: `${name}-a1b2c3d`, arn: `arn:aws:s3:::${name}-a1b2c3d` };
    case 'aws:ecr/repository:Repository': return { ...base, repositoryUrl: `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${inputs.name}` };
    case 'aws:iam/role:Role': return { ...base, arn: `arn:aws:iam::${ACCOUNT}:role/${inputs.name ?? name}` };
    case 'aws:kms/key:Key': return { ...base, keyId: `${name}-key-id`, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${name}` };
    case 'aws:sns/topic:Topic': return { ...base, arn: `arn:aws:sns:${region}:${ACCOUNT}:${inputs.name ?? name}` };
    case 'aws:eks/cluster:Cluster':
      return {
        ...base, endpoint: 'https://EXAMPLE.gr7.ap-southeast-1.eks.amazonaws.com', certificateAuthority: { data: 'Q0E=' },
        identities: [{ oidcs: [{ issuer: 'https://oidc.eks.ap-southeast-1.amazonaws.com/id/EXAMPLE' }] }],
        vpcConfig: { ...(inputs.vpcConfig as Json), clusterSecurityGroupId: 'sg-0cluster' },
      };
    case 'aws:eks/nodeGroup:NodeGroup': return { ...base, resources: [{ autoscalingGroups: [{ name: 'eks-nodes-asg' }] }] };
    case 'aws:ec2/launchTemplate:LaunchTemplate': return { ...base, latestVersion: 1 };
    case 'aws:rds/instance:Instance': return { ...base, address: `${inputs.identifier}.abcdefghij.${region}.rds.amazonaws.com`, port: 5432 };
    case 'random:index/randomPassword:RandomPassword': return { ...base, result: 'p'.repeat(Number(inputs.length ?? 16)) };
    case 'aws:cloudwatch/dashboard:Dashboard': return { ...base, dashboardName: inputs.dashboardName };
    default: return base;
  }
}

function call(token: string, inputs: Json): Json {
  switch (token) {
    case 'aws:index/getCallerIdentity:getCallerIdentity': return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: 'AIDTEST', id: ACCOUNT };
    case 'aws:index/getPartition:getPartition': return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
    case 'aws:index/getAvailabilityZones:getAvailabilityZones':
      return { names: ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'], zoneIds: ['apse1-az1', 'apse1-az2', 'apse1-az3'], id: 'ap-southeast-1' };
    case 'aws:lb/getLoadBalancer:getLoadBalancer':
      return { arn: `arn:aws:elasticloadbalancing:ap-southeast-1:${ACCOUNT}:loadbalancer/app/${inputs.name}/0123456789abcdef`, arnSuffix: `app/${inputs.name}/0123456789abcdef`, dnsName: `${inputs.name}-1234567890.ap-southeast-1.elb.amazonaws.com` };
    default: throw new Error(`the mocks do not answer ${token}: add it to infra/testing/capture.ts`);
  }
}

/** Pulumi's marker of a secret value inside deserialized inputs. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

/** Inputs with secret values unwrapped: tests look at what the provider would receive. */
function reveal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reveal);
  if (value && typeof value === 'object') {
    const o = value as Json;
    if (SECRET_SIG in o && 'value' in o) return reveal(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

type MonitorRequest = { getType(): string; getName(): string; getProtect(): boolean; getParent(): string };
type Monitor = { registerResource(req: MonitorRequest, cb: unknown): unknown };

export type CapturedStack = { resources: CapturedResource[]; outputs: Record<string, unknown> };

/** The whole program for one stack (dev or prod) with the installation settings given (test defaults otherwise). */
export async function captureStack(stackName: StackName, settings: Record<string, string | undefined> = {}): Promise<CapturedStack> {
  const resources: CapturedResource[] = [];
  const options = new Map<string, { protect: boolean; parent: string }>();
  await pulumi.runtime.setMocks({
    newResource: (a) => {
      resources.push({ type: a.type, name: a.name, id: `${a.name}-id`, inputs: reveal(a.inputs) as Json, custom: a.custom !== false, protect: false });
      return { id: `${a.name}-id`, state: state(a.type, a.name, a.inputs as Json) };
    },
    call: (a) => call(a.token, a.inputs as Json),
  }, 'pricesense', stackName, false);
  // The mock engine does not pass resource options to newResource; read them off the requests.
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    options.set(`${req.getType()}::${req.getName()}`, { protect: req.getProtect(), parent: req.getParent() });
    return register(req, cb);
  };

  const { createPlatform } = await import('../platform');
  const { parseInstallation } = await import('../installation');
  const stack = STACKS[stackName];
  const config = { ...TEST_INSTALLATION, ...settings };
  const outputs = createPlatform(stack, parseInstallation((k) => config[k], stack));
  const resolved = await new Promise<Record<string, unknown>>((resolve) => pulumi.output(outputs).apply((v) => resolve(v as Record<string, unknown>)));
  await pulumi.runtime.disconnect();
  for (const r of resources) {
    const o = options.get(`${r.type}::${r.name}`);
    r.protect = o?.protect ?? false;
    r.parent = o?.parent;
  }
  return { resources, outputs: resolved };
}
