import * as pulumi from '@pulumi/pulumi';
import { COST_TAG, type StackConfig } from '../../lib/infra-config';

/**
 * Small helpers every component uses: names, tags and IAM policy documents.
 * Tags are written on each resource explicitly (not through the provider's
 * defaultTags), so the mock-based tests see exactly what AWS will receive.
 */

export const PROJECT = 'pricesense';

/** `pricesense-dev`: the prefix of every physical name in a stack. */
export function stackPrefix(stack: StackConfig): string {
  return `${PROJECT}-${stack.name}`;
}

/** The stack's tags (project cost tag, stack) plus a Name or anything else the resource needs. */
export function stackTags(stack: StackConfig, extra: Record<string, string> = {}): Record<string, string> {
  return { ...stack.tags, [COST_TAG.key]: COST_TAG.value, ...extra };
}

/** The tags as a Name-tagged set for one resource: `pricesense-dev-<what>`. */
export function namedTags(stack: StackConfig, what: string, extra: Record<string, string> = {}): Record<string, string> {
  return stackTags(stack, { Name: `${stackPrefix(stack)}-${what}`, ...extra });
}

export type PolicyStatement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: pulumi.Input<string> | pulumi.Input<string>[];
  Resource?: pulumi.Input<string> | pulumi.Input<string>[];
  Principal?: unknown;
  Condition?: unknown;
};

export type PolicyDocument = { Version: '2012-10-17'; Statement: PolicyStatement[] };

/** A policy document as the JSON string IAM, S3 and KMS take; outputs inside are resolved first. */
export function policyJson(statements: PolicyStatement[]): pulumi.Output<string> {
  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return pulumi.jsonStringify(document);
}

/** Trust policy for an AWS service principal (eks, ec2, sagemaker…). */
export function serviceTrust(service: string): pulumi.Output<string> {
  return policyJson([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]);
}

/**
 * Account, partition and region the stack runs in, resolved once. The region
 * comes from StackConfig (index.ts checks that `aws:region` agrees).
 */
export type AwsContext = { accountId: pulumi.Input<string>; partition: pulumi.Input<string>; region: string };

export function arn(ctx: AwsContext, service: string, resource: string, opts: { region?: boolean; account?: boolean } = {}): pulumi.Output<string> {
  const region = opts.region === false ? '' : ctx.region;
  return pulumi.interpolate`arn:${ctx.partition}:${service}:${region}:${opts.account === false ? '' : ctx.accountId}:${resource}`;
}

/** `arn:aws:iam::aws:policy/<name>` for AWS managed policies. */
export function managedPolicy(ctx: AwsContext, name: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${name}`;
}
