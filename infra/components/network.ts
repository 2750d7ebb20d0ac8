import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { PUBLIC_EDGE_TAG } from '../policies/network';
import { namedTags, stackPrefix } from './common';

export type NetworkArgs = {
  /** AZ count, VPC CIDR, NAT gateway count and interface endpoints come from here. */
  stack: StackConfig;
  /** The EKS cluster's name: subnets carry its discovery tags so the load balancer controller finds them. */
  clusterName: string;
};

/** Subnets carved out of a /16: a /19 private subnet per AZ (pods take VPC addresses) and a /24 public one. */
export function subnetCidrs(vpcCidr: string, azs: number): { public: string[]; private: string[] } {
  const match = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(vpcCidr);
  if (!match) throw new Error(`vpcCidr must be a /16 such as 10.40.0.0/16 (got ${vpcCidr})`);
  if (azs < 2 || azs > 6) throw new Error(`availabilityZones must be 2–6 (got ${azs})`);
  const [, a, b] = match;
  return {
    private: Array.from({ length: azs }, (_, i) => `${a}.${b}.${i * 32}.0/19`),
    public: Array.from({ length: azs }, (_, i) => `${a}.${b}.${200 + i}.0/24`),
  };
}

/**
 * The VPC: public subnets (load balancer, NAT gateways) and private subnets
 * (nodes, pods, database, endpoints) in every AZ; NAT gateways as the stack
 * says (one for dev, one per AZ for prod, private route tables spread over
 * them); a free S3 gateway endpoint and the stack's interface endpoints. The
 * default security group is emptied, and the load balancer's security group is
 * the only one open to the internet: 443, and 80 solely for the HTTPS redirect.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: string;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly albSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:Network', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const cidrs = subnetCidrs(stack.vpcCidr, stack.availabilityZones);
    if (stack.natGateways < 1 || stack.natGateways > stack.availabilityZones) throw new Error(`natGateways must be 1–${stack.availabilityZones} (got ${stack.natGateways})`);
    const zones = aws.getAvailabilityZonesOutput({ state: 'available' }, parent);
    const zone = (i: number) => zones.names.apply((names) => {
      if (names.length <= i) throw new Error(`${stack.region} has only ${names.length} available AZs; the stack needs ${stack.availabilityZones}`);
      return names[i]!;
    });

    const vpc = new aws.ec2.Vpc(`${prefix}-vpc`, { cidrBlock: stack.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: namedTags(stack, 'vpc') }, parent);
    this.vpcId = vpc.id;
    this.vpcCidr = stack.vpcCidr;
    // No rules: anything left on the default group by mistake can talk to nothing.
    new aws.ec2.DefaultSecurityGroup(`${prefix}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: namedTags(stack, 'default-deny') }, parent);

    const igw = new aws.ec2.InternetGateway(`${prefix}-igw`, { vpcId: vpc.id, tags: namedTags(stack, 'igw') }, parent);
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: 'shared' };
    const publicSubnets = cidrs.public.map((cidr, i) => new aws.ec2.Subnet(`${prefix}-public-${i}`, {
      vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false,
      tags: namedTags(stack, `public-${i}`, { ...clusterTag, 'kubernetes.io/role/elb': '1' }),
    }, parent));
    const privateSubnets = cidrs.private.map((cidr, i) => new aws.ec2.Subnet(`${prefix}-private-${i}`, {
      vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zone(i),
      tags: namedTags(stack, `private-${i}`, { ...clusterTag, 'kubernetes.io/role/internal-elb': '1' }),
    }, parent));
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);

    const publicRoutes = new aws.ec2.RouteTable(`${prefix}-public-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: namedTags(stack, 'public') }, parent);
    publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${prefix}-public-rta-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }, parent));

    const nats = Array.from({ length: stack.natGateways }, (_, i) => {
      const eip = new aws.ec2.Eip(`${prefix}-nat-eip-${i}`, { domain: 'vpc', tags: namedTags(stack, `nat-${i}`) }, parent);
      return new aws.ec2.NatGateway(`${prefix}-nat-${i}`, { allocationId: eip.id, subnetId: publicSubnets[i]!.id, tags: namedTags(stack, `nat-${i}`) }, { parent: this, dependsOn: [igw] });
    });
    const privateRoutes = privateSubnets.map((s, i) => {
      const table = new aws.ec2.RouteTable(`${prefix}-private-rt-${i}`, {
        vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nats[i % nats.length]!.id }], tags: namedTags(stack, `private-${i}`),
      }, parent);
      new aws.ec2.RouteTableAssociation(`${prefix}-private-rta-${i}`, { subnetId: s.id, routeTableId: table.id }, parent);
      return table;
    });

    new aws.ec2.VpcEndpoint(`${prefix}-s3-endpoint`, {
      vpcId: vpc.id, serviceName: `com.amazonaws.${stack.region}.s3`, vpcEndpointType: 'Gateway',
      routeTableIds: privateRoutes.map((t) => t.id), tags: namedTags(stack, 's3'),
    }, parent);
    if (stack.vpcEndpoints.interfaceServices.length > 0) {
      const endpointSg = new aws.ec2.SecurityGroup(`${prefix}-endpoints-sg`, {
        vpcId: vpc.id, description: 'Interface VPC endpoints: HTTPS from inside the VPC', tags: namedTags(stack, 'endpoints'),
      }, parent);
      new aws.vpc.SecurityGroupIngressRule(`${prefix}-endpoints-https`, {
        securityGroupId: endpointSg.id, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: stack.vpcCidr, description: 'HTTPS from the VPC', tags: namedTags(stack, 'endpoints-https'),
      }, parent);
      const subnetIds = this.privateSubnetIds.slice(0, Math.max(1, Math.min(stack.vpcEndpoints.azs, stack.availabilityZones)));
      for (const service of stack.vpcEndpoints.interfaceServices) {
        new aws.ec2.VpcEndpoint(`${prefix}-${service.replace(/\./g, '-')}-endpoint`, {
          vpcId: vpc.id, serviceName: `com.amazonaws.${stack.region}.${service}`, vpcEndpointType: 'Interface',
          privateDnsEnabled: true, subnetIds, securityGroupIds: [endpointSg.id], tags: namedTags(stack, service),
        }, parent);
      }
    }

    // The load balancer's group. The controller adds the matching rules on the
    // pods' side (manage-backend-security-group-rules), so targets accept only it.
    const albSg = new aws.ec2.SecurityGroup(`${prefix}-alb-sg`, {
      vpcId: vpc.id, description: 'Public Application Load Balancer: HTTPS, and HTTP only to redirect to HTTPS',
      // The one group the no-open-ingress policy lets the internet reach (443, and 80 for the redirect).
      tags: namedTags(stack, 'alb', { [PUBLIC_EDGE_TAG.key]: PUBLIC_EDGE_TAG.value }),
    }, parent);
    new aws.vpc.SecurityGroupIngressRule(`${prefix}-alb-https`, {
      securityGroupId: albSg.id, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0', description: 'HTTPS from the internet', tags: namedTags(stack, 'alb-https'),
    }, parent);
    new aws.vpc.SecurityGroupIngressRule(`${prefix}-alb-http-redirect`, {
      securityGroupId: albSg.id, ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '0.0.0.0/0', description: 'HTTP from the internet, answered only with a redirect to HTTPS', tags: namedTags(stack, 'alb-http'),
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${prefix}-alb-to-vpc`, {
      securityGroupId: albSg.id, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv4: stack.vpcCidr, description: 'To targets (pod IPs) in the VPC', tags: namedTags(stack, 'alb-egress'),
    }, parent);
    this.albSecurityGroupId = albSg.id;

    this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds, albSecurityGroupId: this.albSecurityGroupId });
  }
}
