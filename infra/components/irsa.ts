import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { namedTags, policyJson, type PolicyStatement } from './common';

export type IrsaRoleArgs = {
  stack: StackConfig;
  oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer without `https://`. */
  oidcIssuer: pulumi.Input<string>;
  namespace: string;
  serviceAccount: string;
  /** What the pods may do; one inline policy. */
  statements: PolicyStatement[];
  description: string;
};

/**
 * An IAM role only one Kubernetes service account can assume (IRSA): the trust
 * policy pins the cluster's OIDC issuer, the audience and
 * `system:serviceaccount:<namespace>:<name>`.
 */
export function irsaRole(name: string, args: IrsaRoleArgs, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  const sub = pulumi.interpolate`${args.oidcIssuer}:sub`;
  const aud = pulumi.interpolate`${args.oidcIssuer}:aud`;
  const trust = pulumi.all([sub, aud]).apply(([subKey, audKey]) => ({
    StringEquals: { [subKey]: `system:serviceaccount:${args.namespace}:${args.serviceAccount}`, [audKey]: 'sts.amazonaws.com' },
  }));
  const role = new aws.iam.Role(name, {
    description: args.description,
    assumeRolePolicy: policyJson([{ Effect: 'Allow', Principal: { Federated: args.oidcProviderArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: trust }]),
    tags: namedTags(args.stack, name.replace(/^pricesense-[a-z]+-/, '')),
  }, opts);
  new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: policyJson(args.statements) }, opts);
  return role;
}
