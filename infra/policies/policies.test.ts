import { beforeAll, describe, expect, it } from 'vitest';
import { STACKS, type StackName } from '../../lib/infra-config';
import type { CapturedStack } from '../testing/capture';
import { capturedStacks } from '../testing/stacks';
import { bucketsBlockPublicAccess, bucketsEncryptedWithKms, bucketsRequireTls, bucketsVersionedWithLifecycle } from './buckets';
import { rdsEncryptedPrivateBackedUp } from './database';
import { noWildcardIam } from './iam';
import { runPolicies, stackPolicies } from './index';
import { workloadsHardened, workloadsScaledAndBudgeted } from './kubernetes';
import { noOpenIngress } from './network';
import { ecrScanOnPushImmutable } from './registry';
import { isTaggableAwsType } from './taggable';
import { requiredTags } from './tags';
import type { CapturedResource, Policy } from './types';

// Each policy must pass on both real stacks and fail on a deliberately broken
// copy of one of their resources (or a hand-made bad one): a policy that cannot
// fail would prove nothing.

let stacks: Record<StackName, CapturedStack>;
beforeAll(async () => { stacks = await capturedStacks(); });

type Mutable = Record<string, unknown>;

/** The dev stack with one resource (found by type and name fragment) replaced by a broken copy. */
function devWith(type: string, nameIncludes: string, breakIt: (inputs: Mutable) => void): { resources: CapturedResource[]; broken: CapturedResource } {
  const resources = structuredClone(stacks.dev.resources);
  const broken = resources.find((r) => r.type === type && r.name.includes(nameIncludes));
  if (!broken) throw new Error(`no ${type} named *${nameIncludes}* in the dev stack`);
  breakIt(broken.inputs);
  return { resources, broken };
}

function expectOnlyFlags(policy: Policy, resources: CapturedResource[], broken: CapturedResource, message: RegExp) {
  const found = policy.check(resources);
  expect(found.length, JSON.stringify(found)).toBeGreaterThan(0);
  expect(found.every((v) => v.resource === `${broken.type} ${broken.name}`), JSON.stringify(found)).toBe(true);
  expect(found.map((v) => v.message).join('\n')).toMatch(message);
}

describe('the real stacks pass every policy', () => {
  it.each(['dev', 'prod'] as const)('%s', (name) => {
    const policies = stackPolicies(STACKS[name], isTaggableAwsType);
    expect(runPolicies(policies, stacks[name].resources)).toEqual([]);
    // And the policies had something to look at.
    for (const type of ['aws:s3/bucket:Bucket', 'aws:ecr/repository:Repository', 'aws:rds/instance:Instance', 'kubernetes:apps/v1:Deployment', 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule']) {
      expect(stacks[name].resources.some((r) => r.type === type), type).toBe(true);
    }
  });
});

describe('bucket policies fail on a bad bucket', () => {
  it('encryption: AES256 instead of KMS', () => {
    const { resources } = devWith('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'artifacts', (i) => {
      i.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }];
    });
    const found = bucketsEncryptedWithKms.check(resources);
    expect(found).toHaveLength(1);
    expect(found[0]!.resource).toMatch(/aws:s3\/bucket:Bucket pricesense-dev-artifacts$/);
  });

  it('encryption: a bucket with no encryption configuration at all', () => {
    const resources = [...stacks.dev.resources, { type: 'aws:s3/bucket:Bucket', name: 'stray', id: 'stray-id', inputs: {}, custom: true, protect: false }];
    expect(bucketsEncryptedWithKms.check(resources).map((v) => v.resource)).toEqual(['aws:s3/bucket:Bucket stray']);
    expect(bucketsBlockPublicAccess.check(resources).map((v) => v.resource)).toEqual(['aws:s3/bucket:Bucket stray']);
    expect(bucketsRequireTls.check(resources).map((v) => v.resource)).toEqual(['aws:s3/bucket:Bucket stray']);
    expect(bucketsVersionedWithLifecycle.check(resources).map((v) => v.resource)).toEqual(['aws:s3/bucket:Bucket stray', 'aws:s3/bucket:Bucket stray', 'aws:s3/bucket:Bucket stray']);
  });

  it('public access: one of the four settings off', () => {
    const { resources } = devWith('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'raw', (i) => { i.restrictPublicBuckets = false; });
    expect(bucketsBlockPublicAccess.check(resources).map((v) => v.resource)).toEqual(['aws:s3/bucket:Bucket pricesense-dev-raw']);
  });

  it('TLS: the deny covers the bucket but not its objects', () => {
    const { resources } = devWith('aws:s3/bucketPolicy:BucketPolicy', 'curated', (i) => {
      const doc = JSON.parse(i.policy as string) as { Statement: { Resource: string[] }[] };
      doc.Statement[0]!.Resource = doc.Statement[0]!.Resource.filter((r) => !r.endsWith('/*'));
      i.policy = JSON.stringify(doc);
    });
    expect(bucketsRequireTls.check(resources).map((v) => v.resource)).toEqual(['aws:s3/bucket:Bucket pricesense-dev-curated']);
  });

  it('versioning suspended, no Intelligent-Tiering, old versions kept forever', () => {
    const versioning = devWith('aws:s3/bucketVersioning:BucketVersioning', 'artifacts', (i) => { i.versioningConfiguration = { status: 'Suspended' }; });
    expect(bucketsVersionedWithLifecycle.check(versioning.resources).map((v) => v.message)).toEqual(['versioning is not enabled']);
    const lifecycle = devWith('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'artifacts', (i) => { i.rules = [{ id: 'x', status: 'Enabled', filter: {} }]; });
    expect(bucketsVersionedWithLifecycle.check(lifecycle.resources).map((v) => v.message)).toEqual(['no lifecycle transition to INTELLIGENT_TIERING', 'noncurrent versions never expire']);
  });
});

describe('the ECR policy fails on a bad repository', () => {
  it('mutable tags and no scan on push', () => {
    const { resources, broken } = devWith('aws:ecr/repository:Repository', 'web', (i) => { i.imageTagMutability = 'MUTABLE'; i.imageScanningConfiguration = { scanOnPush: false }; });
    expectOnlyFlags(ecrScanOnPushImmutable, resources, broken, /not scanned on push[\s\S]*MUTABLE/);
  });
});

describe('the open-ingress policy', () => {
  it('fails on SSH open to the internet on an ordinary group (a separate rule resource)', () => {
    const { resources, broken } = devWith('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'db-from-cluster', (i) => {
      delete i.referencedSecurityGroupId; i.cidrIpv4 = '0.0.0.0/0'; i.fromPort = 22; i.toPort = 22;
    });
    expectOnlyFlags(noOpenIngress, resources, broken, /not the public load balancer's/);
  });

  it("fails on the load balancer's group opened on another port, or to IPv6 on a range", () => {
    const { resources, broken } = devWith('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'alb-https', (i) => { i.fromPort = 8080; i.toPort = 8080; });
    expectOnlyFlags(noOpenIngress, resources, broken, /only be open on TCP 443\/80/);
    const ranged = devWith('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'alb-http-redirect', (i) => { delete i.cidrIpv4; i.cidrIpv6 = '::/0'; i.fromPort = 0; i.toPort = 65535; });
    expectOnlyFlags(noOpenIngress, ranged.resources, ranged.broken, /0-65535/);
  });

  it('fails on inline and legacy rule styles too', () => {
    const inline: CapturedResource = { type: 'aws:ec2/securityGroup:SecurityGroup', name: 'legacy', id: 'legacy-id', custom: true, protect: false, inputs: { ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['0.0.0.0/0'] }] } };
    const rule: CapturedResource = { type: 'aws:ec2/securityGroupRule:SecurityGroupRule', name: 'legacy-rule', custom: true, protect: false, inputs: { type: 'ingress', securityGroupId: 'legacy-id', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] } };
    expect(noOpenIngress.check([inline, rule]).map((v) => v.resource)).toEqual(['aws:ec2/securityGroup:SecurityGroup legacy', 'aws:ec2/securityGroupRule:SecurityGroupRule legacy-rule']);
  });
});

describe('the IAM wildcard policy', () => {
  const role = (statement: Mutable): CapturedResource => ({
    type: 'aws:iam/rolePolicy:RolePolicy', name: 'bad', custom: true, protect: false,
    inputs: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) },
  });

  it('fails on Action "*" on Resource "*" added to a real role', () => {
    const { resources, broken } = devWith('aws:iam/rolePolicy:RolePolicy', 'inference-policy', (i) => {
      const doc = JSON.parse(i.policy as string) as { Statement: unknown[] };
      doc.Statement.push({ Effect: 'Allow', Action: '*', Resource: '*' });
      i.policy = JSON.stringify(doc);
    });
    expectOnlyFlags(noWildcardIam, resources, broken, /allows every action on every resource/);
  });

  it('fails on NotAction / NotResource equivalents and on AdministratorAccess', () => {
    expect(noWildcardIam.check([role({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })])).toHaveLength(1);
    expect(noWildcardIam.check([role({ Effect: 'Allow', Action: ['*'], NotResource: 'arn:aws:s3:::x' })])).toHaveLength(1);
    expect(noWildcardIam.check([{ type: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', name: 'admin', custom: true, protect: false, inputs: { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }])).toHaveLength(1);
  });

  it('lets named actions on "*", "*" actions on named resources, and denies pass', () => {
    expect(noWildcardIam.check([
      role({ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }),
      role({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }),
      role({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::one-bucket/*' }),
      role({ Effect: 'Deny', Action: '*', Resource: '*' }),
    ])).toEqual([]);
  });
});

describe('the tag policy', () => {
  const policy = requiredTags({ project: 'pricesense', stack: 'dev' }, isTaggableAwsType);

  it('fails on a taggable resource without the cost tag', () => {
    const { resources, broken } = devWith('aws:ec2/natGateway:NatGateway', 'nat-0', (i) => { i.tags = { stack: 'dev' }; });
    expectOnlyFlags(policy, resources, broken, /missing tags project=pricesense/);
  });

  it('fails on the wrong stack tag and on no tags at all', () => {
    const { resources, broken } = devWith('aws:rds/instance:Instance', 'db', (i) => { i.tags = { project: 'pricesense', stack: 'prod' }; });
    expectOnlyFlags(policy, resources, broken, /stack=dev/);
    const bare = devWith('aws:cloudwatch/logGroup:LogGroup', 'containers', (i) => { delete i.tags; });
    expectOnlyFlags(policy, bare.resources, bare.broken, /project=pricesense, stack=dev/);
  });

  it('leaves types without tags alone, as the AWS provider declares them', () => {
    expect(isTaggableAwsType('aws:s3/bucket:Bucket')).toBe(true);
    expect(isTaggableAwsType('aws:eks/nodeGroup:NodeGroup')).toBe(true);
    expect(isTaggableAwsType('aws:s3/bucketPolicy:BucketPolicy')).toBe(false);
    expect(isTaggableAwsType('aws:iam/rolePolicyAttachment:RolePolicyAttachment')).toBe(false);
    expect(policy.check([{ type: 'aws:s3/bucketPolicy:BucketPolicy', name: 'p', custom: true, protect: false, inputs: {} }])).toEqual([]);
  });
});

describe('the database policy', () => {
  it('fails on a public, unencrypted database without backups', () => {
    const { resources, broken } = devWith('aws:rds/instance:Instance', 'db', (i) => { i.publiclyAccessible = true; i.storageEncrypted = false; i.backupRetentionPeriod = 0; });
    expectOnlyFlags(rdsEncryptedPrivateBackedUp, resources, broken, /not encrypted[\s\S]*publiclyAccessible[\s\S]*backups are off/);
  });
});

type Pod = { spec: { template: { spec: { securityContext: Mutable; containers: Mutable[] } } } };

describe('the Kubernetes policies fail on a bad Deployment', () => {
  it('root, writable, unpinned image, no limits, no probes', () => {
    const { resources, broken } = devWith('kubernetes:apps/v1:Deployment', 'inference', (i) => {
      const pod = (i as unknown as Pod).spec.template.spec;
      pod.securityContext = {};
      const c = pod.containers[0]!;
      c.securityContext = { readOnlyRootFilesystem: false };
      c.image = 'example/inference:latest';
      c.resources = { requests: { cpu: '100m' } };
      delete c.readinessProbe;
      delete c.livenessProbe;
    });
    expectOnlyFlags(workloadsHardened, resources, broken, /runAsNonRoot[\s\S]*allowPrivilegeEscalation[\s\S]*writable[\s\S]*capabilities[\s\S]*not pinned[\s\S]*no memory requests[\s\S]*no cpu limits[\s\S]*no liveness probe[\s\S]*without a readiness probe/);
  });

  it('a worker without ports still needs a liveness probe', () => {
    const { resources, broken } = devWith('kubernetes:apps/v1:Deployment', 'worker', (i) => { delete (i as unknown as Pod).spec.template.spec.containers[0]!.livenessProbe; });
    expectOnlyFlags(workloadsHardened, resources, broken, /^worker: no liveness probe$/);
  });

  it('no autoscaler on memory, inverted bounds, no disruption budget', () => {
    const memoryless = devWith('kubernetes:autoscaling/v2:HorizontalPodAutoscaler', 'web', (i) => {
      const spec = i.spec as { metrics: { resource: { name: string } }[]; minReplicas: number; maxReplicas: number };
      spec.metrics = spec.metrics.filter((m) => m.resource.name === 'cpu');
      spec.minReplicas = 3; spec.maxReplicas = 2;
    });
    const found = workloadsScaledAndBudgeted.check(memoryless.resources);
    expect(found.map((v) => [v.resource, v.message])).toEqual([
      [expect.stringMatching(/Deployment pricesense-dev-deployment-web$/), 'the autoscaler does not scale on both CPU and memory'],
      [expect.stringMatching(/Deployment pricesense-dev-deployment-web$/), 'autoscaler bounds 3…2 are not 1 ≤ min ≤ max'],
    ]);
    const resources = stacks.dev.resources.filter((r) => !(r.type === 'kubernetes:policy/v1:PodDisruptionBudget' && r.name.includes('worker')));
    expect(workloadsScaledAndBudgeted.check(resources).map((v) => `${v.resource}: ${v.message}`)).toEqual([
      'kubernetes:apps/v1:Deployment pricesense-dev-deployment-worker: no PodDisruptionBudget selects its pods',
    ]);
  });
});
