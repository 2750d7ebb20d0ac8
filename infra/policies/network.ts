import { asList, ofType, violation, type CapturedResource, type Policy, type Violation } from './types';

/**
 * Security groups: nothing accepts traffic from the whole internet except the
 * public load balancer's group — marked by the tag below, so the exception is
 * explicit and reviewed — and even that only on 443, plus 80 which the ALB
 * answers with a redirect to HTTPS (decided in infra/README.md).
 */
export const PUBLIC_EDGE_TAG = { key: 'exposure', value: 'public-load-balancer' } as const;
export const PUBLIC_EDGE_PORTS: readonly number[] = [443, 80];

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

type Ingress = { source: CapturedResource; groupId: unknown; protocol: unknown; from: unknown; to: unknown; cidrs: string[] };

/** Ingress rules wherever they are written: inline on the group, as SecurityGroupIngressRule, or as an ingress SecurityGroupRule. */
function ingressRules(resources: readonly CapturedResource[]): Ingress[] {
  const inline = ofType(resources, 'aws:ec2/securityGroup:SecurityGroup').flatMap((g) => asList(g.inputs.ingress as Record<string, unknown>[]).map((rule) => ({
    source: g, groupId: g.id, protocol: rule.protocol, from: rule.fromPort, to: rule.toPort, cidrs: [...asList(rule.cidrBlocks as string[]), ...asList(rule.ipv6CidrBlocks as string[])],
  })));
  const rules = ofType(resources, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').map((r) => ({
    source: r, groupId: r.inputs.securityGroupId, protocol: r.inputs.ipProtocol, from: r.inputs.fromPort, to: r.inputs.toPort,
    cidrs: [r.inputs.cidrIpv4, r.inputs.cidrIpv6].filter((c): c is string => typeof c === 'string'),
  }));
  const legacy = ofType(resources, 'aws:ec2/securityGroupRule:SecurityGroupRule').filter((r) => r.inputs.type === 'ingress').map((r) => ({
    source: r, groupId: r.inputs.securityGroupId, protocol: r.inputs.protocol, from: r.inputs.fromPort, to: r.inputs.toPort,
    cidrs: [...asList(r.inputs.cidrBlocks as string[]), ...asList(r.inputs.ipv6CidrBlocks as string[])],
  }));
  return [...inline, ...rules, ...legacy];
}

export const noOpenIngress: Policy = {
  name: 'no-open-ingress',
  description: `No security group accepts 0.0.0.0/0 or ::/0, except the group tagged ${PUBLIC_EDGE_TAG.key}=${PUBLIC_EDGE_TAG.value} on TCP ${PUBLIC_EDGE_PORTS.join(' and ')} (one port per rule).`,
  check: (resources) => {
    const groups = new Map(ofType(resources, 'aws:ec2/securityGroup:SecurityGroup').map((g) => [g.id, g]));
    const found: Violation[] = [];
    for (const rule of ingressRules(resources)) {
      if (!rule.cidrs.some((c) => ANYWHERE.has(c))) continue;
      const group = groups.get(rule.groupId as string);
      const isEdge = (group?.inputs.tags as Record<string, string> | undefined)?.[PUBLIC_EDGE_TAG.key] === PUBLIC_EDGE_TAG.value;
      const port = rule.from === rule.to ? Number(rule.from) : NaN;
      const protocol = String(rule.protocol).toLowerCase();
      if (!isEdge) found.push(violation(noOpenIngress.name, rule.source, `open to the internet on ${protocol} ${String(rule.from)}-${String(rule.to)}, but its group is not the public load balancer's`));
      else if ((protocol !== 'tcp' && protocol !== '6') || !PUBLIC_EDGE_PORTS.includes(port)) found.push(violation(noOpenIngress.name, rule.source, `the load balancer may only be open on TCP ${PUBLIC_EDGE_PORTS.join('/')}, not ${protocol} ${String(rule.from)}-${String(rule.to)}`));
    }
    return found;
  },
};
