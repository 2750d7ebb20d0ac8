import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { APP_NAMESPACE } from '../manifests/names';
import { namedTags, policyJson, stackPrefix, type AwsContext, type PolicyStatement } from './common';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';

export type CiAccessArgs = {
  stack: StackConfig;
  aws: AwsContext;
  /** `owner/name` of the GitHub repository whose workflow deploys. */
  githubRepo: string;
  /** The branch allowed to deploy (default main); a job using the GitHub environment named after the stack may too. */
  githubBranch?: string;
  /** The account's existing GitHub OIDC provider (there can be only one per account): set it on the second stack. */
  existingOidcProviderArn?: string;
  repositoryArns: pulumi.Input<string>[];
  clusterName: pulumi.Input<string>;
  clusterArn: pulumi.Input<string>;
  /** Pulumi state in S3 (`pulumi login s3://…`): the bucket the workflow may read and write. */
  stateBucket?: string;
  /** The KMS key of Pulumi's secrets provider (`--secrets-provider awskms://…`). */
  stateKmsKeyArn?: string;
  /** Cluster admin instead of edit in the app namespace (an explicit opt-in, for CI runs that change the Helm add-ons). */
  clusterAdmin?: boolean;
};

/**
 * The GitHub Actions deploy role, assumed through GitHub's OIDC provider (no
 * long-lived keys), trusted only for this repository's deploy branch or its
 * `<stack>` environment. It may push the four images, describe the cluster,
 * roll out in the app's namespace (EKS access entry with the namespace-scoped
 * edit policy), read the lookups a `pulumi up` of image tags makes, and use the
 * Pulumi state bucket and key when given. It cannot change AWS infrastructure:
 * that stays with an operator's credentials.
 */
export class CiAccess extends pulumi.ComponentResource {
  readonly deployRoleArn: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;

  constructor(name: string, args: CiAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:CiAccess', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const branch = args.githubBranch ?? 'main';

    const providerArn = args.existingOidcProviderArn
      ? pulumi.output(args.existingOidcProviderArn)
      : new aws.iam.OpenIdConnectProvider(`${prefix}-github-oidc`, { url: GITHUB_OIDC_URL, clientIdLists: ['sts.amazonaws.com'], tags: namedTags(stack, 'github-oidc') }, parent).arn;
    this.oidcProviderArn = providerArn;

    const role = new aws.iam.Role(`${prefix}-deploy`, {
      name: `${prefix}-github-deploy`,
      description: `GitHub Actions of ${args.githubRepo}: push images and roll out ${stack.name}`,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyJson([{
        Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': [`repo:${args.githubRepo}:ref:refs/heads/${branch}`, `repo:${args.githubRepo}:environment:${stack.name}`] },
        },
      }]),
      tags: namedTags(stack, 'github-deploy'),
    }, parent);

    const statements: PolicyStatement[] = [
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'PushImages', Effect: 'Allow', Resource: args.repositoryArns,
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages', 'ecr:DescribeRepositories'],
      },
      { Sid: 'FindCluster', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: args.clusterArn },
      // The read-only lookups the Pulumi program makes on every run.
      { Sid: 'ProgramLookups', Effect: 'Allow', Action: ['ec2:DescribeAvailabilityZones', 'elasticloadbalancing:DescribeLoadBalancers'], Resource: '*' },
    ];
    if (args.stateBucket) {
      statements.push(
        { Sid: 'PulumiStateList', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: `arn:aws:s3:::${args.stateBucket}` },
        { Sid: 'PulumiState', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::${args.stateBucket}/.pulumi/*` },
      );
    }
    if (args.stateKmsKeyArn) statements.push({ Sid: 'PulumiSecrets', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: args.stateKmsKeyArn });
    new aws.iam.RolePolicy(`${prefix}-deploy-policy`, { role: role.id, policy: policyJson(statements) }, parent);

    const entry = new aws.eks.AccessEntry(`${prefix}-deploy-access`, { clusterName: args.clusterName, principalArn: role.arn, type: 'STANDARD', tags: namedTags(stack, 'deploy-access') }, parent);
    const access = args.clusterAdmin
      ? { policy: 'AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' } }
      : { policy: 'AmazonEKSEditPolicy', accessScope: { type: 'namespace', namespaces: [APP_NAMESPACE] } };
    new aws.eks.AccessPolicyAssociation(`${prefix}-deploy-k8s-access`, {
      clusterName: args.clusterName, principalArn: role.arn,
      policyArn: pulumi.interpolate`arn:${args.aws.partition}:eks::aws:cluster-access-policy/${access.policy}`,
      accessScope: access.accessScope,
    }, { parent: this, dependsOn: [entry] });

    this.deployRoleArn = role.arn;
    this.registerOutputs({ deployRoleArn: this.deployRoleArn });
  }
}
