import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { arn, stackPrefix, stackTags, type AwsContext } from './common';
import { irsaRole } from './irsa';
import { LB_CONTROLLER_STATEMENTS } from './lb-controller-policy';

/** Chart versions, pinned; bump them with StackConfig.eks.kubernetesVersion (the autoscaler's minor must match it). */
export const CHARTS = {
  lbController: { chart: 'aws-load-balancer-controller', version: '1.14.0', repo: 'https://aws.github.io/eks-charts' },
  fluentBit: { chart: 'aws-for-fluent-bit', version: '0.2.1', repo: 'https://aws.github.io/eks-charts' },
  clusterAutoscaler: { chart: 'cluster-autoscaler', version: '9.59.0', repo: 'https://kubernetes.github.io/autoscaler' },
} as const;

export type ClusterAddonsArgs = {
  stack: StackConfig;
  aws: AwsContext;
  clusterName: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcIssuer: pulumi.Input<string>;
  provider: k8s.Provider;
  /** Only the app namespace's container logs are shipped, to this group. */
  containerLogGroupName: pulumi.Input<string>;
  appNamespace: string;
  /** What must exist first (nodes, add-ons). */
  dependsOn: pulumi.Resource[];
};

/**
 * What the cluster runs for the platform, each with its own IRSA role:
 * - AWS Load Balancer Controller: turns the app's Ingress into the public ALB
 *   (stack tags on everything it creates);
 * - Fluent Bit: ships the app's container logs to CloudWatch as the raw lines
 *   (logKey `log`), so the inference service's EMF lines become metrics;
 * - Cluster Autoscaler: moves the node group between StackConfig's bounds when
 *   pods do not fit (the HPAs add pods; this adds nodes).
 */
export class ClusterAddons extends pulumi.ComponentResource {
  readonly lbController: k8s.helm.v3.Release;

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:ClusterAddons', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const irsa = { stack, oidcProviderArn: args.oidcProviderArn, oidcIssuer: args.oidcIssuer, namespace: 'kube-system' };
    const release = { provider: args.provider, parent: this, dependsOn: args.dependsOn };
    const singleReplica = !stack.protectData;

    const lbRole = irsaRole(`${prefix}-lb-controller`, {
      ...irsa, serviceAccount: 'aws-load-balancer-controller', description: 'AWS Load Balancer Controller', statements: LB_CONTROLLER_STATEMENTS,
    }, parent);
    this.lbController = new k8s.helm.v3.Release(`${prefix}-lb-controller`, {
      name: 'aws-load-balancer-controller', namespace: 'kube-system',
      chart: CHARTS.lbController.chart, version: CHARTS.lbController.version, repositoryOpts: { repo: CHARTS.lbController.repo },
      values: {
        clusterName: args.clusterName, region: stack.region, vpcId: args.vpcId,
        replicaCount: singleReplica ? 1 : 2,
        serviceAccount: { create: true, name: 'aws-load-balancer-controller', annotations: { 'eks.amazonaws.com/role-arn': lbRole.arn } },
        defaultTags: stackTags(stack),
        // Only Ingresses here: leave Services of type LoadBalancer alone, and never block Service creation on its webhook.
        enableServiceMutatorWebhook: false,
      },
    }, release);

    const logGroupArn = pulumi.interpolate`${arn(args.aws, 'logs', 'log-group:')}${args.containerLogGroupName}`;
    const fluentRole = irsaRole(`${prefix}-fluent-bit`, {
      ...irsa, serviceAccount: 'aws-for-fluent-bit', description: 'Fluent Bit: container logs to CloudWatch',
      statements: [{ Sid: 'ShipLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [logGroupArn, pulumi.interpolate`${logGroupArn}:*`] }],
    }, parent);
    new k8s.helm.v3.Release(`${prefix}-fluent-bit`, {
      name: 'aws-for-fluent-bit', namespace: 'kube-system',
      chart: CHARTS.fluentBit.chart, version: CHARTS.fluentBit.version, repositoryOpts: { repo: CHARTS.fluentBit.repo },
      values: {
        serviceAccount: { create: true, name: 'aws-for-fluent-bit', annotations: { 'eks.amazonaws.com/role-arn': fluentRole.arn } },
        input: { path: `/var/log/containers/*_${args.appNamespace}_*.log` },
        cloudWatchLogs: {
          enabled: true, region: stack.region, logGroupName: args.containerLogGroupName, logGroupTemplate: args.containerLogGroupName,
          logStreamPrefix: 'pod-', logKey: 'log', autoCreateGroup: false,
        },
        cloudWatch: { enabled: false }, firehose: { enabled: false }, kinesis: { enabled: false }, elasticsearch: { enabled: false },
      },
    }, release);

    const asgScope = { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${stackPrefix(stack)}`]: 'owned' } };
    const caRole = irsaRole(`${prefix}-cluster-autoscaler`, {
      ...irsa, serviceAccount: 'cluster-autoscaler', description: 'Cluster Autoscaler',
      statements: [
        {
          Sid: 'Discover', Effect: 'Allow', Resource: '*',
          Action: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations', 'autoscaling:DescribeScalingActivities', 'autoscaling:DescribeTags', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements', 'eks:DescribeNodegroup'],
        },
        { Sid: 'ScaleOwnGroups', Effect: 'Allow', Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'], Resource: '*', Condition: asgScope },
      ],
    }, parent);
    new k8s.helm.v3.Release(`${prefix}-cluster-autoscaler`, {
      name: 'cluster-autoscaler', namespace: 'kube-system',
      chart: CHARTS.clusterAutoscaler.chart, version: CHARTS.clusterAutoscaler.version, repositoryOpts: { repo: CHARTS.clusterAutoscaler.repo },
      values: {
        cloudProvider: 'aws', awsRegion: stack.region, autoDiscovery: { clusterName: args.clusterName },
        rbac: { serviceAccount: { create: true, name: 'cluster-autoscaler', annotations: { 'eks.amazonaws.com/role-arn': caRole.arn } } },
        extraArgs: { 'balance-similar-node-groups': true, 'skip-nodes-with-system-pods': false, expander: 'least-waste' },
      },
    }, release);

    this.registerOutputs({});
  }
}
