import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { managedPolicy, namedTags, serviceTrust, stackPrefix, stackTags, type AwsContext } from './common';

export type ClusterArgs = {
  stack: StackConfig;
  aws: AwsContext;
  /** Private subnets for the control plane's network interfaces and the nodes. */
  privateSubnetIds: pulumi.Input<string>[];
  /** Encrypts Kubernetes secrets (envelope encryption) and the nodes' root volumes. */
  kmsKeyArn: pulumi.Input<string>;
  /** Who may reach the public API endpoint (authentication is still required); default anywhere, for CI runners. */
  publicAccessCidrs?: string[];
  /** Control-plane log types sent to CloudWatch (each costs log ingestion). */
  logTypes?: string[];
};

/** The cluster's name in a stack: `pricesense-dev`. Known before the cluster exists (subnet tags need it). */
export function clusterName(stack: StackConfig): string {
  return stackPrefix(stack);
}

/**
 * The EKS cluster: control plane (private and public endpoint, secrets encrypted
 * with the stack's key, audit and authenticator logs kept for the stack's
 * retention), the IAM OIDC provider for IRSA (pods assume their own roles), and
 * one managed node group sized from StackConfig (launch template: encrypted gp3
 * root volume, IMDSv2 with a hop limit of 1 so pods cannot borrow the node's
 * role, tags on instances and volumes). Add-ons: VPC CNI, CoreDNS, kube-proxy and
 * metrics-server (which the autoscalers read).
 */
export class Cluster extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** The issuer without `https://`, as IRSA trust conditions name it. */
  readonly oidcIssuer: pulumi.Output<string>;
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly nodeGroupAsgName: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  /** Resources the cluster's workloads wait for (nodes and add-ons). */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:Cluster', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const eksName = clusterName(stack);

    const clusterRole = new aws.iam.Role(`${prefix}-cluster-role`, { assumeRolePolicy: serviceTrust('eks.amazonaws.com'), tags: namedTags(stack, 'cluster-role') }, parent);
    new aws.iam.RolePolicyAttachment(`${prefix}-cluster-policy`, { role: clusterRole.name, policyArn: managedPolicy(args.aws, 'AmazonEKSClusterPolicy') }, parent);

    // Created first so its retention applies; EKS would otherwise create it to keep logs forever.
    const logGroup = new aws.cloudwatch.LogGroup(`${prefix}-cluster-logs`, {
      name: `/aws/eks/${eksName}/cluster`, retentionInDays: stack.logs.retentionDays, tags: namedTags(stack, 'cluster-logs'),
    }, parent);

    const cluster = new aws.eks.Cluster(`${prefix}-cluster`, {
      name: eksName,
      version: stack.eks.kubernetesVersion,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: args.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: args.publicAccessCidrs ?? ['0.0.0.0/0'],
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      encryptionConfig: { provider: { keyArn: args.kmsKeyArn }, resources: ['secrets'] },
      enabledClusterLogTypes: args.logTypes ?? ['audit', 'authenticator'],
      tags: namedTags(stack, 'cluster'),
    }, { parent: this, dependsOn: [logGroup] });
    this.name = cluster.name;
    this.arn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;

    const issuerUrl = cluster.identities.apply((ids) => {
      const issuer = ids?.[0]?.oidcs?.[0]?.issuer;
      if (!issuer) throw new Error('the EKS cluster reported no OIDC issuer');
      return issuer;
    });
    const oidc = new aws.iam.OpenIdConnectProvider(`${prefix}-oidc`, {
      url: issuerUrl, clientIdLists: ['sts.amazonaws.com'], tags: namedTags(stack, 'oidc'),
    }, parent);
    this.oidcProviderArn = oidc.arn;
    this.oidcIssuer = issuerUrl.apply((u) => u.replace(/^https:\/\//, ''));

    const nodeRole = new aws.iam.Role(`${prefix}-node-role`, { assumeRolePolicy: serviceTrust('ec2.amazonaws.com'), tags: namedTags(stack, 'node-role') }, parent);
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonEKS_CNI_Policy'].map((policy) =>
      new aws.iam.RolePolicyAttachment(`${prefix}-node-${policy}`, { role: nodeRole.name, policyArn: managedPolicy(args.aws, policy) }, parent));

    const launchTemplate = new aws.ec2.LaunchTemplate(`${prefix}-nodes-lt`, {
      description: `PriceSense ${stack.name} EKS nodes`,
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: stack.eks.nodeDiskGb, volumeType: 'gp3', encrypted: 'true', kmsKeyId: args.kmsKeyArn, deleteOnTermination: 'true' } }],
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags: namedTags(stack, 'node') })),
      tags: namedTags(stack, 'nodes-lt'),
    }, parent);

    const nodeGroup = new aws.eks.NodeGroup(`${prefix}-nodes`, {
      clusterName: cluster.name,
      nodeGroupNamePrefix: `${prefix}-`,
      nodeRoleArn: nodeRole.arn,
      subnetIds: args.privateSubnetIds,
      amiType: 'AL2023_x86_64_STANDARD',
      capacityType: stack.eks.capacityType,
      instanceTypes: [stack.eks.nodeInstanceType],
      scalingConfig: { desiredSize: stack.eks.nodeCount, minSize: stack.eks.minNodes, maxSize: stack.eks.maxNodes },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
      labels: { 'pricesense.io/stack': stack.name },
      tags: stackTags(stack, { Name: `${prefix}-nodes`, [`k8s.io/cluster-autoscaler/${eksName}`]: 'owned', 'k8s.io/cluster-autoscaler/enabled': 'true' }),
    }, {
      parent: this,
      dependsOn: nodePolicies,
      // The cluster autoscaler moves the desired size between the bounds; an update must not reset it.
      ignoreChanges: ['scalingConfig.desiredSize'],
      // A new launch template version rolls the nodes; keep capacity while it does.
      customTimeouts: { create: '30m', update: '60m' },
    });
    this.nodeGroupAsgName = nodeGroup.resources.apply((r) => r?.[0]?.autoscalingGroups?.[0]?.name ?? '');

    const addons = ['vpc-cni', 'kube-proxy', 'coredns', 'metrics-server'].map((addon) => new aws.eks.Addon(`${prefix}-${addon}`, {
      clusterName: cluster.name, addonName: addon, resolveConflictsOnCreate: 'OVERWRITE', resolveConflictsOnUpdate: 'OVERWRITE', tags: namedTags(stack, addon),
    }, { parent: this, dependsOn: addon === 'vpc-cni' || addon === 'kube-proxy' ? [] : [nodeGroup] }));

    // No credentials in it: `aws eks get-token` signs requests with whoever runs kubectl or pulumi.
    this.kubeconfig = pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([clusterId, endpoint, ca]) => JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': clusterId, preferences: {},
      clusters: [{ name: clusterId, cluster: { server: endpoint, 'certificate-authority-data': ca?.data ?? '' } }],
      contexts: [{ name: clusterId, context: { cluster: clusterId, user: clusterId } }],
      users: [{ name: clusterId, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', clusterId, '--region', stack.region], interactiveMode: 'Never' } } }],
    }));
    this.provider = new k8s.Provider(`${prefix}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true }, { parent: this, dependsOn: [nodeGroup] });
    this.ready = [nodeGroup, ...addons];

    this.registerOutputs({ name: this.name, endpoint: this.endpoint, oidcProviderArn: this.oidcProviderArn, kubeconfig: this.kubeconfig });
  }
}
