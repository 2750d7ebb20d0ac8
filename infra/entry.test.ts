import * as pulumi from '@pulumi/pulumi';
import { expect, it } from 'vitest';
import { TEST_INSTALLATION } from './testing/capture';

// The `pulumi up` entry point itself (index.ts): config read from the stack,
// StackConfig picked by the stack name, and — with no pricesense:imageTag, as in
// an operator's run after CI deployed — the running tag kept from the stack's
// own last outputs instead of removing the workloads.

it('index.ts runs the program for the stack, keeping the image tag the stack last deployed', async () => {
  const created: { type: string; inputs: Record<string, unknown> }[] = [];
  pulumi.runtime.setAllConfig({
    'aws:region': 'ap-southeast-1',
    ...Object.fromEntries(Object.entries(TEST_INSTALLATION).filter(([k]) => k !== 'imageTag').map(([k, v]) => [`pricesense:${k}`, v])),
  });
  await pulumi.runtime.setMocks({
    newResource: (a) => {
      created.push({ type: a.type, inputs: a.inputs as Record<string, unknown> });
      const outputs = a.type === 'pulumi:pulumi:StackReference' ? { outputs: { imageTag: 'previous-sha' } } : {};
      const extra = a.type === 'aws:eks/cluster:Cluster' ? { identities: [{ oidcs: [{ issuer: 'https://oidc.example/id/X' }] }], vpcConfig: { clusterSecurityGroupId: 'sg-1' } } : {};
      return { id: `${a.name}-id`, state: { ...a.inputs, arn: `arn:aws:x:ap-southeast-1:123456789012:${a.name}`, ...outputs, ...extra } };
    },
    call: (a) => {
      if (a.token === 'aws:index/getAvailabilityZones:getAvailabilityZones') return { names: ['ap-southeast-1a', 'ap-southeast-1b'] };
      if (a.token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: '123456789012' };
      if (a.token === 'aws:index/getPartition:getPartition') return { partition: 'aws' };
      return { arnSuffix: 'app/x/1', dnsName: 'x.elb.amazonaws.com' };
    },
  }, 'pricesense', 'prod', false, 'organization');

  const entry = await import('./index');
  const tag = await new Promise((resolve) => pulumi.output(entry.imageTag).apply(resolve));
  await pulumi.runtime.disconnect();

  expect(created.find((r) => r.type === 'pulumi:pulumi:StackReference')?.inputs.name).toBe('organization/pricesense/prod');
  expect(tag).toBe('previous-sha');
  const images = created.filter((r) => r.type === 'kubernetes:apps/v1:Deployment')
    .map((r) => (r.inputs as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers[0]!.image);
  expect(images).toHaveLength(3);
  for (const image of images) expect(image).toMatch(/:previous-sha$/);
  // The stack name chose StackConfig prod.
  expect(created.filter((r) => r.type === 'aws:ec2/natGateway:NatGateway')).toHaveLength(2);
});
